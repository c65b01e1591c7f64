import { createRefund, getRefund } from '../domain/refund/refundOperations.js';
import type { OperationRoute } from './operationRoute.js';
import { callFacts } from '../scenarios/facts.js';

/** The Refund operations (Amazon Pay API reference: "Refund"). */
export const refundRoutes: OperationRoute[] = [
  { name: 'createRefund', method: 'POST', path: '/refunds', hasBody: true, idempotency: 'required', facts: callFacts, run: (env, call) => createRefund(env, call) },
  { name: 'getRefund', method: 'GET', path: '/refunds/:refundId', hasBody: false, facts: callFacts, run: (env, call) => getRefund(env, call.params.refundId!) },
];
