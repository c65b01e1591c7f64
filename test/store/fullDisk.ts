import { existsSync } from 'node:fs';
import { symlink } from 'node:fs/promises';
import type { FileStore } from '../../server/store/index.js';

/** Linux's /dev/full answers every write with ENOSPC: a disk that is full. */
export const hasFullDisk = existsSync('/dev/full');

/**
 * Makes the next log generation of the file store at `file` (not compacted yet) a full disk:
 * compaction rotates the log onto it. Returns that log's path; removing it gives the space back.
 */
export async function fillTheDisk(store: FileStore, file: string): Promise<string> {
  const next = `${file}.2.log`;
  await symlink('/dev/full', next);
  await store.compact();
  return next;
}
