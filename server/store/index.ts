export * from './store.js';
export { MemoryStore } from './memoryStore.js';
export { FileStore, type FileStoreOptions, type FileStoreStats } from './fileStore.js';
export { snapshotFormat, type Snapshot } from './snapshot.js';
export { createStore } from './createStore.js';
