import { FileStore } from './fileStore.js';
import { MemoryStore } from './memoryStore.js';
import type { Store } from './store.js';

/** The configured Store (`file` is the snapshot path, unused for `memory`); call `open()` next. */
export function createStore(kind: 'file' | 'memory', file: string): Store {
  return kind === 'file' ? new FileStore(file) : new MemoryStore();
}
