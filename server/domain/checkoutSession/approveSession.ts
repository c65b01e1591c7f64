import { defaultCard, paymentDescriptor, simulatedCards } from '../cards.js';
import { completeAddress, demoAddress, demoBuyer } from '../demoBuyer.js';
import { apiError } from '../errors.js';
import type { IdGenerator } from '../ids.js';
import type { Address, Buyer } from '../types.js';
import { addressSchema, obj, str, validateBody, type Schema } from '../validation.js';
import { withConstraints } from './constraints.js';
import { shippingAddressList, withMultiAddress } from './multiAddress.js';
import type { SessionRecord } from './sessionRecord.js';
import { cancelSession } from './sessionState.js';

/** Body of POST /__admin/checkoutSessions/{id}/approve: everything optional. */
export const approveFields: Record<string, Schema> = {
  card: { type: 'string', enum: Object.keys(simulatedCards) },
  buyer: obj({ buyerId: str(64), name: str(50), email: str(256), phoneNumber: str(20) }),
  shippingAddress: addressSchema,
  billingAddress: addressSchema,
};

export interface ApproveInput {
  card?: string | null;
  buyer?: Partial<Buyer> | null;
  shippingAddress?: Partial<Address> | null;
  billingAddress?: Partial<Address> | null;
}

/**
 * What happens when the buyer signs in on Amazon, picks a payment method and returns: the buyer,
 * addresses and payment descriptor attach to the session. Cards 3064 and 3434 cancel it on return
 * (§8.1). Only an Open session can be approved.
 */
export function approveSession(record: SessionRecord, input: ApproveInput, ids: IdGenerator, now: number, publicUrl: string): SessionRecord {
  validateBody(input, approveFields);
  if (record.session.statusDetails.state !== 'Open') {
    throw apiError('InvalidCheckoutSessionStatus', `The Checkout Session is ${record.session.statusDetails.state}; only an Open session can be approved.`);
  }
  const card = input.card ?? defaultCard;
  const region = record.meta.region;
  const buyer: Buyer = { ...demoBuyer(input.buyer?.buyerId ?? ids.buyerId(), region), ...stripNulls(input.buyer) };
  const shipping = completeAddress({ ...demoAddress(region), ...stripNulls(input.shippingAddress) });
  const billing = completeAddress({ ...demoAddress(region), ...stripNulls(input.billingAddress ?? input.shippingAddress) });
  const entries = record.session.multiAddressesCheckoutMetadata ?? null;
  const approved: SessionRecord = {
    session: withConstraints(
      withMultiAddress(
        {
          ...record.session,
          productType: record.session.productType ?? 'PayAndShip',
          buyer,
          shippingAddress: shipping,
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
  const behaviour = simulatedCards[card]!.behaviour;
  return behaviour.kind === 'cancelOnReturn' ? cancelSession(approved, behaviour.reasonCode, now, publicUrl) : approved;
}

function stripNulls<T extends object>(value: T | null | undefined): Partial<T> {
  if (!value) return {};
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== null && v !== undefined)) as Partial<T>;
}
