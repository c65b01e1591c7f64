import { completeAddress, demoAddress, demoBuyer } from '../demoBuyer.js';
import { apiError } from '../errors.js';
import type { IdGenerator } from '../ids.js';
import type { OperationEnv, OperationResult } from '../operation.js';
import type { Address, Region } from '../types.js';
import { addressSchema, obj, str, validateBody, type Fields } from '../validation.js';

/** The Buyer object of Amazon Sign-In (Amazon Pay API reference: "Buyer"). */
export interface BuyerProfile {
  buyerId: string;
  name: string | null;
  email: string | null;
  postalCode: string | null;
  countryCode: string | null;
  phoneNumber: string | null;
  shippingAddress: Address | null;
  billingAddress: Address | null;
  primeMembershipTypes: string[] | null;
}

export interface BuyerRecord {
  buyerToken: string;
  buyer: BuyerProfile;
}

/** Body of POST /__admin/buyers: what the signed-in buyer looks like (everything optional). */
export const issueBuyerTokenFields = {
  buyer: obj({ buyerId: str(64), name: str(50), email: str(256), phoneNumber: str(20), primeMembershipTypes: { type: 'array', items: str(64), max: 10 } }),
  shippingAddress: addressSchema,
  billingAddress: addressSchema,
} satisfies Fields;

/**
 * What Amazon Sign-In would hand the merchant's page: a buyer token for a (demo) buyer. The real
 * token comes from the sign-in redirect; here the control API issues it.
 */
export function issueBuyerToken(body: unknown, ids: IdGenerator, region: Region): BuyerRecord {
  const b = validateBody(body, issueBuyerTokenFields);
  const base = demoBuyer(b.buyer?.buyerId ?? ids.buyerId(), region);
  const shipping = completeAddress({ ...demoAddress(region), ...(b.shippingAddress ?? {}) })!;
  const billing = completeAddress({ ...shipping, ...(b.billingAddress ?? {}) })!;
  return {
    buyerToken: `BT-${ids.alphanumeric(40)}`,
    buyer: {
      buyerId: base.buyerId,
      name: b.buyer?.name ?? base.name,
      email: b.buyer?.email ?? base.email,
      postalCode: shipping.postalCode,
      countryCode: shipping.countryCode,
      phoneNumber: b.buyer?.phoneNumber ?? base.phoneNumber,
      shippingAddress: shipping,
      billingAddress: billing,
      primeMembershipTypes: b.buyer?.primeMembershipTypes ?? null,
    },
  };
}

/** Get Buyer (200) for a token issued to this merchant; 404 ResourceNotFound otherwise. */
export function getBuyer(env: OperationEnv, token: string): OperationResult<BuyerProfile> {
  const record = env.state.get<BuyerRecord>('buyers', token);
  if (!record) throw apiError('ResourceNotFound', `The buyer token '${token}' was not found. Issue one with POST /__admin/buyers.`);
  return { status: 200, body: record.buyer, writes: [] };
}
