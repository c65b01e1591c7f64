import { completeCheckoutSession } from '../domain/checkoutSession/completeCheckoutSession.js';
import { createCheckoutSession } from '../domain/checkoutSession/createCheckoutSession.js';
import { finalizeCheckoutSession } from '../domain/checkoutSession/finalizeCheckoutSession.js';
import { getCheckoutSession } from '../domain/checkoutSession/getCheckoutSession.js';
import { updateCheckoutSession } from '../domain/checkoutSession/updateCheckoutSession.js';
import type { Call, OperationRoute } from './operationRoute.js';
import { callFacts } from '../scenarios/facts.js';

const id = (call: Call) => call.params.checkoutSessionId!;
const path = '/checkoutSessions/:checkoutSessionId';

/** The Checkout Session operations (Amazon Pay API reference: "Checkout Session"). */
export const checkoutSessionRoutes: OperationRoute[] = [
  { name: 'createCheckoutSession', method: 'POST', path: '/checkoutSessions', hasBody: true, idempotency: 'required', facts: callFacts, run: (env, call) => createCheckoutSession(env, call.body) },
  { name: 'getCheckoutSession', method: 'GET', path, hasBody: false, facts: callFacts, run: (env, call) => getCheckoutSession(env, id(call)) },
  { name: 'updateCheckoutSession', method: 'PATCH', path, hasBody: true, facts: callFacts, run: (env, call) => updateCheckoutSession(env, id(call), call.body) },
  {
    name: 'completeCheckoutSession',
    method: 'POST',
    path: `${path}/complete`,
    hasBody: true,
    idempotency: 'optional',
    facts: callFacts,
    run: (env, call) => completeCheckoutSession(env, id(call), call),
  },
  {
    name: 'finalizeCheckoutSession',
    method: 'POST',
    path: `${path}/finalize`,
    hasBody: true,
    idempotency: 'optional',
    facts: callFacts,
    run: (env, call) => finalizeCheckoutSession(env, id(call), call),
  },
];
