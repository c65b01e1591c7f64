import type { StoreNote, StoreStatus } from './errors.js';
import { notesOf, statusOf } from './health.js';
import type { Collection, DueRecord, EmbeddedEngine, Put, Store, StoreView, TransactionWork } from './store.js';

const recordKey = (ns: string, collection: Collection, id: string) => `${ns}\u0000${collection}\u0000${id}`;
const collectionKey = (ns: string, collection: Collection) => `${ns}\u0000${collection}`;

/**
 * A `Store` over an embedded engine (memory or file). The engine applies a commit to memory at
 * once and makes it durable later (group commit), so on its own a reader could see, and answer
 * from, a write that is not on disk yet. This wrapper remembers which records have a commit in
 * flight: `read`/`readAll` wait for those commits to settle, and a transaction whose work read
 * such a record waits and runs its work again, so nothing is ever decided on a value that could
 * still be lost. Work and commit run in one synchronous stretch, so transactions never conflict
 * otherwise. A transaction without puts writes nothing.
 */
export class EmbeddedStore implements Store {
  /** Per record: the settling of the latest commit still in flight that wrote it. */
  readonly #inFlight = new Map<string, Promise<void>>();
  /** Per collection of a namespace: every commit still in flight that wrote into it. */
  readonly #inFlightByCollection = new Map<string, Set<Promise<void>>>();

  constructor(readonly engine: EmbeddedEngine) {}

  open(): Promise<void> {
    return this.engine.open();
  }

  async read<T>(ns: string, collection: Collection, id: string): Promise<T | undefined> {
    const key = recordKey(ns, collection, id);
    for (let pending = this.#inFlight.get(key); pending; pending = this.#inFlight.get(key)) await pending;
    return this.engine.get<T>(ns, collection, id);
  }

  async readAll<T>(ns: string, collection: Collection): Promise<T[]> {
    const key = collectionKey(ns, collection);
    for (let pending = this.#inFlightByCollection.get(key); pending; pending = this.#inFlightByCollection.get(key)) await Promise.all(pending);
    return this.engine.list<T>(ns, collection);
  }

  async transact<R>(ns: string, work: TransactionWork<R>): Promise<R> {
    for (;;) {
      const waits = new Set<Promise<void>>();
      const view: StoreView = {
        get: <T>(collection: Collection, id: string) => {
          const pending = this.#inFlight.get(recordKey(ns, collection, id));
          if (pending) waits.add(pending);
          return this.engine.get<T>(ns, collection, id);
        },
        list: <T>(collection: Collection) => {
          for (const pending of this.#inFlightByCollection.get(collectionKey(ns, collection)) ?? []) waits.add(pending);
          return this.engine.list<T>(ns, collection);
        },
      };
      let outcome: ReturnType<TransactionWork<R>>;
      try {
        outcome = work(view);
      } catch (err) {
        // Decided on a value that is not durable yet: that value may still vanish, so decide again.
        if (waits.size === 0) throw err;
        await Promise.all(waits);
        continue;
      }
      if (waits.size > 0) {
        await Promise.all(waits);
        continue;
      }
      if (outcome.puts.length === 0) return outcome.result;
      await this.#commit(ns, outcome.puts);
      return outcome.result;
    }
  }

  due(now: number): Promise<DueRecord[]> {
    return Promise.resolve(this.engine.due(now));
  }

  nextDue(): Promise<number | null> {
    return Promise.resolve(this.engine.nextDue());
  }

  reset(ns?: string): Promise<void> {
    return this.engine.reset(ns);
  }

  namespaces(): Promise<string[]> {
    return Promise.resolve(this.engine.namespaces());
  }

  flush(): Promise<void> {
    return this.engine.flush();
  }

  close(): Promise<void> {
    return this.engine.close();
  }

  /** The engine's health (degraded while its writes fail), if it reports one. */
  status(): StoreStatus {
    return statusOf(this.engine);
  }

  /** What the engine wants logged after it opened. */
  notes(): StoreNote[] {
    return notesOf(this.engine);
  }

  /** Commits through the engine, marking the written records in flight until it settles. */
  #commit(ns: string, puts: readonly Put[]): Promise<void> {
    const committed = this.engine.commit(ns, puts);
    const settled = committed.then(
      () => {},
      () => {},
    );
    const records = new Set(puts.map((p) => recordKey(ns, p.collection, p.id)));
    const groups = new Set(puts.map((p) => collectionKey(ns, p.collection)));
    for (const key of records) this.#inFlight.set(key, settled);
    for (const key of groups) {
      let set = this.#inFlightByCollection.get(key);
      if (!set) this.#inFlightByCollection.set(key, (set = new Set()));
      set.add(settled);
    }
    // Registered before any waiter's continuation, so waiters find the marks already gone.
    void settled.then(() => {
      for (const key of records) if (this.#inFlight.get(key) === settled) this.#inFlight.delete(key);
      for (const key of groups) {
        const set = this.#inFlightByCollection.get(key);
        set?.delete(settled);
        if (set?.size === 0) this.#inFlightByCollection.delete(key);
      }
    });
    return committed;
  }
}
