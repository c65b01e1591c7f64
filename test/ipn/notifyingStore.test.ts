import { afterEach, describe, expect, it } from 'vitest';
import { seededRandom } from '../../server/ids/random.js';
import { RandomIdGenerator } from '../../server/ids/randomIdGenerator.js';
import { IpnService } from '../../server/ipn/ipnService.js';
import type { IpnNotification } from '../../server/ipn/notifications.js';
import { NotifyingStore } from '../../server/ipn/notifyingStore.js';
import type { OutboxRecord } from '../../server/ipn/outbox.js';
import { createStore } from '../../server/store/createStore.js';
import type { Put, Store } from '../../server/store/store.js';
import { chargeRecord, refundRecord } from './records.js';
import { startReceiver } from './receiver.js';

const CH = 'S01-1111111-2222222-C000001';
const RF = 'S01-1111111-2222222-R000001';

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const write = (store: Store, ns: string, puts: Put[]) => store.transact(ns, () => ({ puts, result: undefined }));

describe('NotifyingStore', () => {
  it('judges notifications against the values before the transaction and hands them over with the IPN settings read in the same transaction', async () => {
    const inner = createStore('memory');
    await write(inner, 'M', [
      { collection: 'charges', id: CH, value: chargeRecord(CH, 'Authorized') },
      { collection: 'settings', id: 'ipn', value: { urls: ['http://127.0.0.1:1/'], signed: false } },
    ]);
    const seen: Array<{ ns: string; notifications: readonly IpnNotification[]; settings: unknown }> = [];
    const store = new NotifyingStore(inner, {
      hasEndpoints: () => true,
      outboxRecords: (ns, { notifications, settings }) => {
        seen.push({ ns, notifications, settings });
        return [];
      },
      attemptFirst: () => {},
    });
    const result = await store.transact('M', (view) => {
      expect(view.get<ReturnType<typeof chargeRecord>>('charges', CH)!.charge.statusDetails.state).toBe('Authorized');
      return {
        puts: [
          { collection: 'charges', id: CH, value: chargeRecord(CH, 'Captured') },
          { collection: 'refunds', id: RF, value: refundRecord(RF, CH, 'RefundInitiated') },
        ],
        result: 'done',
      };
    });
    expect(result).toBe('done');
    expect(seen).toHaveLength(1);
    expect(seen[0]!.notifications.map((n) => `${n.objectType} ${n.notificationType}`)).toEqual(['CHARGE STATE_CHANGE', 'REFUND STATE_CHANGE']);
    expect(seen[0]!.settings).toEqual({ urls: ['http://127.0.0.1:1/'], signed: false });
    expect((await store.read<ReturnType<typeof chargeRecord>>('M', 'charges', CH))!.charge.statusDetails.state).toBe('Captured');
  });

  it('hands nothing over for transactions touching no notifying collection, or writing nothing', async () => {
    let calls = 0;
    const store = new NotifyingStore(createStore('memory'), { hasEndpoints: () => true, outboxRecords: () => (calls++, []), attemptFirst: () => {} });
    await write(store, 'M', [{ collection: 'settings', id: 'ipn', value: { urls: [], signed: true } }, { collection: 'checkoutSessions', id: 's', value: {} }]);
    await store.transact('M', () => ({ puts: [], result: null }));
    expect(calls).toBe(0);
  });

  it('works out no notifications for a merchant without an endpoint, and asks with the settings read in the transaction', async () => {
    const inner = createStore('memory');
    await write(inner, 'M', [{ collection: 'charges', id: CH, value: chargeRecord(CH, 'Authorized') }]);
    const asked: unknown[] = [];
    let handedOver = 0;
    const store = new NotifyingStore(inner, { hasEndpoints: (settings) => (asked.push(settings), false), outboxRecords: () => (handedOver++, []), attemptFirst: () => {} });
    await write(store, 'M', [{ collection: 'charges', id: CH, value: chargeRecord(CH, 'Captured') }]);
    expect(asked).toEqual([undefined]);
    expect(handedOver).toBe(0);
    expect((await store.read<ReturnType<typeof chargeRecord>>('M', 'charges', CH))!.charge.statusDetails.state).toBe('Captured');
  });

  it('writes and attempts no delivery when the transaction fails', async () => {
    let calls = 0;
    const inner = createStore('memory');
    const record = { delivery: { id: 'd1', merchant: 'M' }, order: 0, dueAt: 0, claim: null } as unknown as OutboxRecord;
    const store = new NotifyingStore(inner, { hasEndpoints: () => true, outboxRecords: () => [record], attemptFirst: () => void calls++ });
    await expect(write(store, 'M', [{ collection: 'charges', id: CH, value: chargeRecord(CH, 'Authorized') }, { collection: 'nope' as never, id: 'x', value: {} }])).rejects.toThrow(/unknown collection/);
    expect(calls).toBe(0);
    expect(await inner.readAll('M', 'ipnDeliveries')).toEqual([]);
  });

  it('writes the deliveries a change causes in the same commit as the change', async () => {
    const inner = createStore('memory');
    const ipn = new IpnService({ store: inner, ids: new RandomIdGenerator(seededRandom('c')), publicUrl: () => 'http://127.0.0.1:9', defaultUrls: ['http://127.0.0.1:1/'], retryDelaysMs: [], timeoutMs: 2000 });
    cleanups.push(() => ipn.close());
    await write(inner, 'M', [{ collection: 'charges', id: CH, value: chargeRecord(CH, 'Authorized') }]);
    // What each commit of the inner store wrote, by collection.
    const commits: string[][] = [];
    const recording: Store = Object.assign(Object.create(inner) as Store, {
      transact: (ns: string, work: Parameters<Store['transact']>[1]) =>
        inner.transact(ns, (view) => {
          const outcome = work(view);
          commits.push(outcome.puts.map((p) => p.collection));
          return outcome;
        }),
    });
    const store = new NotifyingStore(recording, ipn);
    await write(store, 'M', [{ collection: 'charges', id: CH, value: chargeRecord(CH, 'Captured') }]);
    expect(commits[0]).toEqual(['charges', 'ipnDeliveries']);
    expect(await inner.readAll('M', 'ipnDeliveries')).toHaveLength(1);
  });

  it('end to end: a charge settling through the store reaches the receiver once', async () => {
    const r = await startReceiver();
    cleanups.push(() => r.close());
    const inner = createStore('memory');
    const ipn = new IpnService({ store: inner, ids: new RandomIdGenerator(seededRandom('s')), publicUrl: () => 'http://127.0.0.1:9', defaultUrls: [r.url], retryDelaysMs: [], timeoutMs: 2000 });
    cleanups.push(() => ipn.close());
    const store = new NotifyingStore(inner, ipn);
    await write(store, 'M', [{ collection: 'charges', id: CH, value: chargeRecord(CH, 'AuthorizationInitiated') }]);
    await write(store, 'M', [{ collection: 'charges', id: CH, value: chargeRecord(CH, 'AuthorizationInitiated'), dueAt: null }]);
    await write(store, 'M', [{ collection: 'charges', id: CH, value: chargeRecord(CH, 'Authorized') }]);
    await ipn.flush();
    expect(r.received).toHaveLength(2);
    expect((await ipn.deliveries()).every((d) => d.status === 'delivered')).toBe(true);
  });
});
