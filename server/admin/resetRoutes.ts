import type { FastifyInstance } from 'fastify';
import { registeredKeysCollection } from './registeredKeys.js';
import { sharedSigningKeyRecord } from '../ipn/sharedSigningKey.js';
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
    await deps.ipn.clearDeliveries(merchant); // stops this process's attempts; the store reset below clears the rest
    // Registered keys and the IPN signing key every instance on a shared store signs with outlive a
    // full reset. The store keeps them in the same atomic step as it clears the rest: no crash and
    // no other instance can come between the clearing and the keeping.
    await deps.store.reset(merchant, merchant === undefined ? [registeredKeysCollection, sharedSigningKeyRecord] : undefined);
    await deps.scenarios.reset(merchant);
    deps.clocks.reset(merchant);
    await deps.journal.clear(merchant);
    await deps.idReservation?.persist(); // a full reset cleared the id generator's mark too
    return { reset: merchant ?? 'all' };
  });
}
