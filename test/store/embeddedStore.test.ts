import { describe, expect, it } from 'vitest';
import { EmbeddedStore, MemoryStore, type Put } from '../../server/store/index.js';

/** A memory engine whose commits stay in flight until the test settles them, one by one, in order. */
function heldEngine() {
  const engine = new MemoryStore();
  const commit = engine.commit.bind(engine);
  const held: { resolve: () => void; reject: (err: Error) => void; undo: () => void }[] = [];
  engine.commit = (ns, puts) => {
    const before = puts.map((p) => [p.collection, p.id, engine.get(ns, p.collection, p.id)] as const);
    return commit(ns, puts).then(
      () =>
        new Promise<void>((resolve, reject) => {
          // A failed commit is taken back out of memory before it rejects, as the file store does.
          const undo = () => void engine.apply(ns, before.map(([collection, id, value]): Put => ({ collection, id, value: value ?? null })), 0);
          held.push({ resolve, reject, undo });
        }),
    );
  };
  const settle = async (fail = false) => {
    await Promise.resolve(); // the commit reaches the hold
    const next = held.shift()!;
    if (fail) {
      next.undo();
      next.reject(new Error('write failed'));
    } else next.resolve();
    await new Promise((resolve) => setImmediate(resolve));
  };
  return { store: new EmbeddedStore(engine), settle };
}

const write = (store: EmbeddedStore, ns: string, puts: Put[]) => store.transact(ns, () => ({ puts, result: undefined }));

describe('EmbeddedStore: reads and transactions around commits in flight', () => {
  it('runs a transaction again when it read a record a commit in flight deleted, and decides on what is durable', async () => {
    const { store, settle } = heldEngine();
    const first = write(store, 'm1', [{ collection: 'charges', id: 'C1', value: { n: 1 } }]);
    await settle();
    await first;
    const deleting = write(store, 'm1', [{ collection: 'charges', id: 'C1', value: null }]).catch((err: Error) => err.message);
    const seen: unknown[] = [];
    const reading = store.transact('m1', (view) => {
      seen.push(view.get('charges', 'C1') ?? null);
      return { puts: [], result: undefined };
    });
    await settle(true);
    await reading;
    expect(await deleting).toBe('write failed');
    expect(seen).toEqual([null, { n: 1 }]);
  });

  it('runs a transaction again when it listed a collection with a commit in flight', async () => {
    const { store, settle } = heldEngine();
    const writing = write(store, 'm1', [{ collection: 'refunds', id: 'R1', value: { n: 1 } }]);
    let runs = 0;
    const listing = store.transact('m1', (view) => {
      runs++;
      return { puts: [], result: view.list('refunds') };
    });
    await settle();
    await writing;
    expect(await listing).toEqual([{ n: 1 }]);
    expect(runs).toBe(2);
  });

  it('does not hold back a transaction that reads only records no commit in flight wrote', async () => {
    const { store, settle } = heldEngine();
    const writing = write(store, 'm1', [{ collection: 'charges', id: 'C1', value: { n: 1 } }]);
    let runs = 0;
    const other = await store.transact('m1', (view) => {
      runs++;
      return { puts: [], result: [view.get('charges', 'C2'), view.get('refunds', 'C1'), view.list('refunds')] };
    });
    const elsewhere = await store.transact('m2', (view) => ({ puts: [], result: [view.get('charges', 'C1'), view.list('charges')] }));
    expect(other).toEqual([undefined, undefined, []]);
    expect(elsewhere).toEqual([undefined, []]);
    expect(runs).toBe(1);
    await settle();
    await writing;
  });

  it('makes read and readAll wait for the latest commit in flight on what they read, and see it taken back if it fails', async () => {
    const { store, settle } = heldEngine();
    const first = write(store, 'm1', [{ collection: 'charges', id: 'C1', value: { v: 1 } }]);
    const second = write(store, 'm1', [{ collection: 'charges', id: 'C1', value: { v: 2 } }]).catch(() => 'failed');
    const read = store.read('m1', 'charges', 'C1');
    const all = store.readAll('m1', 'charges');
    await settle();
    await first;
    await settle(true);
    expect(await second).toBe('failed');
    expect(await read).toEqual({ v: 1 });
    expect(await all).toEqual([{ v: 1 }]);
  });

  it('waits for a commit that started while the work ran, too', async () => {
    const { store, settle } = heldEngine();
    let inner: Promise<void> | undefined;
    let runs = 0;
    const outer = store.transact('m1', (view) => {
      runs++;
      inner ??= write(store, 'm1', [{ collection: 'charges', id: 'C1', value: { n: 1 } }]);
      return { puts: [], result: view.get('charges', 'C1') };
    });
    await settle();
    await inner;
    expect(await outer).toEqual({ n: 1 });
    expect(runs).toBe(2);
  });

  it('forgets what was in flight once it settled: later transactions run once', async () => {
    const { store, settle } = heldEngine();
    const writing = write(store, 'm1', [
      { collection: 'charges', id: 'C1', value: { n: 1 } },
      { collection: 'charges', id: 'C2', value: { n: 2 } },
      { collection: 'refunds', id: 'R1', value: { n: 3 } },
    ]);
    await settle();
    await writing;
    let runs = 0;
    await store.transact('m1', (view) => {
      runs++;
      return { puts: [], result: [view.get('charges', 'C1'), view.get('refunds', 'R1'), view.list('charges')] };
    });
    expect(runs).toBe(1);
  });
});
