export * from './store.js';
export { MemoryStore, type MemoryStoreOptions } from './memoryStore.js';
export { FileStore, type FileStoreOptions, type FileStoreStats } from './fileStore.js';
export { EmbeddedStore } from './embeddedStore.js';
export { snapshotFormat } from './snapshot.js';
export { StoreOpenError, StoreUnavailableError, type StoreNote, type StoreStatus } from './errors.js';
export { asStore, createStore } from './createStore.js';
