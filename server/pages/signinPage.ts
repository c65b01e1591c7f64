import { demoBuyer } from '../domain/demoBuyer.js';
import type { SessionRecord } from '../domain/checkoutSession/sessionRecord.js';
import { storeName } from '../html/display.js';
import { html, layout, type SafeHtml } from '../html/html.js';

/** The sign-in (review) step: who the buyer signs in as. */

export interface SigninValues {
  name: string;
  email: string;
}

export type SigninErrors = Partial<Record<keyof SigninValues, string>>;

const NAME_MAX = 50;
const EMAIL_MAX = 256;

/** What the form starts with: the buyer already on the session, else the region's test buyer. */
export function signinDefaults(record: SessionRecord): SigninValues {
  const buyer = record.session.buyer ?? demoBuyer('', record.meta.region);
  return { name: buyer.name ?? '', email: buyer.email ?? '' };
}

/** The submitted name and email, trimmed, with a message for each one that cannot be used. */
export function readSigninValues(fields: Map<string, string>): { values: SigninValues; errors: SigninErrors } {
  const values = { name: (fields.get('name') ?? '').trim(), email: (fields.get('email') ?? '').trim() };
  const errors: SigninErrors = {};
  if (values.name === '') errors.name = 'Enter the buyer’s name.';
  else if ([...values.name].length > NAME_MAX) errors.name = `The name must be at most ${NAME_MAX} characters.`;
  if (values.email === '') errors.email = 'Enter the buyer’s email address.';
  else if ([...values.email].length > EMAIL_MAX) errors.email = `The email address must be at most ${EMAIL_MAX} characters.`;
  else if (!/^[^\s@]+@[^\s@]+$/.test(values.email)) errors.email = 'Enter an email address like test.buyer@example.com.';
  return { values, errors };
}

/** What an input of the sign-in form is: its id, label, input type, autocomplete token and length limit. */
export interface FieldSpec {
  id: keyof SigninValues;
  label: string;
  type: string;
  autocomplete: string;
  max: number;
}

/** One labelled input of the sign-in form, with its error message when it has one. */
export function field({ id, label, type, autocomplete, max }: FieldSpec, { value, error }: { value: string; error: string | undefined }) {
  return html`<label for="${id}">${label}</label>
${error ? html`<p class="field-error" id="${id}-error"><span class="visually-hidden">Error: </span>${error}</p>` : ''}
<input type="${type}" id="${id}" name="${id}" autocomplete="${autocomplete}" required maxlength="${max}" value="${value}"${
    error ? html` aria-invalid="true" aria-describedby="${id}-error"` : ''
  }>`;
}

/** The "There is a problem" box linking each message to its field; nothing when there are none. */
export function errorSummary(messages: readonly [id: string, message: string][]): SafeHtml | '' {
  return messages.length
    ? html`<div class="error" role="alert" aria-labelledby="problem-heading"><h2 id="problem-heading">There is a problem</h2>${messages.map(([id, message]) => html`<p><a href="#${id}">${message}</a></p>`)}</div>`
    : '';
}

/** The sign-in page, with the values and messages of a refused submission when there was one. */
export function signinPage(record: SessionRecord, values: SigninValues, errors: SigninErrors = {}): string {
  const session = record.session;
  const store = storeName(session);
  const messages = Object.entries(errors) as [keyof SigninValues, string][];
  return layout(
    messages.length ? 'Error: Sign in' : 'Sign in',
    html`<h1>Sign in to pay ${store}</h1>
${errorSummary(messages)}
<p>You are checking out with <strong>${store}</strong> using Amazon Pay.</p>
<form method="post" action="/checkout/signin">
<input type="hidden" name="amazonCheckoutSessionId" value="${session.checkoutSessionId}">
${testBuyerFields(values, errors, 'Change the name or email to test how your site shows them.')}
</form>`,
  );
}

/** The test buyer's name and email, and the Continue / Cancel buttons: the body of every sign-in form. */
export function testBuyerFields(values: SigninValues, errors: SigninErrors, hint = ''): SafeHtml {
  return html`<fieldset>
<legend>Test buyer</legend>
<p class="note">This emulator needs no password: you sign in as the test buyer below.${hint ? html` ${hint}` : ''}</p>
${field({ id: 'name', label: 'Name', type: 'text', autocomplete: 'name', max: NAME_MAX }, { value: values.name, error: errors.name })}
${field({ id: 'email', label: 'Email address', type: 'email', autocomplete: 'email', max: EMAIL_MAX }, { value: values.email, error: errors.email })}
</fieldset>
<div class="actions">
<button type="submit" class="primary" name="action" value="continue">Continue</button>
<button type="submit" class="link" name="action" value="cancel" formnovalidate>Cancel</button>
</div>`;
}
