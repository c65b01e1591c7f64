import { addressBook } from '../domain/button/changeActions.js';
import type { SessionRecord } from '../domain/checkoutSession/sessionRecord.js';
import type { AmazonPayError } from '../domain/errors.js';
import { addressBlock, storeName } from '../html/display.js';
import { PageFailure } from '../html/errorPage.js';
import { html, layout, type SafeHtml } from '../html/html.js';
import { cardChoices, selectedCardOf } from './paymentPage.js';
import { errorSummary, testBuyerFields, type SigninErrors, type SigninValues } from './signinPage.js';

/** Pages behind the checkout.js buttons: the refusal, Amazon Sign-in, and the two change actions. */

/** What the buyer sees when a button's payload cannot be used; the merchant's developer gets the reason. */
export function buttonRefused(error: AmazonPayError, backUrl: string | null): PageFailure {
  const title = 'Amazon Pay cannot start this checkout';
  return new PageFailure(
    error.status,
    layout(
      title,
      html`<h1>${title}</h1>
<p>Something is wrong with the Amazon Pay button on the merchant's page, so no checkout was started and nothing was charged.</p>
${backUrl ? html`<p><a href="${backUrl}">Return to the merchant's page</a></p>` : html`<p class="note">Return to the merchant's page and try again later.</p>`}
<section aria-labelledby="developer-heading">
<h2 id="developer-heading">For the merchant's developer</h2>
<dl>
<dt>Reason code</dt><dd><code>${error.reasonCode}</code></dd>
<dt>Message</dt><dd>${error.message}</dd>
</dl>
<p class="note">The emulator's request journal (GET /__admin/requests, or the dashboard at /__admin/ui) has this attempt with the payload and the string to sign it computed.</p>
</section>`,
    ),
  );
}

/** The signed button fields, carried through the sign-in form so its POST is verified again. */
export type SignedFields = Record<string, string>;

/** Amazon Sign-in: who signs in, for which store; posts back to /checkout/amazon-signin. */
export function amazonSigninPage(fields: SignedFields, scopes: readonly string[], { values, errors = {} }: { values: SigninValues; errors?: SigninErrors }): string {
  const messages = Object.entries(errors) as [keyof SigninValues, string][];
  return layout(
    messages.length ? 'Error: Sign in with Amazon' : 'Sign in with Amazon',
    html`<h1>Sign in with Amazon</h1>
${errorSummary(messages)}
<p>The merchant asks for: ${scopes.join(', ')}.</p>
<form method="post" action="/checkout/amazon-signin">
${Object.entries(fields).map(([name, value]) => html`<input type="hidden" name="${name}" value="${value}">`)}
${testBuyerFields(values, errors)}
</form>`,
  );
}

/** changeAddress: the test buyer's address book, the current one selected (else the first). */
export function changeAddressPage(record: SessionRecord): string {
  const book = addressBook(record.meta.region);
  const current = JSON.stringify(record.session.shippingAddress);
  const selected = Math.max(0, book.findIndex((address) => JSON.stringify(address) === current));
  return changePage(record, { changeAction: 'changeAddress', title: 'Change the shipping address', saveLabel: 'Use this address', choices: html`<fieldset>
<legend>Shipping address</legend>
${book.map(
  (address, i) => html`<label class="card" for="address-${i}"><input type="radio" name="address" id="address-${i}" value="${i}"${i === selected ? html` checked` : ''}><span>${addressBlock(address)}</span></label>
`,
)}</fieldset>` });
}

/** changePayment: the simulated cards, the current one selected. */
export function changePaymentPage(record: SessionRecord): string {
  return changePage(record, { changeAction: 'changePayment', title: 'Change the payment method', saveLabel: 'Use this payment method', choices: cardChoices(selectedCardOf(record)) });
}

/** The frame both change actions share: which session and action, the choices, save or go back. */
/** What a change page shows: its action, title, the label of its save button and the choices. */
interface ChangeView {
  changeAction: 'changeAddress' | 'changePayment';
  title: string;
  saveLabel: string;
  choices: SafeHtml;
}

function changePage(record: SessionRecord, { changeAction, title, saveLabel, choices }: ChangeView): string {
  const session = record.session;
  return layout(
    title,
    html`<h1>${title}</h1>
<p>For your order with ${storeName(session)}.</p>
<form method="post" action="/checkout/change">
<input type="hidden" name="amazonCheckoutSessionId" value="${session.checkoutSessionId}">
<input type="hidden" name="changeAction" value="${changeAction}">
${choices}
<div class="actions">
<button type="submit" class="primary" name="action" value="save">${saveLabel}</button>
<button type="submit" class="link" name="action" value="back">Keep the current one</button>
</div>
</form>`,
  );
}
