import { defaultCard, simulatedCards } from '../domain/cards.js';
import { constraintsOf } from '../domain/checkoutSession/constraints.js';
import type { SessionRecord } from '../domain/checkoutSession/sessionRecord.js';
import { demoAddress, demoBuyer } from '../domain/demoBuyer.js';
import type { Constraint } from '../domain/types.js';
import { addressBlock, cardEffect, cardLabel, cardsInOrder, formatPrice, storeName } from '../html/display.js';
import { html, layout, type SafeHtml } from '../html/html.js';

/** The payment step (amazonPayRedirectUrl): the order, the buyer, and the simulated cards. */

/** What the merchant still has to set before the buyer can pay (a missing buyer signs in here). */
export function paymentBlockers(record: SessionRecord): Constraint[] {
  return constraintsOf(record.session).filter((c) => c.constraintId !== 'BuyerNotAssociated');
}

/** The card the page starts with: the one already chosen on the session, else the default. */
export function selectedCardOf(record: SessionRecord): string {
  return record.meta.card && simulatedCards[record.meta.card] ? record.meta.card : defaultCard;
}


/** The fieldset of simulated cards, one radio button each, `selected` checked. */
export function cardChoices(selected: string): SafeHtml {
  return html`<fieldset>
<legend>Payment method</legend>
<p class="note">Simulated sandbox cards: the last four digits decide what happens.</p>
${cardsInOrder().map(
  ([lastFour, card]) => html`<label class="card" for="card-${lastFour}"><input type="radio" name="card" id="card-${lastFour}" value="${lastFour}"${lastFour === selected ? html` checked` : ''}><span><strong>${cardLabel(card.brand, lastFour)}</strong> <span class="effect">${cardEffect(card.behaviour)}</span></span></label>
`,
)}</fieldset>`;
}

/** The payment page; `error` explains a refused submission (no or an unknown card). */
export function paymentPage(record: SessionRecord, selected: string, error: string | null = null): string {
  const session = record.session;
  const store = storeName(session);
  // A buyer who came here without the sign-in step is signed in as the test buyer on Pay now.
  const buyer = session.buyer ?? demoBuyer('', record.meta.region);
  const payOnly = session.productType === 'PayOnly';
  const address = (payOnly ? session.billingAddress : session.shippingAddress) ?? demoAddress(record.meta.region);
  const amount = session.paymentDetails?.chargeAmount;
  const meta = session.merchantMetadata;
  return layout(
    error ? 'Error: Pay' : 'Pay',
    html`<h1>Pay ${store}</h1>
${error ? html`<div class="error" role="alert" aria-labelledby="problem-heading"><h2 id="problem-heading">There is a problem</h2><p><a href="#card-${cardsInOrder()[0]![0]}">${error}</a></p></div>` : ''}
<section aria-labelledby="order-heading">
<h2 id="order-heading">Your order</h2>
<dl>
<dt>Merchant</dt><dd>${store}</dd>
<dt>Amount</dt><dd>${amount ? formatPrice(amount) : 'Nothing is charged now'}</dd>
${meta?.merchantReferenceId ? html`<dt>Order reference</dt><dd>${meta.merchantReferenceId}</dd>` : ''}
${meta?.noteToBuyer ? html`<dt>Note from the merchant</dt><dd>${meta.noteToBuyer}</dd>` : ''}
</dl>
</section>
<section aria-labelledby="buyer-heading">
<h2 id="buyer-heading">Paying as</h2>
<p>${buyer.name ?? 'Test buyer'}${buyer.email ? html` (${buyer.email})` : ''}</p>
</section>
<section aria-labelledby="address-heading">
<h2 id="address-heading">${payOnly ? 'Billing address' : 'Shipping address'}</h2>
${addressBlock(address)}
</section>
<form method="post" action="/checkout/processing">
<input type="hidden" name="amazonCheckoutSessionId" value="${session.checkoutSessionId}">
${cardChoices(selected)}
<div class="actions">
<button type="submit" class="primary" name="action" value="pay">Pay now</button>
<button type="submit" class="link" name="action" value="cancel">Cancel</button>
</div>
</form>`,
  );
}
