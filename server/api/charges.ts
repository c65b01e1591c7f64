import { captureCharge } from '../domain/charge/captureCharge.js';
import { cancelCharge, getCharge, updateCharge } from '../domain/charge/chargeOperations.js';
import { createCharge } from '../domain/charge/createCharge.js';
import type { Call, OperationRoute } from './operationRoute.js';
import { callFacts } from '../scenarios/facts.js';

const id = (call: Call) => call.params.chargeId!;
const path = '/charges/:chargeId';

/** The Charge operations (Amazon Pay API reference: "Charge"). Cancel is a DELETE with a JSON body; update is for PSPs. */
export const chargeRoutes: OperationRoute[] = [
  { name: 'createCharge', method: 'POST', path: '/charges', hasBody: true, idempotency: 'required', facts: callFacts, run: (env, call) => createCharge(env, call) },
  { name: 'getCharge', method: 'GET', path, hasBody: false, facts: callFacts, run: (env, call) => getCharge(env, id(call)) },
  { name: 'updateCharge', method: 'PATCH', path, hasBody: true, facts: callFacts, run: (env, call) => updateCharge(env, id(call), call.body) },
  { name: 'captureCharge', method: 'POST', path: `${path}/capture`, hasBody: true, idempotency: 'required', facts: callFacts, run: (env, call) => captureCharge(env, id(call), call) },
  { name: 'cancelCharge', method: 'DELETE', path: `${path}/cancel`, hasBody: true, facts: callFacts, run: (env, call) => cancelCharge(env, id(call), call.body) },
];
