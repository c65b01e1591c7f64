import type { StoreNote, StoreStatus } from './errors.js';
import { FileStore } from './fileStore.js';
import { MemoryStore, type MemoryStoreOptions } from './memoryStore.js';
import type { Store } from './store.js';

const DAY_MS = 86_400_000;

/** Store options from the config's retention in days (0 keeps everything). */
export function retentionOptions(retentionDays: number): MemoryStoreOptions {
  return { retentionMs: retentionDays > 0 ? retentionDays * DAY_MS : null };
}

/** The configured Store (`file` is the snapshot path, unused for `memory`); call `open()` next. */
export function createStore(kind: 'file' | 'memory', file: string, options: MemoryStoreOptions = {}): Store {
  return kind === 'file' ? new FileStore(file, options) : new MemoryStore(options);
}

/** What a store says about its health: stores that cannot fail a write are always ok. */
export function statusOf(store: Store): StoreStatus {
  const own = (store as Partial<{ status: () => StoreStatus }>).status;
  return typeof own === 'function' ? own.call(store) : { status: 'ok', error: null };
}

/** Lines a store wants logged after it opened (torn log tails, converted snapshots). */
export function notesOf(store: Store): StoreNote[] {
  const own = (store as Partial<{ notes: () => StoreNote[] }>).notes;
  return typeof own === 'function' ? own.call(store) : [];
}
