/**
 * The Store holds every emulated object, namespaced by merchant (see `merchantNamespace` in
 * signing/keyRegistry). Everything outside `server/store/` uses the asynchronous `Store` below, so
 * the same code runs on the embedded stores (memory, file) and on a store shared by several
 * processes (Redis): reads are `read`/`readAll`, and every read-then-write is one `transact`.
 * Values are plain JSON and treated as immutable: callers never mutate what they read or what
 * they pass in a put.
 */
// The domain owns what it writes; the store holds it.
import type { Collection, Put } from '../domain/writes.js';
export type { Collection, Put } from '../domain/writes.js';
export { collections, configurationCollections } from '../domain/writes.js';

export interface DueRecord {
  ns: string;
  collection: Collection;
  id: string;
  dueAt: number;
}

/**
 * What a reset leaves as it is: one record, or a whole collection when `id` is absent. The admin
 * reset keeps the registered public keys and the shared IPN signing key this way, in the same
 * atomic step as the clearing, so no crash or other instance can come between the two.
 */
export interface KeptRecords {
  ns: string;
  collection: Collection;
  id?: string;
}

/** A consistent, synchronous view of one namespace, as a transaction's work sees it. */
export interface StoreView {
  get<T>(collection: Collection, id: string): T | undefined;
  /** Every record of one collection, in insertion order. */
  list<T>(collection: Collection): T[];
}

/** What a transaction's work returns: the writes to commit together, and the caller's result. */
export interface Transaction<R> {
  puts: readonly Put[];
  result: R;
}

/** The work of a transaction: pure (no outside effects), since the store may run it more than once. */
export type TransactionWork<R> = (view: StoreView) => Transaction<R>;

export interface Store {
  /** Loads persisted state or connects. Call once before use. */
  open(): Promise<void>;
  /** One record as last committed durably, or undefined. */
  read<T>(ns: string, collection: Collection, id: string): Promise<T | undefined>;
  /** Every record of one collection, in insertion order. */
  readAll<T>(ns: string, collection: Collection): Promise<T[]>;
  /**
   * Runs `work` against a consistent view of `ns`; commits its puts atomically if nothing it read
   * changed meanwhile, else runs it again. Resolves with the result once the puts are durable;
   * rejects with what `work` threw, or with the store's error (nothing written). No puts: no write
   * at all.
   */
  transact<R>(ns: string, work: TransactionWork<R>): Promise<R>;
  /** Records (of `ns`, or of every namespace) whose dueAt is at or before `now`, earliest first (then ns, collection, id). */
  due(now: number, ns?: string): Promise<DueRecord[]>;
  /**
   * The earliest dueAt of any record of `ns` (of any namespace without it), or null. A store that
   * cannot tell namespaces apart cheaply may answer an earlier time, never a later one.
   */
  nextDue(ns?: string): Promise<number | null>;
  /**
   * Clears one namespace, or everything when ns is undefined, except the records `keep` names
   * (unchanged: values, versions, schedules), all in one atomic step. Durable on resolve.
   */
  reset(ns?: string, keep?: readonly KeptRecords[]): Promise<void>;
  /** Namespaces holding at least one record, sorted. */
  namespaces(): Promise<string[]>;
  /** Waits for pending writes. */
  flush(): Promise<void>;
  /** Flushes and releases files or connections; the store is unusable afterwards. */
  close(): Promise<void>;
}

/**
 * An embedded engine: the whole state in this process's memory, read synchronously, one writer
 * per process (`MemoryStore`, `FileStore`). `EmbeddedStore` turns one into a `Store`.
 */
export interface EmbeddedEngine {
  /** Loads persisted state (a no-op for the memory store). Call once before use. */
  open(): Promise<void>;
  get<T>(ns: string, collection: Collection, id: string): T | undefined;
  list<T>(ns: string, collection: Collection): T[];
  /** Applies all puts atomically in memory now; resolves when they are durable. */
  commit(ns: string, puts: readonly Put[]): Promise<void>;
  /** Records (of `ns`, or of every namespace) whose dueAt is at or before `now`, earliest first. */
  due(now: number, ns?: string): DueRecord[];
  /** The earliest dueAt of any record of `ns` (of any namespace without it), or null. */
  nextDue(ns?: string): number | null;
  /** Clears one namespace, or everything when ns is undefined, except what `keep` names. Durable on resolve. */
  reset(ns?: string, keep?: readonly KeptRecords[]): Promise<void>;
  namespaces(): string[];
  /** Waits for pending writes. */
  flush(): Promise<void>;
  /** Flushes and releases files; the engine is unusable afterwards. */
  close(): Promise<void>;
}
