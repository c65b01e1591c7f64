import { inStoreCharge, inStoreRefund, merchantScan } from '../domain/inStore/inStoreOperations.js';
import type { OperationRoute } from './operationRoute.js';

/** The InStoreClient operations: a scan of the buyer's code, then charge and refund against it. */
export const inStoreRoutes: OperationRoute[] = [
  { name: 'merchantScan', method: 'POST', path: '/in-store/merchantScan', hasBody: true, idempotency: 'optional', run: (env, call) => merchantScan(env, call.body) },
  { name: 'inStoreCharge', method: 'POST', path: '/in-store/charge', hasBody: true, idempotency: 'optional', run: (env, call) => inStoreCharge(env, call.body) },
  { name: 'inStoreRefund', method: 'POST', path: '/in-store/refund', hasBody: true, idempotency: 'optional', run: (env, call) => inStoreRefund(env, call.body) },
];
