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
  method: string;
  args: unknown[];
  value: unknown;
}

/** One transaction's record of what it drew, in order, and how far the current run has replayed it. */
interface Replay {
  source: IdGenerator;
  drawn: Drawn[];
  next: number;
}

const replayOf = Symbol('replay');
type Replaying = IdGenerator & { [replayOf]: Replay };

/**
 * Per source: a prototype holding one drawing method per method the source has, made once, so a
 * transaction's id source is one small object (no proxy, no function per call). It inherits from
 * the source, so anything else the source has reads through unchanged.
 */
const prototypes = new WeakMap<object, object>();

function prototypeFor(source: IdGenerator): object {
  let proto = prototypes.get(source);
  if (proto) return proto;
  proto = Object.create(source) as object;
  for (let o: object | null = source; o !== null && o !== Object.prototype; o = Object.getPrototypeOf(o) as object | null) {
    for (const name of Object.getOwnPropertyNames(o)) {
      if (name === 'constructor' || Object.hasOwn(proto, name)) continue;
      const descriptor = Object.getOwnPropertyDescriptor(o, name)!;
      if (typeof descriptor.value !== 'function') continue;
      Object.defineProperty(proto, name, {
        value(this: Replaying, ...args: unknown[]) {
          return draw(this[replayOf], name, args);
        },
        writable: true,
        configurable: true,
      });
    }
  }
  prototypes.set(source, proto);
  return proto;
}

/** The id the current run's call gets: the one drawn at this point before when the run so far is the same, else a new one. */
function draw(replay: Replay, method: string, args: unknown[]): unknown {
  const seen = replay.drawn[replay.next];
  if (seen !== undefined && seen.method === method && sameArgs(seen.args, args)) {
    replay.next++;
    return seen.value;
  }
  // This run took another path: what was drawn from here on is not replayed.
  replay.drawn.length = replay.next;
  const original = (replay.source as unknown as Record<string, (...a: unknown[]) => unknown>)[method]!;
  const value = original.apply(replay.source, args);
  replay.drawn.push({ method, args, value });
  replay.next++;
  return value;
}

/** Same arguments: primitives by value, anything else by its JSON. */
function sameArgs(a: unknown[], b: unknown[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const x = a[i];
    const y = b[i];
    if (x === y) continue;
    if (typeof x !== 'object' || x === null || typeof y !== 'object' || y === null || JSON.stringify(x) !== JSON.stringify(y)) return false;
  }
  return true;
}

/** An id source that records what it hands out; after `rewind()` the same calls get the same ids. */
export function replayingIds(source: IdGenerator): { ids: IdGenerator; rewind: () => void } {
  const replay: Replay = { source, drawn: [], next: 0 };
  const ids = Object.create(prototypeFor(source)) as Replaying;
  ids[replayOf] = replay;
  return { ids, rewind: () => (replay.next = 0) };
}
