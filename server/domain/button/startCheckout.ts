import { newSessionRecord } from '../checkoutSession/createCheckoutSession.js';
import { sessionWrite } from '../checkoutSession/sessionState.js';
import type { SessionRecord } from '../checkoutSession/sessionRecord.js';
import { apiError } from '../errors.js';
import type { OperationEnv, OperationResult } from '../operation.js';
import type { CheckoutSession } from '../types.js';

/**
 * A click on a checkout button: Amazon creates the Checkout Session from the signed payload,
 * which has "the same structure as the request body for the Create Checkout Session API" ("Add
 * the Amazon Pay button"), so it is validated and created by that very operation. The buyer
 * still has to sign in, so the session starts without a buyer whatever the approval setting.
 */
export function startCheckoutFromButton(env: OperationEnv, payloadJSON: string, productType: 'PayAndShip' | 'PayOnly'): OperationResult<CheckoutSession> {
  let payload: unknown;
  try {
    payload = JSON.parse(payloadJSON);
  } catch {
    throw apiError('InvalidParameterValue', "The button's payloadJSON is not valid JSON.");
  }
  const record = newSessionRecord({ ...env, settings: { ...env.settings, buyerApproval: 'manual' } }, payload);
  const session: CheckoutSession = { ...record.session, productType };
  const withType: SessionRecord = { ...record, session };
  return { status: 201, body: session, writes: [sessionWrite(withType)] };
}
