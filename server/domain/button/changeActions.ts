import { withConstraints } from '../checkoutSession/constraints.js';
import type { SessionRecord } from '../checkoutSession/sessionRecord.js';
import { completeAddress, demoAddress } from '../demoBuyer.js';
import { apiError } from '../errors.js';
import type { Address, Region } from '../types.js';

/**
 * bindChangeAction ("Amazon Pay script"): from the merchant's review page the buyer goes back to
 * Amazon to pick another shipping address (changeAddress) or payment method (changePayment), then
 * returns to checkoutReviewReturnUrl. The payment side reuses choosePayment.
 */

export const changeActions = ['changeAddress', 'changePayment'] as const;
export type ChangeAction = (typeof changeActions)[number];

/** The address book of the test buyer: the region's demo address and a second one. */
export function addressBook(region: Region): Address[] {
  const home = demoAddress(region);
  const second = completeAddress({ ...home, name: 'Test Buyer (office)', addressLine1: region === 'jp' ? '丸の内2-2' : '2 Second Street', addressLine2: region === 'jp' ? null : 'Floor 2' })!;
  return [home, second];
}

/** The session with the address-book entry `index` as its shipping address. */
export function changeShippingAddress(record: SessionRecord, index: number, publicUrl: string): SessionRecord {
  if (record.session.statusDetails.state !== 'Open') {
    throw apiError('InvalidCheckoutSessionStatus', `The Checkout Session is ${record.session.statusDetails.state}; only an Open session can change its address.`);
  }
  if (!record.session.buyer) throw apiError('InvalidCheckoutSessionStatus', 'The buyer has not signed in yet, so there is no address to change.');
  if (record.session.productType === 'PayOnly') throw apiError('InvalidParameterValue', 'A PayOnly checkout has no shipping address to change.');
  const address = addressBook(record.meta.region)[index];
  if (!address) throw apiError('InvalidParameterValue', `There is no address number ${index} in the buyer's address book.`);
  return { ...record, session: withConstraints({ ...record.session, shippingAddress: address }, publicUrl) };
}
