import { apiError } from '../errors.js';
import type { OperationEnv, OperationInput, OperationResult } from '../operation.js';
import { normalizeOptionalPrice, normalizePrice } from '../prices.js';
import type { Address, CheckoutSession } from '../types.js';
import { addressSchema, bool, oneOf, priceSchema, str, validateBody, type Fields } from '../validation.js';
import { completeRecord, refuseTerminal, sparse } from './completeCheckoutSession.js';
import { withConstraints } from './constraints.js';
import { findSession } from './findSession.js';
import { sessionToolsOf } from './sessionRecord.js';
import { withoutCardCancel } from './sessionState.js';
import { mergePaymentDetails } from './paymentDetails.js';

/** Finalize Checkout Session body (Buy Now / checkout.js flow; "Checkout Session"). */
export const finalizeSessionFields = {
  shippingAddress: addressSchema,
  billingAddress: addressSchema,
  chargeAmount: priceSchema,
  totalOrderAmount: priceSchema,
  paymentIntent: oneOf('Confirm', 'Authorize', 'AuthorizeWithCapture'),
  canHandlePendingAuthorization: bool,
  supplementaryData: str(1024),
} satisfies Fields;

/** The address fields a merchant echoes back; compared to what the buyer chose on Amazon. */
const compared: (keyof Address)[] = ['name', 'addressLine1', 'addressLine2', 'addressLine3', 'city', 'stateOrRegion', 'postalCode', 'countryCode'];

function checkAddress(field: 'shippingAddress' | 'billingAddress', sent: Partial<Address> | null, chosen: Address | null): void {
  if (!chosen) return;
  if (!sent) throw apiError('MissingParameterValue', `The parameter '${field}' is required: send the address the buyer selected.`);
  const differs = compared.filter((k) => (sent[k] ?? null) !== (chosen[k] ?? null));
  if (differs.length) throw apiError('InvalidParameterValue', `The ${field} sent differs from the buyer's selected address in ${differs.join(', ')}.`);
}

/** Finalize answers like Complete, with `cartDetails` after `paymentDetails` ("Checkout Session"). */
function sparseWithCart(s: CheckoutSession): unknown {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(sparse(s))) {
    out[key] = value;
    if (key === 'paymentDetails') out.cartDetails = null;
  }
  return out;
}

/**
 * Finalize Checkout Session: the merchant states the final amount and intent, echoing the
 * address the buyer chose (shipping for PayAndShip, billing for PayOnly) and any
 * supplementaryData, then the session completes exactly as Complete does (200 / 202).
 */
export function finalizeCheckoutSession(env: OperationEnv, id: string, { body, override }: OperationInput): OperationResult {
  const found = findSession(env.state, id, sessionToolsOf(env));
  const b = validateBody(body, finalizeSessionFields, ['chargeAmount', 'paymentIntent']);
  // "Use Sandbox simulations": a simulation string overrides the card, also one that canceled the session on return.
  const record = override ? withoutCardCancel(found.record, sessionToolsOf(env)) : found.record;
  const refused = refuseTerminal(record === found.record ? found : { record, changed: true });
  if (refused) return refused;
  const s = record.session;
  if (s.productType === 'PayOnly') checkAddress('billingAddress', b.billingAddress ?? null, s.billingAddress);
  else checkAddress('shippingAddress', b.shippingAddress ?? null, s.shippingAddress);
  if (b.supplementaryData != null && s.supplementaryData != null && b.supplementaryData !== s.supplementaryData) {
    throw apiError('InvalidParameterValue', "The supplementaryData sent differs from the Checkout Session's.");
  }
  const chargeAmount = normalizePrice(b.chargeAmount, 'chargeAmount');
  const totalOrderAmount = normalizeOptionalPrice(b.totalOrderAmount, 'totalOrderAmount');
  const paymentDetails = mergePaymentDetails(
    s.paymentDetails,
    { paymentIntent: b.paymentIntent, chargeAmount: b.chargeAmount, totalOrderAmount: b.totalOrderAmount, canHandlePendingAuthorization: b.canHandlePendingAuthorization },
    record.meta.region,
  );
  const updated = { ...record, session: withConstraints({ ...s, paymentDetails, supplementaryData: b.supplementaryData ?? s.supplementaryData }, env.settings.publicUrl) };
  const amounts = { chargeAmount, totalOrderAmount: totalOrderAmount ?? paymentDetails.totalOrderAmount };
  return completeRecord(env, { record: updated, changed: true, amounts, override, answer: sparseWithCart });
}
