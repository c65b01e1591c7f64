import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EmbeddedStore, FileStore, MemoryStore, createStore, type EmbeddedEngine, type Put, type Store } from '../../server/store/index.js';
import type { RedisStore } from '../../server/store/redisStore.js';
import { describeSkippedWithoutRedis, hasRedis, isolatedRedisStore, redisForFile, redisWrites } from './redisTestServer.js';
import { tempDirs } from './tempDir.js';

const temp = tempDirs();

/** A Store implementation under test: how to make one, and how to count the writes it made durable. */
interface StoreKind {
  name: string;
  make: () => Promise<Store>;
  /** Writes that reached durable storage so far (log entries, commands), to prove that reads write nothing. */
  writes: (store: Store) => Promise<number>;
}

const engineOf = (store: Store) => (store as EmbeddedStore).engine;

/** A Store over a MemoryStore whose commits are counted (the memory engine has no log to look at). */
function countedMemoryStore(): Store {
  const engine = new MemoryStore();
  const commit = engine.commit.bind(engine);
  let commits = 0;
  engine.commit = (ns, puts) => (commits++, commit(ns, puts));
  return Object.assign(new EmbeddedStore(engine), { commits: () => commits });
}

const kinds: StoreKind[] = [
  { name: 'memory', make: async () => countedMemoryStore(), writes: async (store) => (store as unknown as { commits: () => number }).commits() },
  // Log entries written and fsync'ed: what a read must never cost (reads used to append empty commits).
  { name: 'file', make: async () => createStore('file', path.join(await temp.make(), 'db.json')), writes: async (store) => (engineOf(store) as FileStore).stats().entries },
];

// The same contract on Redis: one throw-away redis-server for this file, a key prefix per test.
const redis = redisForFile();
if (hasRedis) kinds.push({ name: 'redis', make: async () => isolatedRedisStore(redis.server().url), writes: (store) => redisWrites(store as RedisStore) });
else describeSkippedWithoutRedis('Store contract: redis');

/** Commits `puts` as a transaction that reads nothing. */
const commit = (store: Store, ns: string, puts: readonly Put[]) => store.transact(ns, () => ({ puts, result: undefined }));

