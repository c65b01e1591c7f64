import type { FastifyInstance } from 'fastify';
import { merchantParam, type AdminDeps } from './adminDeps.js';

/** POST /__admin/reset: clears stored objects, control-API scenarios and the clock (one merchant or all). */
export function resetRoutes(app: FastifyInstance, deps: AdminDeps): void {
  app.get('/__admin/health', async () => ({ status: 'ok' }));
  app.post('/__admin/reset', async (request) => {
    const merchant = merchantParam(request.query);
    await deps.store.reset(merchant);
    deps.scenarios.reset(merchant);
    deps.clocks.reset(merchant);
    deps.ipn.clearDeliveries(merchant);
    return { reset: merchant ?? 'all' };
  });
}
