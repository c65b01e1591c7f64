import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { FileStore, MemoryStore } from '../../server/store/index.js';
import { tempDirs } from './tempDir.js';

const temp = tempDirs();
afterEach(() => temp.cleanup());

const DAY = 86_400_000;
const put = (id: string, value: unknown) => [{ collection: 'charges' as const, id, value }];

describe('retention: records unchanged for the retention period are removed', () => {
  it('removes what rested longer than the period, in every collection and namespace, and keeps what changed since', async () => {
    let now = 10 * DAY;
    const store = new MemoryStore({ retentionMs: 30 * DAY, now: () => now });
    await store.commit('m1', [...put('old', { n: 1 }), { collection: 'idempotency', id: 'sandbox:k', value: { status: 201 } }]);
    await store.commit('m2', put('old', { n: 1 }));
    await store.commit('m1', put('rewritten', { v: 1 }));
    now += 20 * DAY;
    await store.commit('m1', put('rewritten', { v: 2 }));
    await store.commit('m1', put('young', {}));
    now += 10 * DAY + 1; // 'old' rested 30 days + 1 ms, 'rewritten' and 'young' 10 days
    expect(await store.sweepRetention()).toBe(3);
    expect(store.list('m1', 'charges')).toEqual([{ v: 2 }, {}]);
    expect(store.get('m1', 'idempotency', 'sandbox:k')).toBeUndefined();
    expect(store.namespaces()).toEqual(['m1']);
  });

  it('never removes configuration: settings and keys registered at run time stay however long they rest', async () => {
    let now = 0;
    const store = new MemoryStore({ retentionMs: DAY, now: () => now });
    await store.commit('server', [{ collection: 'settings', id: 'ids', value: { reservedWords: 4 } }]);
    await store.commit('m1', [
      { collection: 'settings', id: 'clock', value: { frozen: true } },
      { collection: 'publicKeys', id: 'KEY1', value: { pem: 'x' } },
      ...put('old', {}),
    ]);
    now = 400 * DAY;
    expect(await store.sweepRetention()).toBe(1);
    expect(store.get('m1', 'charges', 'old')).toBeUndefined();
    expect(store.get('m1', 'settings', 'clock')).toEqual({ frozen: true });
    expect(store.get('m1', 'publicKeys', 'KEY1')).toEqual({ pem: 'x' });
    expect(store.get('server', 'settings', 'ids')).toEqual({ reservedWords: 4 });
  });

  it('keeps everything without a retention period', async () => {
    let now = 0;
    const store = new MemoryStore({ now: () => now });
    await store.commit('m1', put('old', {}));
    now = 10_000 * DAY;
    expect(await store.sweepRetention()).toBe(0);
    expect(store.get('m1', 'charges', 'old')).toEqual({});
  });

  it('never removes a record that a request changed while the sweep was looking', async () => {
    let now = 0;
    const store = new MemoryStore({ retentionMs: DAY, now: () => now });
    await store.commit('m1', [...put('a', {}), ...put('b', {})]);
    now = 2 * DAY;
    const sweeping = store.sweepRetention();
    await store.commit('m1', put('a', { touched: true })); // lands between choosing and removing
    expect(await sweeping).toBe(1);
    expect(store.list('m1', 'charges')).toEqual([{ touched: true }]);
  });

  it('counts real time on the real clock', async () => {
    const store = new MemoryStore({ retentionMs: 30 });
    await store.commit('m1', put('a', {}));
    expect(await store.sweepRetention()).toBe(0);
    await sleep(60);
    await store.commit('m1', put('b', {}));
    expect(await store.sweepRetention()).toBe(1);
    expect(store.list('m1', 'charges')).toEqual([{}]);
    expect(store.get('m1', 'charges', 'b')).toEqual({});
  });

  it('makes its removals durable, and keeps each record\'s last change across a restart', async () => {
    const file = path.join(await temp.make(), 'db.json');
    let now = 0;
    const store = new FileStore(file, { retentionMs: 30 * DAY, now: () => now });
    await store.open();
    await store.commit('m1', put('old', {}));
    now = 20 * DAY;
    await store.commit('m1', put('young', {}));
    await store.compact();
    await store.commit('m1', put('fromLog', {}));
    await store.close();

    now = 30 * DAY + 1;
    const restarted = new FileStore(file, { retentionMs: 30 * DAY, now: () => now });
    await restarted.open();
    expect(await restarted.sweepRetention()).toBe(1); // only 'old': the others keep their real age
    await restarted.close();
    const again = new FileStore(file, { now: () => now });
    await again.open();
    expect(again.get('m1', 'charges', 'old')).toBeUndefined();
    expect(again.list('m1', 'charges')).toEqual([{}, {}]);
    await again.close();
  });
});

describe('retention outside the store', () => {
  it('drops journal entries recorded before the cutoff, oldest first', async () => {
    const { Journal } = await import('../../server/journal/journal.js');
    const journal = new Journal(10);
    const entry = (time: string) => ({ time, merchant: 'm1', publicKeyId: null, operation: null, method: 'GET', path: '/', status: 200, durationMs: 1, reasonCode: null, scenario: null, replayed: false, objectIds: [], request: { headers: {}, body: null }, response: { body: null }, proxy: null, signature: null });
    journal.record(entry('2026-01-01T00:00:00.000Z'));
    journal.record(entry('2026-02-01T00:00:00.000Z'));
    journal.record(entry('2026-03-01T00:00:00.000Z'));
    expect(journal.dropBefore(Date.parse('2026-02-01T00:00:00.000Z'))).toBe(1);
    expect(journal.query().map((e) => e.time)).toEqual(['2026-03-01T00:00:00.000Z', '2026-02-01T00:00:00.000Z']);
  });
});
