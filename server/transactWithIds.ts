import type { IdGenerator } from './domain/ids.js';
import type { Store, StoreView, Transaction } from './store/store.js';

/**
 * `store.transact` for work that draws ids: a store may run the work more than once (a record it
 * read changed, or was not durable yet), and each run gets the ids the previous run drew, in the
 * same order, so a re-run neither burns ids nor shifts a seeded sequence.
 */
export function transactWithIds<R>({ store, ids }: { store: Store; ids: IdGenerator }, ns: string, work: (view: StoreView, ids: IdGenerator) => Transaction<R>): Promise<R> {
  const replaying = replayingIds(ids);
  return store.transact(ns, (view) => {
    replaying.rewind();
    return work(view, replaying.ids);
  });
}

interface Drawn {
  method: PropertyKey;
  args: string;
  value: unknown;
}

/** An id source that records what it hands out; after `rewind()` the same calls get the same ids. */
export function replayingIds(source: IdGenerator): { ids: IdGenerator; rewind: () => void } {
  const drawn: Drawn[] = [];
  let next = 0;
  const ids = new Proxy(source, {
    get(target, method, receiver) {
      const original = Reflect.get(target, method, receiver) as unknown;
      if (typeof original !== 'function') return original;
      return (...args: unknown[]) => {
        const key = JSON.stringify(args);
        const seen = drawn[next];
        if (seen && seen.method === method && seen.args === key) {
          next++;
          return seen.value;
        }
        // This run took another path: what was drawn from here on is not replayed.
        drawn.length = next;
        const value = (original as (...a: unknown[]) => unknown).apply(target, args);
        drawn.push({ method, args: key, value });
        next++;
        return value;
      };
    },
  });
  return { ids, rewind: () => (next = 0) };
}
