import { closeChargePermission, getChargePermission, updateChargePermission } from '../domain/chargePermission/chargePermissionOperations.js';
import type { Call, OperationRoute } from './operationRoute.js';
import { callFacts } from '../scenarios/facts.js';

const id = (call: Call) => call.params.chargePermissionId!;
const path = '/chargePermissions/:chargePermissionId';

/** The Charge Permission operations (Amazon Pay API reference: "Charge Permission"). Close is a DELETE with a JSON body. */
export const chargePermissionRoutes: OperationRoute[] = [
  { name: 'getChargePermission', method: 'GET', path, hasBody: false, facts: callFacts, run: (env, call) => getChargePermission(env, id(call)) },
  { name: 'updateChargePermission', method: 'PATCH', path, hasBody: true, facts: callFacts, run: (env, call) => updateChargePermission(env, id(call), call.body) },
  { name: 'closeChargePermission', method: 'DELETE', path: `${path}/close`, hasBody: true, facts: callFacts, run: (env, call) => closeChargePermission(env, id(call), call) },
];
