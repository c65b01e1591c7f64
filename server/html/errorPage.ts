import type { CheckoutSession, Constraint } from '../domain/types.js';
import { storeName } from './display.js';
import { html, layout, type SafeHtml } from './html.js';
import { merchantUrlOf, returnTo } from './returnUrls.js';

/** A page answer other than the happy one: the status and the whole HTML document. */
export class PageFailure extends Error {
  override name = 'PageFailure';

  constructor(
    readonly status: number,
    readonly body: string,
  ) {
    super(`page answered ${status}`);
  }
}

function problem(status: number, title: string, content: SafeHtml): PageFailure {
  return new PageFailure(status, layout(title, html`<h1>${title}</h1>\n${content}`));
}

/** 400: the request could not be read (no session id, a malformed form). */
export function badRequest(message: string): PageFailure {
  return problem(400, 'This checkout request is not valid', html`<p>${message}</p>
<p class="note">Start the checkout again from the merchant's site.</p>`);
}

/** 404: no merchant has a session with this id. */
export function sessionNotFound(id: string): PageFailure {
  return problem(404, 'Checkout session not found', html`<p>There is no checkout session with the id <code>${id}</code> on this emulator.</p>
<p class="note">It may have been created on another emulator instance, or the emulator's data was reset. Start the checkout again from the merchant's site.</p>`);
}

/** 409: the session is Completed or Canceled, so this page cannot act on it any more. */
export function sessionNotOpen(session: CheckoutSession): PageFailure {
  const { state, reasonCode, reasonDescription } = session.statusDetails;
  const url = merchantUrlOf(session);
  return problem(409, `This checkout is already ${state}`, html`<p>The checkout session <code>${session.checkoutSessionId}</code> is <strong>${state}</strong>${
    reasonCode ? html` (reason: ${reasonCode}${reasonDescription ? html` – ${reasonDescription}` : ''})` : ''
  }, so it can no longer be signed in to or paid.</p>
${url ? html`<p><a href="${returnTo(url, session)}">Return to ${storeName(session)}</a></p>` : html`<p class="note">Return to the merchant's site to start a new checkout.</p>`}`);
}

/** 409: the merchant has not yet set everything the payment page needs. */
export function sessionNotReady(session: CheckoutSession, missing: Constraint[]): PageFailure {
  const review = session.webCheckoutDetails?.checkoutReviewReturnUrl;
  return problem(409, 'This checkout is not ready for payment', html`<p>The merchant must complete the checkout session <code>${session.checkoutSessionId}</code> (Update Checkout Session) before the buyer can pay:</p>
<ul>${missing.map((c) => html`<li><strong>${c.constraintId}</strong>: ${c.description}</li>`)}</ul>
${review ? html`<p><a href="${returnTo(review, session)}">Return to ${storeName(session)}</a></p>` : ''}`);
}

/** 500: something the emulator did not expect; the details are in its log. */
export function internalError(): PageFailure {
  return problem(500, 'Something went wrong', html`<p>The emulator could not show this page. Its log has the details.</p>`);
}

/** The buyer canceled and the session names no merchant page to return to (200). */
export function canceledPage(session: CheckoutSession): string {
  return layout('Checkout canceled', html`<h1>Checkout canceled</h1>
<p>You canceled the checkout with ${storeName(session)}. The merchant gave no page to return to; you can close this window.</p>`);
}

/** Any other refusal (a 4xx from the domain or from reading the request), with its status. */
export function refused(status: number, message: string): PageFailure {
  return problem(status, 'This checkout step could not be completed', html`<p>${message}</p>
<p class="note">Start the checkout again from the merchant's site.</p>`);
}
