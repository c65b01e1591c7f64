import type { FastifyInstance } from 'fastify';
import { accountRoutes } from './accountRoutes.js';
import { chargePermissionRoutes } from './chargePermissions.js';
import { chargeRoutes } from './charges.js';
import { checkoutSessionRoutes } from './checkoutSessions.js';
import { refundRoutes } from './refunds.js';
import { reportRoutes } from './reports.js';
import { disputeRoutes } from './disputes.js';
import { merchantAccountRoutes } from './merchantAccounts.js';
import { inStoreRoutes } from './inStore.js';
import { registerStorage } from './storageRoutes.js';
import type { OperationRoute } from './operationRoute.js';
import { operationHandler } from './pipeline.js';
import type { MockContext } from '../context.js';

/** Every emulated operation. */
export const operationRoutes: readonly OperationRoute[] = [...checkoutSessionRoutes, ...chargePermissionRoutes, ...chargeRoutes, ...refundRoutes, ...accountRoutes, ...reportRoutes, ...disputeRoutes, ...merchantAccountRoutes, ...inStoreRoutes];

/** URL prefixes each operation is served under (Amazon Pay "API introduction"): bare /v2 and /{sandbox|live}/v2. */
export const apiPrefixes = ['/v2', '/:environment/v2'] as const;

/** Registers every operation under both prefixes; one trailing slash is tolerated by the router. */
export function registerApi(app: FastifyInstance, deps: MockContext): void {
  for (const route of operationRoutes) {
    const handler = operationHandler(route, deps);
    for (const prefix of apiPrefixes) {
      app.route({ method: route.method, url: `${prefix}${route.path}`, handler });
    }
  }
  registerStorage(app, deps);
}
