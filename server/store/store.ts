/**
 * The Store holds every emulated object, namespaced by merchant (see `merchantNamespace` in
 * signing/keyRegistry). Reads are synchronous from memory; `commit` applies a batch to memory at
 * once (so the next request sees it) and resolves only when the batch is durable. Values are
 * plain JSON and treated as immutable: callers never mutate what `get` returns or what they
 * passed to `commit`.
 */
// The domain owns what it writes; the store holds it.
import type { Collection, Put } from '../domain/writes.js';
export type { Collection, Put } from '../domain/writes.js';
export { collections } from '../domain/writes.js';

export interface DueRecord {
  ns: string;
  collection: Collection;
  id: string;
  dueAt: number;
}

export interface Store {
  /** Loads persisted state (a no-op for the memory store). Call once before use. */
  open(): Promise<void>;
  get<T>(ns: string, collection: Collection, id: string): T | undefined;
  list<T>(ns: string, collection: Collection): T[];
  /** Applies all puts atomically in memory now; resolves when they are durable. */
  commit(ns: string, puts: readonly Put[]): Promise<void>;
  /** Records whose dueAt is at or before `now`, earliest first. */
  due(now: number): DueRecord[];
  /** The earliest dueAt of any record, or null. */
  nextDue(): number | null;
  /** Clears one namespace, or everything when ns is undefined. Durable on resolve. */
  reset(ns?: string): Promise<void>;
  namespaces(): string[];
  /** Waits for pending writes. */
  flush(): Promise<void>;
  /** Flushes and releases files; the store is unusable afterwards. */
  close(): Promise<void>;
}
