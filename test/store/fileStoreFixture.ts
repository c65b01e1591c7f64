import { cp } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach } from 'vitest';
import { FileStore, type FileStoreOptions } from '../../server/store/index.js';
import { tempDirs } from './tempDir.js';

/** A fresh directory per test for a FileStore at `file` (`<dir>/db.json`); stores it opened are closed after each test. */
export interface FileStoreDir {
  readonly dir: string;
  readonly file: string;
  /** Opens a FileStore that is closed after the test if the test did not close it. */
  openStore(at?: string, options?: FileStoreOptions): Promise<FileStore>;
  /** The directory's files as a crash would leave them right now (copied while stores are open), as the path of their db.json. */
  crashCopy(): Promise<string>;
  /** Another temp directory, removed after the test. */
  makeDir(): Promise<string>;
}

/** Registers the per-test setup and cleanup of a file-store directory; call once per test file. */
export function useFileStoreDir(): FileStoreDir {
  const temp = tempDirs();
  const open: FileStore[] = [];
  let dir = '';
  beforeEach(async () => {
    dir = await temp.make();
  });
  afterEach(async () => {
    await Promise.all(open.splice(0).map((store) => store.close().catch(() => {})));
    await temp.cleanup();
  });
  const fx: FileStoreDir = {
    get dir() {
      return dir;
    },
    get file() {
      return path.join(dir, 'db.json');
    },
    async openStore(at = fx.file, options) {
      const store = new FileStore(at, options);
      open.push(store);
      await store.open();
      return store;
    },
    async crashCopy() {
      const copy = await temp.make();
      await cp(dir, copy, { recursive: true, verbatimSymlinks: true });
      return path.join(copy, 'db.json');
    },
    makeDir: () => temp.make(),
  };
  return fx;
}