/** The contract every Store implementation meets. */
function storeContract(kind: StoreKind): void {
  describe(`Store contract: ${kind.name}`, () => {
    let store: Store;
    const put = (ns: string, puts: readonly Put[]) => commit(store, ns, puts);

    beforeEach(async () => {
      store = await kind.make();
      await store.open();
    });

    afterEach(async () => {
      await store.close();
      await temp.cleanup();
    });

    describe('read, readAll, transact', () => {
      it('returns undefined and an empty list for what was never stored', async () => {
        expect(await store.read('m1', 'charges', 'nope')).toBeUndefined();
        expect(await store.readAll('m1', 'charges')).toEqual([]);
        expect(await store.namespaces()).toEqual([]);
      });

      it('reads back a committed value, with read and inside a later transaction', async () => {
        await put('m1', [{ collection: 'charges', id: 'C1', value: { amount: '10.00', tags: ['a'] } }]);
        expect(await store.read('m1', 'charges', 'C1')).toEqual({ amount: '10.00', tags: ['a'] });
        expect(await store.transact('m1', (view) => ({ puts: [], result: view.get('charges', 'C1') }))).toEqual({ amount: '10.00', tags: ['a'] });
      });

      it('resolves a transaction with its result once its puts are readable', async () => {
        const result = await store.transact('m1', (view) => ({ puts: [{ collection: 'charges', id: 'C1', value: { before: view.get('charges', 'C1') ?? null } }], result: 'done' }));
        expect(result).toBe('done');
        expect(await store.read('m1', 'charges', 'C1')).toEqual({ before: null });
      });

      it('writes nothing at all for a transaction without puts', async () => {
        await put('m1', [{ collection: 'charges', id: 'C1', value: { n: 1 } }]);
        const before = await kind.writes(store);
        for (let i = 0; i < 5; i++) expect(await store.transact('m1', (view) => ({ puts: [], result: view.get('charges', 'C1') }))).toEqual({ n: 1 });
        await store.flush();
        expect(await kind.writes(store)).toBe(before);
      });

      it('replaces a record with the whole new value', async () => {
        await put('m1', [{ collection: 'charges', id: 'C1', value: { a: 1, b: 2 } }]);
        await put('m1', [{ collection: 'charges', id: 'C1', value: { a: 3 } }]);
        expect(await store.read('m1', 'charges', 'C1')).toEqual({ a: 3 });
      });

      it('lists the records of one collection in insertion order, a replaced record keeping its place', async () => {
        await put('m1', [
          { collection: 'charges', id: 'C2', value: { id: 'C2' } },
          { collection: 'charges', id: 'C1', value: { id: 'C1' } },
          { collection: 'refunds', id: 'R1', value: { id: 'R1' } },
        ]);
        await put('m1', [{ collection: 'charges', id: 'C2', value: { id: 'C2', v: 2 } }]);
        expect(await store.readAll('m1', 'charges')).toEqual([{ id: 'C2', v: 2 }, { id: 'C1' }]);
        expect(await store.readAll('m1', 'refunds')).toEqual([{ id: 'R1' }]);
      });

      it('stores any JSON value, including primitives and ids like __proto__', async () => {
        await put('m1', [
          { collection: 'settings', id: 'flag', value: false },
          { collection: 'settings', id: 'count', value: 0 },
          { collection: 'idempotency', id: '__proto__', value: { key: '__proto__' } },
        ]);
        expect(await store.read('m1', 'settings', 'flag')).toBe(false);
        expect(await store.read('m1', 'settings', 'count')).toBe(0);
        expect(await store.read('m1', 'idempotency', '__proto__')).toEqual({ key: '__proto__' });
      });

      it('deletes a record when the put value is null, and ignores deleting a missing one', async () => {
        await put('m1', [{ collection: 'charges', id: 'C1', value: { n: 1 } }]);
        await put('m1', [
          { collection: 'charges', id: 'C1', value: null },
          { collection: 'charges', id: 'never', value: null },
        ]);
        expect(await store.read('m1', 'charges', 'C1')).toBeUndefined();
        expect(await store.readAll('m1', 'charges')).toEqual([]);
      });

      it('rejects a transaction with an invalid put and applies none of its puts', async () => {
        const bad = [
          { collection: 'charges' as const, id: 'C1', value: { n: 1 } },
          { collection: 'nope' as never, id: 'X', value: {} },
        ];
        await expect(put('m1', bad)).rejects.toThrow(/unknown collection "nope"/);
        await expect(put('m1', [{ collection: 'charges', id: 'C1', value: undefined }])).rejects.toThrow(/use null to delete/);
        await expect(put('m1', [{ collection: 'charges', id: '', value: {} }])).rejects.toThrow(/id/);
        await expect(put('', [{ collection: 'charges', id: 'C1', value: {} }])).rejects.toThrow(/namespace/);
        await expect(put('m1', [{ collection: 'charges', id: 'C1', value: {}, dueAt: Number.NaN }])).rejects.toThrow(/dueAt/);
        const circular: Record<string, unknown> = {};
        circular.self = circular;
        await expect(put('m1', [{ collection: 'charges', id: 'C1', value: { n: 1 } }, { collection: 'charges', id: 'C2', value: circular }])).rejects.toThrow();
        expect(await store.read('m1', 'charges', 'C1')).toBeUndefined();
        expect(await store.namespaces()).toEqual([]);
      });

      it('rejects with what the work threw, and writes nothing', async () => {
        const boom = new Error('refused by the domain');
        await expect(
          store.transact('m1', (view) => {
            view.get('charges', 'C1');
            throw boom;
          }),
        ).rejects.toBe(boom);
        expect(await store.namespaces()).toEqual([]);
      });

      it('is not changed by mutating an object after passing it in a put', async () => {
        const value = { status: 'Open', items: [1] };
        await put('m1', [{ collection: 'charges', id: 'C1', value }]);
        try {
          value.status = 'Closed';
          value.items.push(2);
        } catch {
          // The embedded stores own (freeze) what was committed; either way the record stays as it was.
        }
        expect(await store.read('m1', 'charges', 'C1')).toEqual({ status: 'Open', items: [1] });
      });

      it('is not changed by mutating what read returned', async () => {
        await put('m1', [{ collection: 'charges', id: 'C1', value: { status: 'Open', nested: { a: 1 } } }]);
        const read = (await store.read<{ status: string; nested: { a: number } }>('m1', 'charges', 'C1'))!;
        try {
          read.status = 'Closed';
          read.nested.a = 2;
        } catch {
          // Stores may hand out frozen values instead: either way the stored record stays as it was.
        }
        expect(await store.read('m1', 'charges', 'C1')).toEqual({ status: 'Open', nested: { a: 1 } });
      });

      it('refuses values that are not plain JSON (a Date, a Map, a class instance) and applies nothing', async () => {
        for (const bad of [{ at: new Date(0) }, { m: new Map() }, { x: new (class Thing {})() }]) {
          await expect(put('m1', [{ collection: 'charges', id: 'C0', value: { ok: 1 } }, { collection: 'charges', id: 'C1', value: bad }])).rejects.toThrow(/plain JSON/);
        }
        expect(await store.namespaces()).toEqual([]);
      });
    });

    describe('transactions under concurrency', () => {
      const counter = (view: { get<T>(c: 'settings', id: string): T | undefined }) => view.get<{ n: number }>('settings', 'counter')?.n ?? 0;
      const increment = () =>
        store.transact('m1', (view) => {
          const n = counter(view) + 1;
          return { puts: [{ collection: 'settings', id: 'counter', value: { n } }], result: n };
        });

      it('never loses an update: parallel read-modify-write transactions each see the one before', async () => {
        const results = await Promise.all(Array.from({ length: 40 }, increment));
        expect([...results].sort((a, b) => a - b)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
        expect(await store.read('m1', 'settings', 'counter')).toEqual({ n: 40 });
      });

      it('a read or transaction issued after a write was issued sees that write, never the value before', async () => {
        const written = put('m1', [{ collection: 'charges', id: 'C1', value: { n: 1 } }]);
        const [read, seen] = await Promise.all([store.read('m1', 'charges', 'C1'), store.transact('m1', (view) => ({ puts: [], result: view.get('charges', 'C1') }))]);
        await written;
        expect(read).toEqual({ n: 1 });
        expect(seen).toEqual({ n: 1 });
      });

      it('a read-modify-write issued while a write to the same record is in flight builds on that write', async () => {
        const written = put('m1', [{ collection: 'settings', id: 'counter', value: { n: 5 } }]);
        const result = await increment();
        await written;
        expect(result).toBe(6);
        expect(await store.read('m1', 'settings', 'counter')).toEqual({ n: 6 });
      });
    });

    describe('namespaces', () => {
      it('keeps namespaces isolated: the same id in two namespaces is two records', async () => {
        await put('m1', [{ collection: 'charges', id: 'C1', value: { owner: 'm1' } }]);
        await put('m2', [{ collection: 'charges', id: 'C1', value: { owner: 'm2' } }]);
        expect(await store.read('m1', 'charges', 'C1')).toEqual({ owner: 'm1' });
        expect(await store.read('m2', 'charges', 'C1')).toEqual({ owner: 'm2' });
        expect(await store.readAll('m1', 'charges')).toEqual([{ owner: 'm1' }]);
        expect(await store.transact('m2', (view) => ({ puts: [], result: view.get('charges', 'C1') }))).toEqual({ owner: 'm2' });
      });

      it('lists only namespaces that hold at least one record, sorted', async () => {
        await put('m2', [{ collection: 'charges', id: 'C1', value: {} }]);
        await put('m1', [{ collection: 'refunds', id: 'R1', value: {} }]);
        await put('m3', [{ collection: 'charges', id: 'gone', value: null }]);
        expect(await store.namespaces()).toEqual(['m1', 'm2']);
        await put('m1', [{ collection: 'refunds', id: 'R1', value: null }]);
        expect(await store.namespaces()).toEqual(['m2']);
      });

      it('reset(ns) clears that namespace only', async () => {
        await put('m1', [{ collection: 'charges', id: 'C1', value: {}, dueAt: 5 }]);
        await put('m2', [{ collection: 'charges', id: 'C1', value: {}, dueAt: 6 }]);
        await store.reset('m1');
        expect(await store.read('m1', 'charges', 'C1')).toBeUndefined();
        expect(await store.read('m2', 'charges', 'C1')).toEqual({});
        expect(await store.namespaces()).toEqual(['m2']);
        expect((await store.due(100)).map((r) => r.ns)).toEqual(['m2']);
      });

      it('reset() clears every namespace and the due index', async () => {
        await put('m1', [{ collection: 'charges', id: 'C1', value: {}, dueAt: 5 }]);
        await put('m2', [{ collection: 'refunds', id: 'R1', value: {} }]);
        await store.reset();
        expect(await store.namespaces()).toEqual([]);
        expect(await store.readAll('m2', 'refunds')).toEqual([]);
        expect(await store.nextDue()).toBeNull();
        expect(await store.due(Number.MAX_SAFE_INTEGER)).toEqual([]);
      });

      // What the admin reset keeps: the registered keys (a whole collection) and the shared IPN signing key (one record).
      const keep = [
        { ns: 'server', collection: 'publicKeys' as const },
        { ns: 'server', collection: 'settings' as const, id: 'signing' },
      ];

      it('reset() with a keep list keeps exactly those records, with their order and schedules, and clears the rest', async () => {
        await put('server', [
          { collection: 'publicKeys', id: 'K1', value: { k: 1 } },
          { collection: 'publicKeys', id: 'K2', value: { k: 2 }, dueAt: 7 },
          { collection: 'settings', id: 'rules', value: { r: 1 }, dueAt: 3 },
          { collection: 'settings', id: 'signing', value: { s: 1 }, dueAt: 9 },
        ]);
        await put('m1', [
          { collection: 'charges', id: 'C1', value: {}, dueAt: 5 },
          { collection: 'settings', id: 'signing', value: { other: true } },
          { collection: 'publicKeys', id: 'K1', value: { other: true } },
        ]);
        await store.reset(undefined, keep);
        expect(await store.readAll('server', 'publicKeys')).toEqual([{ k: 1 }, { k: 2 }]);
        expect(await store.read('server', 'settings', 'signing')).toEqual({ s: 1 });
        expect(await store.read('server', 'settings', 'rules')).toBeUndefined();
        expect(await store.readAll('server', 'settings')).toEqual([{ s: 1 }]);
        // The same collection and id in another namespace is not kept.
        expect(await store.read('m1', 'settings', 'signing')).toBeUndefined();
        expect(await store.read('m1', 'publicKeys', 'K1')).toBeUndefined();
        expect(await store.read('m1', 'charges', 'C1')).toBeUndefined();
        expect(await store.namespaces()).toEqual(['server']);
        expect(await store.due(100)).toEqual([
          { ns: 'server', collection: 'publicKeys', id: 'K2', dueAt: 7 },
          { ns: 'server', collection: 'settings', id: 'signing', dueAt: 9 },
        ]);
        expect(await store.nextDue()).toBe(7);
        expect(await store.nextDue('m1')).toBeNull();
        // Kept records stay ordinary records: they change, gain neighbours, and go.
        await put('server', [{ collection: 'publicKeys', id: 'K3', value: { k: 3 } }, { collection: 'publicKeys', id: 'K1', value: { k: 11 } }]);
        expect(await store.readAll('server', 'publicKeys')).toEqual([{ k: 11 }, { k: 2 }, { k: 3 }]);
        await put('server', ['K1', 'K2', 'K3'].map((id) => ({ collection: 'publicKeys' as const, id, value: null })));
        await put('server', [{ collection: 'settings', id: 'signing', value: null }]);
        expect(await store.namespaces()).toEqual([]);
        expect(await store.nextDue()).toBeNull();
      });

      it('reset(ns) clears that namespace only, keeping there what the keep list names and ignoring the rest of it', async () => {
        await put('server', [{ collection: 'settings', id: 'rules', value: { r: 1 } }]);
        await put('m1', [
          { collection: 'charges', id: 'C1', value: {}, dueAt: 5 },
          { collection: 'settings', id: 'clock', value: { t: 1 }, dueAt: 6 },
        ]);
        await store.reset('m1', [...keep, { ns: 'm1', collection: 'settings', id: 'clock' }]);
        expect(await store.read('server', 'settings', 'rules')).toEqual({ r: 1 });
        expect(await store.read('m1', 'charges', 'C1')).toBeUndefined();
        expect(await store.read('m1', 'settings', 'clock')).toEqual({ t: 1 });
        expect(await store.namespaces()).toEqual(['m1', 'server']);
        expect(await store.due(100)).toEqual([{ ns: 'm1', collection: 'settings', id: 'clock', dueAt: 6 }]);
        // Without a keep list, a full reset clears what was kept before.
        await store.reset();
        expect(await store.namespaces()).toEqual([]);
        expect(await store.due(100)).toEqual([]);
      });

      it('keeps a record of a kept collection written just before the reset, still in flight when it was asked for', async () => {
        const written = put('server', [{ collection: 'publicKeys', id: 'late', value: { k: 'late' } }]);
        await Promise.all([written, store.reset(undefined, keep)]);
        expect(await store.readAll('server', 'publicKeys')).toEqual([{ k: 'late' }]);
      });

      it('refuses a malformed keep list and clears nothing', async () => {
        await put('m1', [{ collection: 'charges', id: 'C1', value: {} }]);
        await expect(store.reset(undefined, [{ ns: '', collection: 'charges' }])).rejects.toThrow(TypeError);
        await expect(store.reset(undefined, [{ ns: 'm1', collection: 'nope' as 'charges' }])).rejects.toThrow(/unknown collection/);
        await expect(store.reset(undefined, [{ ns: 'm1', collection: 'charges', id: '' }])).rejects.toThrow(/id/);
        expect(await store.read('m1', 'charges', 'C1')).toEqual({});
      });
    });

    describe('due index', () => {
      it('returns records due at or before now, earliest first, and the next due time', async () => {
        await put('m1', [
          { collection: 'charges', id: 'late', value: {}, dueAt: 300 },
          { collection: 'checkoutSessions', id: 'early', value: {}, dueAt: 100 },
          { collection: 'charges', id: 'none', value: {} },
        ]);
        await put('m2', [{ collection: 'refunds', id: 'mid', value: {}, dueAt: 200 }]);
        expect(await store.nextDue()).toBe(100);
        expect(await store.due(99)).toEqual([]);
        expect(await store.due(200)).toEqual([
          { ns: 'm1', collection: 'checkoutSessions', id: 'early', dueAt: 100 },
          { ns: 'm2', collection: 'refunds', id: 'mid', dueAt: 200 },
        ]);
        expect((await store.due(1000)).map((r) => r.id)).toEqual(['early', 'mid', 'late']);
      });

      it('answers one namespace\'s due records exactly, and its next due time never later than its earliest', async () => {
        await put('m1', [
          { collection: 'charges', id: 'a', value: {}, dueAt: 300 },
          { collection: 'refunds', id: 'b', value: {}, dueAt: 100 },
        ]);
        await put('m2', [{ collection: 'charges', id: 'c', value: {}, dueAt: 50 }]);
        expect(await store.due(1000, 'm1')).toEqual([
          { ns: 'm1', collection: 'refunds', id: 'b', dueAt: 100 },
          { ns: 'm1', collection: 'charges', id: 'a', dueAt: 300 },
        ]);
        expect(await store.due(60, 'm1')).toEqual([]);
        expect(await store.due(1000, 'm3')).toEqual([]);
        expect(await store.due(60)).toEqual([{ ns: 'm2', collection: 'charges', id: 'c', dueAt: 50 }]);
        // A store may answer an earlier time for a namespace (any namespace's earliest), never a later one.
        expect(await store.nextDue('m1')).toBeLessThanOrEqual(100);
        expect([50, 100]).toContain(await store.nextDue('m1'));
        expect(await store.nextDue('m2')).toBe(50);
        await put('m2', [{ collection: 'charges', id: 'c', value: {}, dueAt: null }]);
        expect(await store.nextDue('m1')).toBe(100);
        expect(await store.nextDue()).toBe(100);
      });

      it('orders records due at the same time by namespace, collection and id', async () => {
        await put('m2', [{ collection: 'charges', id: 'a', value: {}, dueAt: 1 }]);
        await put('m1', [
          { collection: 'refunds', id: 'a', value: {}, dueAt: 1 },
          { collection: 'charges', id: 'b', value: {}, dueAt: 1 },
          { collection: 'charges', id: 'a', value: {}, dueAt: 1 },
        ]);
        expect((await store.due(1)).map((r) => `${r.ns}/${r.collection}/${r.id}`)).toEqual(['m1/charges/a', 'm1/charges/b', 'm1/refunds/a', 'm2/charges/a']);
      });

      it('moves a record when a put changes its dueAt', async () => {
        await put('m1', [{ collection: 'charges', id: 'C1', value: {}, dueAt: 100 }]);
        await put('m1', [{ collection: 'charges', id: 'C1', value: { v: 2 }, dueAt: 500 }]);
        expect(await store.due(400)).toEqual([]);
        expect(await store.nextDue()).toBe(500);
      });

      it('drops a record from the index when a put has no dueAt, or a null one', async () => {
        await put('m1', [
          { collection: 'charges', id: 'C1', value: {}, dueAt: 100 },
          { collection: 'charges', id: 'C2', value: {}, dueAt: 200 },
        ]);
        await put('m1', [{ collection: 'charges', id: 'C1', value: { done: true } }]);
        expect(await store.nextDue()).toBe(200);
        await put('m1', [{ collection: 'charges', id: 'C2', value: { done: true }, dueAt: null }]);
        expect(await store.nextDue()).toBeNull();
        expect(await store.due(1000)).toEqual([]);
      });

      it('drops a deleted record from the index', async () => {
        await put('m1', [{ collection: 'charges', id: 'C1', value: {}, dueAt: 100 }]);
        await put('m1', [{ collection: 'charges', id: 'C1', value: null }]);
        expect(await store.due(1000)).toEqual([]);
        expect(await store.nextDue()).toBeNull();
      });
    });

    describe('lifecycle', () => {
      it('flush resolves once pending transactions are done', async () => {
        const commits = [1, 2, 3].map((n) => put('m1', [{ collection: 'charges', id: `C${n}`, value: { n } }]));
        await store.flush();
        await Promise.all(commits);
        expect(await store.readAll('m1', 'charges')).toHaveLength(3);
      });

      it('rejects writes after close', async () => {
        await store.close();
        await expect(put('m1', [{ collection: 'charges', id: 'C1', value: {} }])).rejects.toThrow(/closed/);
        await expect(store.reset()).rejects.toThrow(/closed/);
      });
    });
  });
}

for (const kind of kinds) storeContract(kind);

/** Behaviour of the embedded engines themselves, under the Store wrapper. */
describe.each([
  { name: 'MemoryStore', make: async (): Promise<EmbeddedEngine> => new MemoryStore() },
  { name: 'FileStore', make: async (): Promise<EmbeddedEngine> => new FileStore(path.join(await temp.make(), 'db.json')) },
])('Embedded engine: $name', ({ make }) => {
  let engine: EmbeddedEngine;

  beforeEach(async () => {
    engine = await make();
    await engine.open();
  });

  afterEach(async () => {
    await engine.close();
    await temp.cleanup();
  });

  it('applies a commit in memory before its promise resolves', () => {
    const done = engine.commit('m1', [{ collection: 'charges', id: 'C1', value: { n: 1 } }]);
    expect(engine.get('m1', 'charges', 'C1')).toEqual({ n: 1 });
    return done;
  });

  it('owns what was committed: the caller changing its value afterwards changes nothing stored', async () => {
    const value = { status: 'Open', items: [1] };
    await engine.commit('m1', [{ collection: 'charges', id: 'C1', value }]);
    value.status = 'Closed';
    value.items.push(2);
    expect(engine.get('m1', 'charges', 'C1')).toEqual({ status: 'Open', items: [1] });
  });

  it('returns frozen values, so mutating what get returns throws instead of corrupting state', async () => {
    await engine.commit('m1', [{ collection: 'charges', id: 'C1', value: { status: 'Open', nested: { a: 1 } } }]);
    const read = engine.get<{ status: string; nested: { a: number } }>('m1', 'charges', 'C1')!;
    expect(() => {
      read.status = 'Closed';
    }).toThrow(TypeError);
    expect(() => {
      read.nested.a = 2;
    }).toThrow(TypeError);
    expect(engine.get('m1', 'charges', 'C1')).toEqual({ status: 'Open', nested: { a: 1 } });
  });

  it('EmbeddedStore: a transaction reading a record in flight waits for it to settle before deciding', async () => {
    const store = new EmbeddedStore(engine);
    let runs = 0;
    const written = store.transact('m1', () => ({ puts: [{ collection: 'charges', id: 'C1', value: { n: 1 } }], result: undefined }));
    const seen = store.transact('m1', (view) => {
      runs++;
      return { puts: [], result: view.get('charges', 'C1') };
    });
    expect(await seen).toEqual({ n: 1 });
    await written;
    // The first run read a value not yet durable, so it ran again once the write settled.
    expect(runs).toBe(2);
  });
});

describe('createStore', () => {
  afterEach(() => temp.cleanup());

  it('builds a Store over a MemoryStore or a FileStore on the given file', async () => {
    expect(engineOf(createStore('memory'))).toBeInstanceOf(MemoryStore);
    const file = path.join(await temp.make(), 'db.json');
    const store = createStore('file', file);
    expect(engineOf(store)).toBeInstanceOf(FileStore);
    expect((engineOf(store) as FileStore).file).toBe(file);
  });
});
