import { completeAddress, demoAddress, demoBuyer } from '../demoBuyer.js';
import { apiError } from '../errors.js';
import type { IdGenerator } from '../ids.js';
import type { BuyerRecord } from '../buyer/buyerOperations.js';
import type { Region } from '../types.js';
import { oneOf, url, validateBody } from '../validation.js';

/**
 * Amazon Sign-in ("Amazon Sign-in" page): the signed payload names where the buyer returns
 * (signInReturnUrl), the store and the buyer details asked for (signInScopes). After signing in
 * the buyer lands on signInReturnUrl with a buyerToken that Get Buyer resolves.
 */

export const signInScopes = ['name', 'email', 'postalCode', 'shippingAddress', 'phoneNumber', 'billingAddress', 'primeStatus'] as const;

export interface SignInPayload {
  signInReturnUrl: string;
  storeId: string;
  signInScopes: string[] | null;
  signInCancelUrl: string | null;
}

const signInFields = {
  signInReturnUrl: url,
  signInCancelUrl: url,
  storeId: { type: 'string', max: 128, pattern: /^amzn1\.application-oa2-client\.[A-Za-z0-9]+$/ } as const,
  signInScopes: { type: 'array', items: oneOf(...signInScopes), max: signInScopes.length } as const,
};

/** Parses and validates the sign-in payload (unknown fields, wrong types: the API's reason codes). */
export function readSignInPayload(payloadJSON: string): SignInPayload {
  let payload: unknown;
  try {
    payload = JSON.parse(payloadJSON);
  } catch {
    throw apiError('InvalidParameterValue', "The button's payloadJSON is not valid JSON.");
  }
  const b = validateBody(payload, signInFields, ['signInReturnUrl', 'storeId']);
  return { signInReturnUrl: b.signInReturnUrl, storeId: b.storeId, signInScopes: b.signInScopes ?? null, signInCancelUrl: b.signInCancelUrl ?? null };
}

/**
 * The buyer token the sign-in returns. buyerId, name and email are always shared; the other
 * details only when their scope was asked for (no scopes asked: all of them).
 */
export function signInBuyerToken(payload: SignInPayload, who: { name: string; email: string }, { ids, region }: { ids: IdGenerator; region: Region }): BuyerRecord {
  const asked = new Set(payload.signInScopes ?? signInScopes);
  const base = demoBuyer(ids.buyerId(), region);
  const shipping = completeAddress({ ...demoAddress(region), name: who.name })!;
  return {
    buyerToken: `BT-${ids.alphanumeric(40)}`,
    buyer: {
      buyerId: base.buyerId,
      name: who.name,
      email: who.email,
      postalCode: asked.has('postalCode') ? shipping.postalCode : null,
      countryCode: asked.has('postalCode') || asked.has('shippingAddress') ? shipping.countryCode : null,
      phoneNumber: asked.has('phoneNumber') ? base.phoneNumber : null,
      shippingAddress: asked.has('shippingAddress') ? shipping : null,
      billingAddress: asked.has('billingAddress') ? shipping : null,
      primeMembershipTypes: null,
    },
  };
}
