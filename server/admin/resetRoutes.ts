import type { FastifyInstance } from 'fastify';
import { restoreAfterReset, savedKeys } from './registeredKeys.js';
import { signingKeyToKeep } from '../ipn/sharedSigningKey.js';
import { merchantParam } from '../http/merchantParam.js';
import type { MockContext } from '../context.js';

/**
 * POST /__admin/reset[?merchant=id]: clears stored objects (idempotency keys and IPN endpoints
 * included), control-API scenarios and faults, the clock, the journal and the IPN outbox, for one
 * merchant or for everyone.
 */
export function resetRoutes(app: FastifyInstance, deps: MockContext): void {
  // Degraded while the store cannot write (disk full, I/O errors): reads still work, writes answer
  // 503. Still 200: the process is alive and serving, and restarting it would not free the disk.
  app.get('/__admin/health', async () => {
    const store = deps.storeHealth.status();
    return store.status === 'ok' ? { status: 'ok' } : { status: 'degraded', store };
  });
  app.post('/__admin/reset', async (request) => {
    const merchant = merchantParam(request.query);
    const keys = merchant === undefined ? await savedKeys(deps.store) : [];
    // The IPN signing key every instance on a shared store signs with outlives a reset like the registered keys.
    const signingKey = merchant === undefined ? await signingKeyToKeep(deps.store) : [];
    await deps.ipn.clearDeliveries(merchant); // stops this process's attempts; the store reset below clears the rest
    await deps.store.reset(merchant);
    await restoreAfterReset(deps.store, keys, signingKey); // registered keys and the shared IPN signing key outlive a reset
    await deps.scenarios.reset(merchant);
    deps.clocks.reset(merchant);
    await deps.journal.clear(merchant);
    await deps.idReservation?.persist(); // a full reset cleared the id generator's mark too
    return { reset: merchant ?? 'all' };
  });
}
