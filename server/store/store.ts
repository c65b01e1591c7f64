/**
 * The Store holds every emulated object, namespaced by merchant (see `merchantNamespace` in
 * signing/keyRegistry). Reads are synchronous from memory; `commit` applies a batch to memory at
 * once (so the next request sees it) and resolves only when the batch is durable. Values are
 * plain JSON and treated as immutable: callers never mutate what `get` returns or what they
 * passed to `commit`.
 */
export type Collection =
  | 'checkoutSessions'
  | 'chargePermissions'
  | 'charges'
  | 'refunds'
  | 'idempotency'
  | 'buyers'
  | 'settings'
  // Reports, disputes, files, merchant accounts, in-store (issue #13)
  | 'reports' | 'reportSchedules' | 'reportDocuments' | 'reportIndex' | 'disputes' | 'files'
  // Delivery tracking codes (used once) and issued authorization tokens (issue #12)
  | 'deliveryTrackers' | 'authorizationTokens'
  // Public keys registered at run time (issue #7)
  | 'publicKeys';

export const collections: readonly Collection[] = ['checkoutSessions', 'chargePermissions', 'charges', 'refunds', 'idempotency', 'buyers', 'settings',
  'reports', 'reportSchedules', 'reportDocuments', 'reportIndex', 'disputes', 'files', 'deliveryTrackers', 'authorizationTokens', 'publicKeys'];

/** One write: the whole new value of one record (`null` deletes it). */
export interface Put {
  collection: Collection;
  id: string;
  value: unknown;
  /** When the record next changes on its own (server-clock ms), or null. Feeds `due()`. */
  dueAt?: number | null;
}

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
