/**
 * Simulated payment methods of the sandbox's test buyers (Amazon Pay "Use Sandbox simulations"): the last four digits of the card
 * the buyer picks decide what happens. Data, so a new card is one row.
 */
export type CardBehaviour =
  | { kind: 'success' }
  | { kind: 'cancelOnReturn'; reasonCode: 'BuyerCanceled' | 'Declined' }
  | { kind: 'pending'; settleTo: 'Authorized' | 'Declined'; reasonCode: string | null };

export const simulatedCards: Record<string, { brand: string; behaviour: CardBehaviour }> = {
  '1111': { brand: 'Visa', behaviour: { kind: 'success' } },
  '0005': { brand: 'Amex', behaviour: { kind: 'success' } },
  '4444': { brand: 'MasterCard', behaviour: { kind: 'success' } },
  '9424': { brand: 'Discover', behaviour: { kind: 'success' } },
  '0000': { brand: 'Visa', behaviour: { kind: 'success' } },
  '3064': { brand: 'Visa', behaviour: { kind: 'cancelOnReturn', reasonCode: 'BuyerCanceled' } },
  '3434': { brand: 'Visa', behaviour: { kind: 'cancelOnReturn', reasonCode: 'Declined' } },
  '0701': { brand: 'Visa', behaviour: { kind: 'pending', settleTo: 'Authorized', reasonCode: null } },
  '4354': { brand: 'Visa', behaviour: { kind: 'pending', settleTo: 'Declined', reasonCode: 'HardDeclined' } },
};

export const defaultCard = '1111';

export function paymentDescriptor(card: string): string {
  return `${simulatedCards[card]?.brand ?? 'Visa'} ****${card} (Amazon Pay)`;
}
