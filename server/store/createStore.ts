import { EmbeddedStore } from './embeddedStore.js';
import { FileStore } from './fileStore.js';
import { MemoryStore, type MemoryStoreOptions } from './memoryStore.js';
import type { EmbeddedEngine, Store } from './store.js';

const DAY_MS = 86_400_000;

/** Store options from the config's retention in days (0 keeps everything). */
export function retentionOptions(retentionDays: number): MemoryStoreOptions {
  return { retentionMs: retentionDays > 0 ? retentionDays * DAY_MS : null };
}

/** The configured embedded Store (`file` is the snapshot path, unused for `memory`); call `open()` next. */
export function createStore(kind: 'file' | 'memory', file = '', options: MemoryStoreOptions = {}): Store {
  return new EmbeddedStore(kind === 'file' ? new FileStore(file, options) : new MemoryStore(options));
}

/** A Store as is, or an embedded engine (a `MemoryStore`, a `FileStore`) wrapped into one. */
export function asStore(store: Store | EmbeddedEngine): Store {
  return 'transact' in store ? store : new EmbeddedStore(store);
}

export { notesOf, statusOf } from './health.js';
