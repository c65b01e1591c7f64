import { completeCheckoutSession } from '../domain/checkoutSession/completeCheckoutSession.js';
import { createCheckoutSession } from '../domain/checkoutSession/createCheckoutSession.js';
import { getCheckoutSession } from '../domain/checkoutSession/getCheckoutSession.js';
import type { SessionRecord } from '../domain/checkoutSession/sessionRecord.js';
import { updateCheckoutSession } from '../domain/checkoutSession/updateCheckoutSession.js';
import type { StateView } from '../domain/operation.js';
import type { CallFacts } from '../domain/scenarios.js';
import type { Call, OperationRoute } from './operationRoute.js';

/** Scenario facts of a call on an existing session: its reference id and the amount at stake. */
function sessionFacts(state: StateView, call: Call): Partial<CallFacts> {
  const stored = state.get<SessionRecord>('checkoutSessions', call.params.checkoutSessionId!);
  const body = (call.body ?? {}) as Record<string, any>;
  const amount = body.chargeAmount ?? body.paymentDetails?.chargeAmount ?? stored?.session.paymentDetails?.chargeAmount ?? null;
  return {
    merchantReferenceId: body.merchantMetadata?.merchantReferenceId ?? stored?.session.merchantMetadata?.merchantReferenceId ?? null,
    amount: amount?.amount != null ? String(amount.amount) : null,
    currency: amount?.currencyCode ?? null,
  };
}

function createFacts(_state: StateView, call: Call): Partial<CallFacts> {
  const body = (call.body ?? {}) as Record<string, any>;
  const amount = body.paymentDetails?.chargeAmount;
  return {
    merchantReferenceId: body.merchantMetadata?.merchantReferenceId ?? null,
    amount: amount?.amount != null ? String(amount.amount) : null,
    currency: amount?.currencyCode ?? null,
  };
}

const id = (call: Call) => call.params.checkoutSessionId!;

/** The Checkout Session operations (§3.1). */
export const checkoutSessionRoutes: OperationRoute[] = [
  { name: 'createCheckoutSession', method: 'POST', path: '/checkoutSessions', hasBody: true, idempotency: 'required', facts: createFacts, run: (env, call) => createCheckoutSession(env, call.body) },
  { name: 'getCheckoutSession', method: 'GET', path: '/checkoutSessions/:checkoutSessionId', hasBody: false, facts: sessionFacts, run: (env, call) => getCheckoutSession(env, id(call)) },
  { name: 'updateCheckoutSession', method: 'PATCH', path: '/checkoutSessions/:checkoutSessionId', hasBody: true, facts: sessionFacts, run: (env, call) => updateCheckoutSession(env, id(call), call.body) },
  {
    name: 'completeCheckoutSession',
    method: 'POST',
    path: '/checkoutSessions/:checkoutSessionId/complete',
    hasBody: true,
    idempotency: 'optional',
    facts: sessionFacts,
    run: (env, call) => completeCheckoutSession(env, id(call), call.body, call.override),
  },
];
