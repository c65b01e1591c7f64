import { apiError } from '../errors.js';
import type { OperationEnv, OperationResult } from '../operation.js';
import type { CheckoutSession } from '../types.js';
import { validateBody } from '../validation.js';
import { withConstraints } from './constraints.js';
import { merchantMetadataOf, multiAddressEntries, recurringMetadataOf } from './createCheckoutSession.js';
import { shippingAddressList, withMultiAddress } from './multiAddress.js';
import { findSession } from './findSession.js';
import { sessionToolsOf } from './sessionRecord.js';
import { mergePaymentDetails } from './paymentDetails.js';
import { updateSessionFields } from './sessionSchema.js';
import { sessionWrite } from './sessionState.js';


/** Update Checkout Session (200): only while Open; fields given replace, fields absent stay. */
export function updateCheckoutSession(env: OperationEnv, id: string, body: unknown): OperationResult<CheckoutSession> {
  const { record } = findSession(env.state, id, sessionToolsOf(env));
  const b = validateBody(body, updateSessionFields);
  const s = record.session;
  if (s.statusDetails.state !== 'Open') {
    throw apiError('InvalidCheckoutSessionStatus', `You tried to call an operation on a Checkout Session that is in a state where that operation is not allowed. The Checkout Session is ${s.statusDetails.state}.`);
  }
  const updated: CheckoutSession = {
    ...s,
    webCheckoutDetails: {
      ...s.webCheckoutDetails!,
      checkoutResultReturnUrl: b.webCheckoutDetails?.checkoutResultReturnUrl ?? s.webCheckoutDetails?.checkoutResultReturnUrl ?? null,
    },
    chargePermissionType: b.chargePermissionType ?? s.chargePermissionType,
    recurringMetadata: recurringMetadataOf(b.recurringMetadata ?? null, record.meta.region, s.recurringMetadata),
    paymentDetails: mergePaymentDetails(s.paymentDetails, b.paymentDetails ?? null, record.meta.region),
    merchantMetadata: merchantMetadataOf(b.merchantMetadata ?? null, s.merchantMetadata),
    supplementaryData: b.supplementaryData ?? s.supplementaryData,
    platformId: b.platformId ?? s.platformId,
    providerMetadata: b.providerMetadata ? { providerReferenceId: b.providerMetadata.providerReferenceId ?? null } : s.providerMetadata,
  };
  const entries = multiAddressEntries(b.multiAddressesCheckoutMetadata, record.meta.region) ?? s.multiAddressesCheckoutMetadata ?? null;
  const list = entries && s.buyer ? shippingAddressList(entries, s.shippingAddress!) : (s.shippingAddressList ?? null);
  const next = { ...record, session: withConstraints(withMultiAddress(updated, entries, list), env.settings.publicUrl) };
  return { status: 200, body: next.session, writes: [sessionWrite(next)] };
}
