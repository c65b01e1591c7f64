import type { StoreNote, StoreStatus } from './errors.js';
import { notesOf, statusOf } from './health.js';
import type { Collection, DueRecord, EmbeddedEngine, KeptRecords, Put, Store, StoreView, TransactionWork } from './store.js';

/** What is in flight in one collection of one namespace. */
interface InFlight {
  /** Per record: the settling of the latest commit still in flight that wrote it. */
  records: Map<string, Promise<void>>;
  /** Every commit still in flight that wrote into the collection. */
  commits: Set<Promise<void>>;
}

/** Per namespace, per collection: what is in flight there (nothing is kept for what is not). */
type InFlightByNs = Map<string, Map<Collection, InFlight>>;

/**
 * What a transaction's work sees: the engine's records, noting each one it reads that a commit
 * still in flight wrote (`waits`), since deciding on that value would be deciding on a value that
 * may yet vanish.
 */
class TransactionView implements StoreView {
  waits: Set<Promise<void>> | null = null;

  constructor(
    private readonly engine: EmbeddedEngine,
    private readonly ns: string,
    /** The store's marks, looked up at each read (the work may read after anything started). */
    private readonly inFlight: InFlightByNs,
  ) {}

  get<T>(collection: Collection, id: string): T | undefined {
    const pending = this.inFlight.get(this.ns)?.get(collection)?.records.get(id);
    if (pending !== undefined) (this.waits ??= new Set()).add(pending);
    return this.engine.get<T>(this.ns, collection, id);
  }

  list<T>(collection: Collection): T[] {
    const commits = this.inFlight.get(this.ns)?.get(collection)?.commits;
    if (commits !== undefined) for (const pending of commits) (this.waits ??= new Set()).add(pending);
    return this.engine.list<T>(this.ns, collection);
  }
}

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
  readonly #inFlight: InFlightByNs = new Map();

  constructor(readonly engine: EmbeddedEngine) {}

  open(): Promise<void> {
    return this.engine.open();
  }

  async read<T>(ns: string, collection: Collection, id: string): Promise<T | undefined> {
    for (let pending = this.#pendingRecord(ns, collection, id); pending; pending = this.#pendingRecord(ns, collection, id)) await pending;
    return this.engine.get<T>(ns, collection, id);
  }

  async readAll<T>(ns: string, collection: Collection): Promise<T[]> {
    for (let pending = this.#pendingCommits(ns, collection); pending; pending = this.#pendingCommits(ns, collection)) await Promise.all(pending);
    return this.engine.list<T>(ns, collection);
  }

  async transact<R>(ns: string, work: TransactionWork<R>): Promise<R> {
    for (;;) {
      const view = new TransactionView(this.engine, ns, this.#inFlight);
      let outcome: ReturnType<TransactionWork<R>>;
      try {
        outcome = work(view);
      } catch (err) {
        // Decided on a value that is not durable yet: that value may still vanish, so decide again.
        if (view.waits === null) throw err;
        await Promise.all(view.waits);
        continue;
      }
      if (view.waits !== null) {
        await Promise.all(view.waits);
        continue;
      }
      if (outcome.puts.length === 0) return outcome.result;
      await this.#commit(ns, outcome.puts);
      return outcome.result;
    }
  }

  due(now: number, ns?: string): Promise<DueRecord[]> {
    return Promise.resolve(this.engine.due(now, ns));
  }

  nextDue(ns?: string): Promise<number | null> {
    return Promise.resolve(this.engine.nextDue(ns));
  }

  reset(ns?: string, keep?: readonly KeptRecords[]): Promise<void> {
    return this.engine.reset(ns, keep);
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

  #pendingCommits(ns: string, collection: Collection): Set<Promise<void>> | undefined {
    const commits = this.#inFlight.get(ns)?.get(collection)?.commits;
    return commits !== undefined && commits.size > 0 ? commits : undefined;
  }

  #pendingRecord(ns: string, collection: Collection, id: string): Promise<void> | undefined {
    return this.#inFlight.get(ns)?.get(collection)?.records.get(id);
  }

  /** Commits through the engine, marking the written records in flight until it settles. */
  #commit(ns: string, puts: readonly Put[]): Promise<void> {
    const committed = this.engine.commit(ns, puts);
    let byCollection = this.#inFlight.get(ns);
    if (byCollection === undefined) this.#inFlight.set(ns, (byCollection = new Map()));
    const inFlight = byCollection;
    // Settled runs first among the reactions to `committed`, so waiters find the marks already gone.
    const unmark = () => {
      for (const put of puts) {
        const marks = inFlight.get(put.collection);
        if (marks === undefined) continue;
        if (marks.records.get(put.id) === settled) marks.records.delete(put.id);
        marks.commits.delete(settled);
        if (marks.commits.size === 0) inFlight.delete(put.collection);
      }
      if (inFlight.size === 0 && this.#inFlight.get(ns) === inFlight) this.#inFlight.delete(ns);
    };
    const settled: Promise<void> = committed.then(unmark, unmark);
    for (const put of puts) {
      let marks = inFlight.get(put.collection);
      if (marks === undefined) inFlight.set(put.collection, (marks = { records: new Map(), commits: new Set() }));
      marks.records.set(put.id, settled);
      marks.commits.add(settled);
    }
    return committed;
  }
}
