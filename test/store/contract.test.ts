import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FileStore, MemoryStore, createStore, type Store } from '../../server/store/index.js';
import { tempDirs } from './tempDir.js';

const temp = tempDirs();

const kinds: { name: string; make: () => Promise<Store> }[] = [
  { name: 'MemoryStore', make: async () => new MemoryStore() },
  { name: 'FileStore', make: async () => new FileStore(path.join(await temp.make(), 'db.json')) },
];

describe.each(kinds)('Store contract: $name', ({ make }) => {
  let store: Store;

  beforeEach(async () => {
    store = await make();
    await store.open();
  });

  afterEach(async () => {
    await store.close();
    await temp.cleanup();
  });

  describe('get, list, commit', () => {
    it('returns undefined and an empty list for what was never stored', () => {
      expect(store.get('m1', 'charges', 'nope')).toBeUndefined();
      expect(store.list('m1', 'charges')).toEqual([]);
      expect(store.namespaces()).toEqual([]);
    });

    it('reads back a committed value', async () => {
      await store.commit('m1', [{ collection: 'charges', id: 'C1', value: { amount: '10.00', tags: ['a'] } }]);
      expect(store.get('m1', 'charges', 'C1')).toEqual({ amount: '10.00', tags: ['a'] });
    });

    it('applies a commit in memory before its promise resolves', () => {
      const done = store.commit('m1', [{ collection: 'charges', id: 'C1', value: { n: 1 } }]);
      expect(store.get('m1', 'charges', 'C1')).toEqual({ n: 1 });
      return done;
    });

    it('replaces a record with the whole new value', async () => {
      await store.commit('m1', [{ collection: 'charges', id: 'C1', value: { a: 1, b: 2 } }]);
      await store.commit('m1', [{ collection: 'charges', id: 'C1', value: { a: 3 } }]);
      expect(store.get('m1', 'charges', 'C1')).toEqual({ a: 3 });
    });

    it('lists the records of one collection in insertion order', async () => {
      await store.commit('m1', [
        { collection: 'charges', id: 'C2', value: { id: 'C2' } },
        { collection: 'charges', id: 'C1', value: { id: 'C1' } },
        { collection: 'refunds', id: 'R1', value: { id: 'R1' } },
      ]);
      expect(store.list('m1', 'charges')).toEqual([{ id: 'C2' }, { id: 'C1' }]);
      expect(store.list('m1', 'refunds')).toEqual([{ id: 'R1' }]);
    });

    it('stores any JSON value, including primitives and ids like __proto__', async () => {
      await store.commit('m1', [
        { collection: 'settings', id: 'flag', value: false },
        { collection: 'settings', id: 'count', value: 0 },
        { collection: 'idempotency', id: '__proto__', value: { key: '__proto__' } },
      ]);
      expect(store.get('m1', 'settings', 'flag')).toBe(false);
      expect(store.get('m1', 'settings', 'count')).toBe(0);
      expect(store.get('m1', 'idempotency', '__proto__')).toEqual({ key: '__proto__' });
    });

    it('deletes a record when the put value is null, and ignores deleting a missing one', async () => {
      await store.commit('m1', [{ collection: 'charges', id: 'C1', value: { n: 1 } }]);
      await store.commit('m1', [
        { collection: 'charges', id: 'C1', value: null },
        { collection: 'charges', id: 'never', value: null },
      ]);
      expect(store.get('m1', 'charges', 'C1')).toBeUndefined();
      expect(store.list('m1', 'charges')).toEqual([]);
    });

    it('rejects a commit with an invalid put and applies none of its puts', async () => {
      const bad = [
        { collection: 'charges' as const, id: 'C1', value: { n: 1 } },
        { collection: 'nope' as never, id: 'X', value: {} },
      ];
      await expect(store.commit('m1', bad)).rejects.toThrow(/unknown collection "nope"/);
      await expect(store.commit('m1', [{ collection: 'charges', id: 'C1', value: undefined }])).rejects.toThrow(/use null to delete/);
      await expect(store.commit('m1', [{ collection: 'charges', id: '', value: {} }])).rejects.toThrow(/id/);
      await expect(store.commit('', [{ collection: 'charges', id: 'C1', value: {} }])).rejects.toThrow(/namespace/);
      await expect(store.commit('m1', [{ collection: 'charges', id: 'C1', value: {}, dueAt: Number.NaN }])).rejects.toThrow(/dueAt/);
      const circular: Record<string, unknown> = {};
      circular.self = circular;
      await expect(store.commit('m1', [{ collection: 'charges', id: 'C1', value: { n: 1 } }, { collection: 'charges', id: 'C2', value: circular }])).rejects.toThrow();
      expect(store.get('m1', 'charges', 'C1')).toBeUndefined();
      expect(store.namespaces()).toEqual([]);
    });

    it('owns what was committed: mutating it afterwards throws and changes nothing', async () => {
      const value = { status: 'Open', items: [1] };
      await store.commit('m1', [{ collection: 'charges', id: 'C1', value }]);
      expect(() => {
        value.status = 'Closed';
      }).toThrow(TypeError);
      expect(() => value.items.push(2)).toThrow(TypeError);
      expect(store.get('m1', 'charges', 'C1')).toEqual({ status: 'Open', items: [1] });
    });

    it('returns frozen values, so mutating what get returned throws instead of corrupting state', async () => {
      await store.commit('m1', [{ collection: 'charges', id: 'C1', value: { status: 'Open', nested: { a: 1 } } }]);
      const read = store.get<{ status: string; nested: { a: number } }>('m1', 'charges', 'C1')!;
      expect(() => {
        read.status = 'Closed';
      }).toThrow(TypeError);
      expect(() => {
        read.nested.a = 2;
      }).toThrow(TypeError);
      expect(store.get('m1', 'charges', 'C1')).toEqual({ status: 'Open', nested: { a: 1 } });
    });

    it('refuses values that are not plain JSON (a Date, a Map, a class instance) and applies nothing', async () => {
      for (const bad of [{ at: new Date(0) }, { m: new Map() }, { x: new (class Thing {})() }]) {
        await expect(store.commit('m1', [{ collection: 'charges', id: 'C0', value: { ok: 1 } }, { collection: 'charges', id: 'C1', value: bad }])).rejects.toThrow(/plain JSON/);
      }
      expect(store.namespaces()).toEqual([]);
    });
  });

  describe('namespaces', () => {
    it('keeps namespaces isolated: the same id in two namespaces is two records', async () => {
      await store.commit('m1', [{ collection: 'charges', id: 'C1', value: { owner: 'm1' } }]);
      await store.commit('m2', [{ collection: 'charges', id: 'C1', value: { owner: 'm2' } }]);
      expect(store.get('m1', 'charges', 'C1')).toEqual({ owner: 'm1' });
      expect(store.get('m2', 'charges', 'C1')).toEqual({ owner: 'm2' });
      expect(store.list('m1', 'charges')).toEqual([{ owner: 'm1' }]);
    });

    it('lists only namespaces that hold at least one record, sorted', async () => {
      await store.commit('m2', [{ collection: 'charges', id: 'C1', value: {} }]);
      await store.commit('m1', [{ collection: 'refunds', id: 'R1', value: {} }]);
      await store.commit('m3', [{ collection: 'charges', id: 'gone', value: null }]);
      expect(store.namespaces()).toEqual(['m1', 'm2']);
      await store.commit('m1', [{ collection: 'refunds', id: 'R1', value: null }]);
      expect(store.namespaces()).toEqual(['m2']);
    });

    it('reset(ns) clears that namespace only', async () => {
      await store.commit('m1', [{ collection: 'charges', id: 'C1', value: {}, dueAt: 5 }]);
      await store.commit('m2', [{ collection: 'charges', id: 'C1', value: {}, dueAt: 6 }]);
      await store.reset('m1');
      expect(store.get('m1', 'charges', 'C1')).toBeUndefined();
      expect(store.get('m2', 'charges', 'C1')).toEqual({});
      expect(store.namespaces()).toEqual(['m2']);
      expect(store.due(100).map((r) => r.ns)).toEqual(['m2']);
    });

    it('reset() clears every namespace and the due index', async () => {
      await store.commit('m1', [{ collection: 'charges', id: 'C1', value: {}, dueAt: 5 }]);
      await store.commit('m2', [{ collection: 'refunds', id: 'R1', value: {} }]);
      await store.reset();
      expect(store.namespaces()).toEqual([]);
      expect(store.list('m2', 'refunds')).toEqual([]);
      expect(store.nextDue()).toBeNull();
      expect(store.due(Number.MAX_SAFE_INTEGER)).toEqual([]);
    });
  });

  describe('due index', () => {
    it('returns records due at or before now, earliest first, and the next due time', async () => {
      await store.commit('m1', [
        { collection: 'charges', id: 'late', value: {}, dueAt: 300 },
        { collection: 'checkoutSessions', id: 'early', value: {}, dueAt: 100 },
        { collection: 'charges', id: 'none', value: {} },
      ]);
      await store.commit('m2', [{ collection: 'refunds', id: 'mid', value: {}, dueAt: 200 }]);
      expect(store.nextDue()).toBe(100);
      expect(store.due(99)).toEqual([]);
      expect(store.due(200)).toEqual([
        { ns: 'm1', collection: 'checkoutSessions', id: 'early', dueAt: 100 },
        { ns: 'm2', collection: 'refunds', id: 'mid', dueAt: 200 },
      ]);
      expect(store.due(1000).map((r) => r.id)).toEqual(['early', 'mid', 'late']);
    });

    it('orders records due at the same time by namespace, collection and id', async () => {
      await store.commit('m2', [{ collection: 'charges', id: 'a', value: {}, dueAt: 1 }]);
      await store.commit('m1', [
        { collection: 'refunds', id: 'a', value: {}, dueAt: 1 },
        { collection: 'charges', id: 'b', value: {}, dueAt: 1 },
        { collection: 'charges', id: 'a', value: {}, dueAt: 1 },
      ]);
      expect(store.due(1).map((r) => `${r.ns}/${r.collection}/${r.id}`)).toEqual(['m1/charges/a', 'm1/charges/b', 'm1/refunds/a', 'm2/charges/a']);
    });

    it('moves a record when a put changes its dueAt', async () => {
      await store.commit('m1', [{ collection: 'charges', id: 'C1', value: {}, dueAt: 100 }]);
      await store.commit('m1', [{ collection: 'charges', id: 'C1', value: { v: 2 }, dueAt: 500 }]);
      expect(store.due(400)).toEqual([]);
      expect(store.nextDue()).toBe(500);
    });

    it('drops a record from the index when a put has no dueAt, or a null one', async () => {
      await store.commit('m1', [
        { collection: 'charges', id: 'C1', value: {}, dueAt: 100 },
        { collection: 'charges', id: 'C2', value: {}, dueAt: 200 },
      ]);
      await store.commit('m1', [{ collection: 'charges', id: 'C1', value: { done: true } }]);
      expect(store.nextDue()).toBe(200);
      await store.commit('m1', [{ collection: 'charges', id: 'C2', value: { done: true }, dueAt: null }]);
      expect(store.nextDue()).toBeNull();
      expect(store.due(1000)).toEqual([]);
    });

    it('drops a deleted record from the index', async () => {
      await store.commit('m1', [{ collection: 'charges', id: 'C1', value: {}, dueAt: 100 }]);
      await store.commit('m1', [{ collection: 'charges', id: 'C1', value: null }]);
      expect(store.due(1000)).toEqual([]);
      expect(store.nextDue()).toBeNull();
    });
  });

  describe('lifecycle', () => {
    it('flush resolves once pending commits are done', async () => {
      const commits = [1, 2, 3].map((n) => store.commit('m1', [{ collection: 'charges', id: `C${n}`, value: { n } }]));
      await store.flush();
      await Promise.all(commits);
      expect(store.list('m1', 'charges')).toHaveLength(3);
    });

    it('rejects commits after close', async () => {
      await store.close();
      await expect(store.commit('m1', [{ collection: 'charges', id: 'C1', value: {} }])).rejects.toThrow(/closed/);
      await expect(store.reset()).rejects.toThrow(/closed/);
    });
  });
});

describe('createStore', () => {
  afterEach(() => temp.cleanup());

  it('builds a MemoryStore or a FileStore on the given file', async () => {
    expect(createStore('memory', 'ignored.json')).toBeInstanceOf(MemoryStore);
    const file = path.join(await temp.make(), 'db.json');
    const store = createStore('file', file);
    expect(store).toBeInstanceOf(FileStore);
    expect((store as FileStore).file).toBe(file);
  });
});
