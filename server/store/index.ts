export * from './store.js';
export { MemoryStore, type MemoryStoreOptions } from './memoryStore.js';
export { FileStore, type FileStoreOptions, type FileStoreStats } from './fileStore.js';
export { snapshotFormat } from './snapshot.js';
export { StoreOpenError, StoreUnavailableError, type StoreNote, type StoreStatus } from './errors.js';
export { createStore } from './createStore.js';
