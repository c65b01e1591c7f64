import { DueIndex } from './dueIndex.js';
import { deepFreeze, encodeCommit, encodeReset, type StoredPut } from './encoding.js';
import type { Collection, DueRecord, Put, Store } from './store.js';

/** One stored record, as `FileStore` snapshots it. */
export interface StoredRecord {
  ns: string;
  collection: Collection;
  id: string;
  value: unknown;
}

/**
 * The whole state in memory: `ns -> collection -> id -> value`, plus the due index. Committed
 * values are copied through JSON (so this store reads back exactly what a restarted FileStore
 * would) and deep-frozen (so mutating what `get` returns throws instead of silently changing
 * state). `list` returns records in insertion order. Also the state engine inside `FileStore`.
 */
export class MemoryStore implements Store {
  readonly #data = new Map<string, Map<Collection, Map<string, unknown>>>();
  readonly #due = new DueIndex();
  #records = 0;
  #closed = false;

  async open(): Promise<void> {}

  get<T>(ns: string, collection: Collection, id: string): T | undefined {
    return this.#data.get(ns)?.get(collection)?.get(id) as T | undefined;
  }

  list<T>(ns: string, collection: Collection): T[] {
    const records = this.#data.get(ns)?.get(collection);
    return records ? ([...records.values()] as T[]) : [];
  }

  commit(ns: string, puts: readonly Put[]): Promise<void> {
    try {
      this.#checkOpen();
      this.apply(ns, encodeCommit(ns, puts).entry.puts);
      return Promise.resolve();
    } catch (err) {
      return Promise.reject(err);
    }
  }

  due(now: number): DueRecord[] {
    return this.#due.due(now);
  }

  nextDue(): number | null {
    return this.#due.next();
  }

  reset(ns?: string): Promise<void> {
    try {
      this.#checkOpen();
      this.clear(encodeReset(ns).entry.ns);
      return Promise.resolve();
    } catch (err) {
      return Promise.reject(err);
    }
  }

  namespaces(): string[] {
    return [...this.#data.keys()].sort();
  }

  async flush(): Promise<void> {}

  async close(): Promise<void> {
    this.#closed = true;
  }

  /** How many records are stored, all namespaces together. */
  get size(): number {
    return this.#records;
  }

  /**
   * Applies puts that are already private, validated JSON copies (from `encodeCommit`, a log
   * line or a snapshot), all at once. Values are frozen, not copied.
   */
  apply(ns: string, puts: readonly StoredPut[]): void {
    for (const put of puts) {
      if (put.value === null) this.#delete(ns, put.collection, put.id);
      else {
        this.#set(ns, put.collection, put.id, deepFreeze(put.value));
        this.#due.set(ns, put.collection, put.id, put.dueAt ?? null);
      }
    }
  }

  /** Synchronously clears one namespace, or everything. */
  clear(ns?: string): void {
    if (ns === undefined) {
      this.#data.clear();
      this.#records = 0;
    } else {
      for (const records of this.#data.get(ns)?.values() ?? []) this.#records -= records.size;
      this.#data.delete(ns);
    }
    this.#due.clear(ns);
  }

  /** Every record, namespace by namespace, collection by collection, in insertion order. */
  *records(): Generator<StoredRecord> {
    for (const [ns, byCollection] of this.#data) {
      for (const [collection, records] of byCollection) {
        for (const [id, value] of records) yield { ns, collection, id, value };
      }
    }
  }

  /** Every due record, earliest first. */
  dueRecords(): DueRecord[] {
    return this.#due.all();
  }

  #checkOpen(): void {
    if (this.#closed) throw new Error('store: this MemoryStore is closed');
  }

  #set(ns: string, collection: Collection, id: string, value: unknown): void {
    let byCollection = this.#data.get(ns);
    if (!byCollection) this.#data.set(ns, (byCollection = new Map()));
    let records = byCollection.get(collection);
    if (!records) byCollection.set(collection, (records = new Map()));
    if (!records.has(id)) this.#records++;
    records.set(id, value);
  }

  #delete(ns: string, collection: Collection, id: string): void {
    this.#due.set(ns, collection, id, null);
    const byCollection = this.#data.get(ns);
    const records = byCollection?.get(collection);
    if (!byCollection || !records?.delete(id)) return;
    this.#records--;
    // Empty maps go, so `namespaces()` lists only namespaces that hold a record.
    if (records.size === 0) byCollection.delete(collection);
    if (byCollection.size === 0) this.#data.delete(ns);
  }
}
