import { defaultCard, simulatedCards, type CardBehaviour } from '../domain/cards.js';
import type { Address, CheckoutSession, Price } from '../domain/types.js';
import { html, type SafeHtml } from './html.js';

/** How the pages show session data to a buyer. Every function returns text or escaped markup. */

/** The merchant as the buyer knows it. */
export function storeName(session: CheckoutSession): string {
  return session.merchantMetadata?.merchantStoreName?.trim() || 'the merchant';
}

/** "$50.00 (USD)", "¥500 (JPY)"; the plain amount and code if the currency is unknown to Intl. */
export function formatPrice(price: Price): string {
  try {
    const formatted = new Intl.NumberFormat('en-US', { style: 'currency', currency: price.currencyCode }).format(Number(price.amount));
    return `${formatted} (${price.currencyCode})`;
  } catch {
    return `${price.amount} ${price.currencyCode}`;
  }
}

/** An address as the lines of a postal label. */
export function addressBlock(address: Address): SafeHtml {
  const cityLine = [address.city, [address.stateOrRegion, address.postalCode].filter(Boolean).join(' ')].filter(Boolean).join(', ');
  const lines = [address.name, address.addressLine1, address.addressLine2, address.addressLine3, address.district, address.county, cityLine, address.countryCode]
    .filter((line): line is string => typeof line === 'string' && line.trim() !== '');
  return html`<address>${lines.map((line, i) => html`${i > 0 ? html`<br>` : ''}${line}`)}</address>`;
}

/** What picking a simulated card does, in the buyer's words ("Use Sandbox simulations"). */
export function cardEffect(behaviour: CardBehaviour): string {
  switch (behaviour.kind) {
    case 'success':
      return 'Approved: the payment goes through';
    case 'cancelOnReturn':
      return behaviour.reasonCode === 'Declined'
        ? 'Declined: the checkout is canceled (Declined) when you return'
        : 'Buyer cancels: the checkout is canceled (BuyerCanceled) when you return';
    case 'pending':
      return `Pending, then ${behaviour.settleTo === 'Authorized' ? 'authorized' : 'declined'}${behaviour.reasonCode ? ` (${behaviour.reasonCode})` : ''}; needs canHandlePendingAuthorization`;
  }
}

/** "Visa •••• 1111". */
export function cardLabel(brand: string, lastFour: string): string {
  return `${brand} •••• ${lastFour}`;
}

const kindRank = { success: 0, cancelOnReturn: 1, pending: 2 } as const;

/**
 * The cards as the page lists them: the default first, then the other approvals, then the ones
 * that cancel, then the pending ones (the table's own key order puts "0005" after "9424").
 */
export function cardsInOrder(): [string, (typeof simulatedCards)[string]][] {
  const rank = (lastFour: string) => (lastFour === defaultCard ? -1 : kindRank[simulatedCards[lastFour]!.behaviour.kind]);
  return Object.entries(simulatedCards).sort(([a], [b]) => rank(a) - rank(b));
}
