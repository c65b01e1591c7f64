import { completeCheckoutSession } from '../../server/domain/checkoutSession/completeCheckoutSession.js';
import { createCheckoutSession } from '../../server/domain/checkoutSession/createCheckoutSession.js';
import { readySessionBody } from './testApp.js';
import type { domainWorld } from './domainEnv.js';

/**
 * Creates and completes a session in a domain world; returns the permission and charge ids.
 * `session` adds top-level fields to the create body (e.g. chargePermissionType).
 */
export function completedCheckout(world: ReturnType<typeof domainWorld>, paymentDetails: Record<string, unknown> = {}, session: Record<string, unknown> = {}) {
  const pd = { paymentIntent: 'Authorize', chargeAmount: { amount: '100.00', currencyCode: 'USD' }, ...paymentDetails };
  const id = world.apply(createCheckoutSession(world.env(), readySessionBody({ paymentDetails: pd, ...session }))).body.checkoutSessionId;
  const body = world.apply(completeCheckoutSession(world.env(), id, { body: { chargeAmount: pd.chargeAmount, totalOrderAmount: (pd as any).totalOrderAmount } })).body as any;
  return { sessionId: id, chargePermissionId: body.chargePermissionId as string, chargeId: body.chargeId as string | null };
}
