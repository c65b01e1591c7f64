import { afterEach, describe, expect, it } from 'vitest';
import { IdGenerator, seededRandom } from '../../server/domain/ids.js';
import { IpnService } from '../../server/ipn/ipnService.js';
import type { BeforeLookup } from '../../server/ipn/notifications.js';
import { NotifyingStore } from '../../server/ipn/notifyingStore.js';
import { MemoryStore } from '../../server/store/memoryStore.js';
import type { Put } from '../../server/store/store.js';
import { chargeRecord, refundRecord } from './records.js';
import { startReceiver } from './receiver.js';

const CH = 'S01-1111111-2222222-C000001';
const RF = 'S01-1111111-2222222-R000001';

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

describe('NotifyingStore', () => {
  it('hands onCommit the old values of written records and the current value of others', async () => {
    const inner = new MemoryStore();
    await inner.commit('M', [{ collection: 'charges', id: CH, value: chargeRecord(CH, 'Authorized') }]);
    const seen: Array<{ puts: readonly Put[]; charge: unknown; refund: unknown; committed: unknown }> = [];
    const store = new NotifyingStore(inner, {
      onCommit: (_ns: string, puts: readonly Put[], before: BeforeLookup, committed?: Promise<unknown>) => {
        seen.push({ puts, charge: before('charges', CH), refund: before('refunds', RF), committed });
        return [];
      },
    });
    const done = store.commit('M', [
      { collection: 'charges', id: CH, value: chargeRecord(CH, 'Captured') },
      { collection: 'refunds', id: RF, value: refundRecord(RF, CH, 'RefundInitiated') },
    ]);
    await done;
    expect(seen).toHaveLength(1);
    expect((seen[0]!.charge as ReturnType<typeof chargeRecord>).charge.statusDetails.state).toBe('Authorized');
    expect(seen[0]!.refund).toBeUndefined();
    expect(seen[0]!.committed).toBe(done);
    expect(store.get<ReturnType<typeof chargeRecord>>('M', 'charges', CH)!.charge.statusDetails.state).toBe('Captured');
  });

  it('does not call onCommit for commits touching no notifying collection', async () => {
    let calls = 0;
    const store = new NotifyingStore(new MemoryStore(), { onCommit: () => (calls++, []) });
    await store.commit('M', [{ collection: 'settings', id: 'ipn', value: { urls: [], signed: true } }, { collection: 'checkoutSessions', id: 's', value: {} }]);
    expect(calls).toBe(0);
  });

  it('end to end: a charge settling through the store reaches the receiver once', async () => {
    const r = await startReceiver();
    cleanups.push(() => r.close());
    const inner = new MemoryStore();
    const ipn = new IpnService({ store: inner, ids: new IdGenerator(seededRandom('s')), publicUrl: () => 'http://127.0.0.1:9', defaultUrls: [r.url], retryDelaysMs: [], timeoutMs: 2000 });
    cleanups.push(() => ipn.close());
    const store = new NotifyingStore(inner, ipn);
    await store.commit('M', [{ collection: 'charges', id: CH, value: chargeRecord(CH, 'AuthorizationInitiated') }]);
    await store.commit('M', [{ collection: 'charges', id: CH, value: chargeRecord(CH, 'AuthorizationInitiated'), dueAt: null }]);
    await store.commit('M', [{ collection: 'charges', id: CH, value: chargeRecord(CH, 'Authorized') }]);
    await ipn.flush();
    expect(r.received).toHaveLength(2);
    expect(ipn.deliveries().every((d) => d.status === 'delivered')).toBe(true);
  });
});
