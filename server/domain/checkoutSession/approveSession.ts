import { defaultCard, paymentDescriptor, simulatedCards } from '../cards.js';
import { completeAddress, demoAddress, demoBuyer } from '../demoBuyer.js';
import { apiError } from '../errors.js';
import type { Address, Buyer } from '../types.js';
import { addressSchema, obj, str, validateBody, type Fields } from '../validation.js';
import { withConstraints } from './constraints.js';
import { shippingAddressList, withMultiAddress } from './multiAddress.js';
import type { SessionRecord, SessionTime, SessionTools } from './sessionRecord.js';
import { cancelSession } from './sessionState.js';

/** Body of POST /__admin/checkoutSessions/{id}/approve: everything optional. */
export const approveFields = {
  card: { type: 'string', enum: Object.keys(simulatedCards) },
  buyer: obj({ buyerId: str(64), name: str(50), email: str(256), phoneNumber: str(20) }),
  shippingAddress: addressSchema,
  billingAddress: addressSchema,
} satisfies Fields;

export interface ApproveInput {
  card?: string | null;
  buyer?: Partial<Buyer> | null;
  shippingAddress?: Partial<Address> | null;
  billingAddress?: Partial<Address> | null;
}

function assertOpen(record: SessionRecord, what: string): void {
  if (record.session.statusDetails.state !== 'Open') {
    throw apiError('InvalidCheckoutSessionStatus', `The Checkout Session is ${record.session.statusDetails.state}; only an Open session can ${what}.`);
  }
}

/**
 * The buyer signs in on Amazon (the review step): buyer and addresses attach to the session,
 * which clears BuyerNotAssociated. The payment method stays the default card until chosen.
 */
export function signInBuyer(record: SessionRecord, input: Omit<ApproveInput, 'card'>, { ids, publicUrl }: SessionTools): SessionRecord {
  validateBody(input, approveFields);
  assertOpen(record, 'be signed in to');
  const region = record.meta.region;
  const buyer: Buyer = { ...demoBuyer(input.buyer?.buyerId ?? record.session.buyer?.buyerId ?? ids.buyerId(), region), ...stripNulls(input.buyer) };
  // An address the merchant gave (ProcessOrder mode) stays; the buyer's input refines it.
  const shipping = completeAddress({ ...demoAddress(region), ...stripNulls(record.session.shippingAddress), ...stripNulls(input.shippingAddress) });
  const billing = completeAddress({ ...demoAddress(region), ...stripNulls(input.billingAddress ?? input.shippingAddress) });
  const entries = record.session.multiAddressesCheckoutMetadata ?? null;
  const card = record.meta.card ?? defaultCard;
  return {
    session: withConstraints(
      withMultiAddress(
        {
          ...record.session,
          productType: record.session.productType ?? 'PayAndShip',
          buyer,
          // PayOnly (a button's productType) shares no shipping address.
          shippingAddress: record.session.productType === 'PayOnly' ? null : shipping,
          billingAddress: billing,
          paymentPreferences: [{ paymentDescriptor: paymentDescriptor(card) }],
        },
        entries,
        entries ? shippingAddressList(entries, shipping!) : null,
      ),
      publicUrl,
    ),
    meta: { ...record.meta, card },
  };
}

/**
 * The buyer picks a payment method on the Amazon page and returns to the merchant. Cards 3064
 * and 3434 cancel the session on return ("Use Sandbox simulations").
 */
export function choosePayment(record: SessionRecord, card: string, at: SessionTime): SessionRecord {
  assertOpen(record, 'take a payment method');
  const entry = simulatedCards[card];
  if (!entry) throw apiError('InvalidParameterValue', `The value '${card}' provided for 'card' is invalid. Allowed values: ${Object.keys(simulatedCards).join(', ')}.`);
  const chosen: SessionRecord = {
    session: { ...record.session, paymentPreferences: [{ paymentDescriptor: paymentDescriptor(card) }] },
    meta: { ...record.meta, card },
  };
  return entry.behaviour.kind === 'cancelOnReturn' ? cancelSession(chosen, entry.behaviour.reasonCode, at) : chosen;
}

/** Sign-in and payment choice in one step (the control API's approve, and auto approval). */
export function approveSession(record: SessionRecord, input: ApproveInput, tools: SessionTools): SessionRecord {
  validateBody(input, approveFields);
  const { card, ...signIn } = input;
  return choosePayment(signInBuyer(record, signIn, tools), card ?? defaultCard, tools);
}

function stripNulls<T extends object>(value: T | null | undefined): Partial<T> {
  if (!value) return {};
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== null && v !== undefined)) as Partial<T>;
}
