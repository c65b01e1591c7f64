import { appendFile, open, readdir, readFile, rm, writeFile, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { FileStore, StoreUnavailableError, snapshotFormat } from '../../server/store/index.js';
import { useFileStoreDir } from './fileStoreFixture.js';
import { fillTheDisk as fillTheDiskOf, hasFullDisk } from './fullDisk.js';

const fx = useFileStoreDir();
const { openStore, crashCopy } = fx;

const put = (id: string, value: unknown) => [{ collection: 'charges' as const, id, value }];

describe.skipIf(!hasFullDisk)('FileStore on a full disk (/dev/full)', () => {
  const fillTheDisk = (store: FileStore) => fillTheDiskOf(store, fx.file);

  it('answers a failed write as unavailable and keeps nothing of it, in memory or on disk', async () => {
    const store = await openStore();
    await store.commit('m1', put('C1', { n: 1 }));
    await fillTheDisk(store);

    const failed = store.commit('m1', [...put('C2', { n: 2 }), ...put('C1', null)]);
    // Visible at once, like every commit...
    expect(store.get('m1', 'charges', 'C2')).toEqual({ n: 2 });
    await expect(failed).rejects.toBeInstanceOf(StoreUnavailableError);
    await expect(failed).rejects.toThrow(/could not write the log .*ENOSPC/);
    // ...and taken back out once its write failed: a retry never sees an answer that is not on disk.
    expect(store.get('m1', 'charges', 'C2')).toBeUndefined();
    expect(store.get('m1', 'charges', 'C1')).toEqual({ n: 1 });
    expect(store.list('m1', 'charges')).toEqual([{ n: 1 }]);
    expect(store.status()).toEqual({ status: 'degraded', error: expect.stringMatching(/ENOSPC/) });
  });

  it('flush waits for every commit queued before it, failed ones included, and never rejects', async () => {
    const store = await openStore();
    await store.commit('m1', put('C1', { n: 1 }));
    await fillTheDisk(store);
    const settled: string[] = [];
    const commits = ['C2', 'C3'].map((id) => store.commit('m1', put(id, {})).catch(() => void settled.push(id)));
    await expect(store.flush()).resolves.toBeUndefined();
    expect(settled).toEqual(['C2', 'C3']);
    await Promise.all(commits);
  });

  it('rolls back every commit queued behind a failed one, newest first, including resets', async () => {
    const store = await openStore();
    await store.commit('m1', put('A', { v: 1 }));
    await store.commit('m2', put('B', { v: 1 }));
    await fillTheDisk(store);
    const all = [store.commit('m1', put('A', { v: 2 })), store.reset('m2'), store.commit('m1', put('A', { v: 3 })), store.commit('m2', put('C', {}))];
    const results = await Promise.allSettled(all);
    expect(results.every((r) => r.status === 'rejected')).toBe(true);
    expect(store.get('m1', 'charges', 'A')).toEqual({ v: 1 });
    expect(store.list('m2', 'charges')).toEqual([{ v: 1 }]);
    expect(store.namespaces()).toEqual(['m1', 'm2']);
  });

  it('keeps serving reads while degraded, and recovers by itself once writes succeed again', async () => {
    const store = await openStore();
    await store.commit('m1', put('C1', { n: 1 }));
    const full = await fillTheDisk(store);
    await expect(store.commit('m1', put('C2', { n: 2 }))).rejects.toBeInstanceOf(StoreUnavailableError);
    await expect(store.commit('m1', put('C3', { n: 3 }))).rejects.toBeInstanceOf(StoreUnavailableError);
    expect(store.get('m1', 'charges', 'C1')).toEqual({ n: 1 });

    await rm(full); // space comes back
    await store.commit('m1', put('C4', { n: 4 }));
    expect(store.status()).toEqual({ status: 'ok', error: null });
    expect(store.list('m1', 'charges')).toEqual([{ n: 1 }, { n: 4 }]);

    const recovered = await openStore(await crashCopy());
    expect(recovered.list('m1', 'charges')).toEqual([{ n: 1 }, { n: 4 }]);
  });

  it('never lets a snapshot keep a commit whose log write failed', async () => {
    const store = await openStore();
    await store.commit('m1', put('C1', { n: 1 }));
    const full = await fillTheDisk(store);
    const failing = store.commit('m1', put('C2', { n: 2 }));
    const compaction = store.compact(); // captures C2 while its write is still in flight
    await expect(failing).rejects.toBeInstanceOf(StoreUnavailableError);
    await expect(compaction).rejects.toThrow(/a log write failed while the snapshot was written/);
    await rm(full);
    const recovered = await openStore(await crashCopy());
    expect(recovered.list('m1', 'charges')).toEqual([{ n: 1 }]);
  });
});

describe('FileStore: cut short and unreadable files', () => {
  it('drops a torn last log line and says so, with the bytes dropped and why', async () => {
    const store = await openStore();
    await store.commit('m1', put('C1', { n: 1 }));
    const copy = await crashCopy();
    const log = path.join(path.dirname(copy), (await readdir(path.dirname(copy))).find((n) => n.endsWith('.log'))!);
    const fragment = '{"op":"put","ns":"m1","puts":[{"collection":"charges","id":"C2","va';
    await appendFile(log, fragment);
    const recovered = await openStore(copy);
    expect(recovered.list('m1', 'charges')).toEqual([{ n: 1 }]);
    expect(recovered.notes()).toContainEqual({
      level: 'warn',
      message: expect.stringMatching(new RegExp(`dropped 1 unfinished log entry \\(the last ${fragment.length} bytes of .*db\\.json\\.1\\.log\\).*never acknowledged`)),
    });
  });

  it('reports nothing dropped for a log that ends cleanly', async () => {
    const store = await openStore();
    await store.commit('m1', put('C1', { n: 1 }));
    const recovered = await openStore(await crashCopy());
    expect(recovered.notes().filter((n) => n.level === 'warn')).toEqual([]);
  });

  it.skipIf(process.getuid?.() === 0)('refuses to start on a snapshot it may not read, saying which file and what to do', async () => {
    await writeFile(fx.file, `${JSON.stringify({ format: snapshotFormat, logGeneration: 1 })}\n{"end":0}\n`, { mode: 0o000 });
    await expect(new FileStore(fx.file).open()).rejects.toThrow(/cannot read the snapshot .*db\.json: EACCES.*give this process read and write access/);
  });

  it('refuses to start on a snapshot cut short, instead of starting with part of the data', async () => {
    const store = await openStore();
    for (let i = 0; i < 20; i++) await store.commit('m1', put(`C${i}`, { i }));
    await store.compact();
    await store.close();
    const text = await readFile(fx.file, 'utf8');
    await writeFile(fx.file, text.slice(0, Math.floor(text.length / 2)));
    await expect(new FileStore(fx.file).open()).rejects.toThrow(/cannot read the snapshot .*db\.json: .*cut short.*move it away/);
  });
});

/** FileHandle's prototype, whose methods (write, datasync, sync) a test makes fail once or more. */
async function fileHandlePrototype(): Promise<FileHandle> {
  const handle = await open(process.execPath, 'r');
  await handle.close();
  return Object.getPrototypeOf(handle) as FileHandle;
}

function ioError(): NodeJS.ErrnoException {
  return Object.assign(new Error('EIO: i/o error, fsync'), { code: 'EIO' });
}

describe('FileStore: a failed log write leaves nothing a restart could replay', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('a commit answered as unavailable (its fsync failed) is not in the log after a stop and a restart', async () => {
    const store = await openStore();
    await store.commit('m1', put('C1', { n: 1 }));
    vi.spyOn(await fileHandlePrototype(), 'datasync').mockRejectedValueOnce(ioError());
    await expect(store.commit('m1', put('C2', { n: 2 }))).rejects.toBeInstanceOf(StoreUnavailableError);
    expect(store.get('m1', 'charges', 'C2')).toBeUndefined();
    await store.close();

    const restarted = await openStore();
    expect(restarted.list('m1', 'charges')).toEqual([{ n: 1 }]);
  });

  it('a commit answered as unavailable is not in the log after a crash right after the answer', async () => {
    const store = await openStore();
    await store.commit('m1', put('C1', { n: 1 }));
    vi.spyOn(await fileHandlePrototype(), 'datasync').mockRejectedValueOnce(ioError());
    await expect(store.commit('m1', [...put('C2', { n: 2 }), ...put('C1', null)])).rejects.toBeInstanceOf(StoreUnavailableError);

    const recovered = await openStore(await crashCopy());
    expect(recovered.list('m1', 'charges')).toEqual([{ n: 1 }]);
  });

  it('answers a commit as unavailable when the directory holding its new log file cannot be synced', async () => {
    const store = await openStore();
    // The first commit creates the first log file; fsyncing the directory (its name) fails.
    vi.spyOn(await fileHandlePrototype(), 'sync').mockRejectedValueOnce(ioError());
    await expect(store.commit('m1', put('C1', { n: 1 }))).rejects.toBeInstanceOf(StoreUnavailableError);
    expect(store.get('m1', 'charges', 'C1')).toBeUndefined();
    await store.commit('m1', put('C2', { n: 2 }));
    expect((await openStore(await crashCopy())).list('m1', 'charges')).toEqual([{ n: 2 }]);
  });

  it('recovers by itself when a compaction took away the log file a failed write had to be cut back in', async () => {
    const store = await openStore();
    await store.commit('m1', put('C1', { n: 1 }));
    // The write fails, and so does cutting it back out right away: the disk is still failing.
    vi.spyOn(await fileHandlePrototype(), 'datasync').mockRejectedValueOnce(ioError()).mockRejectedValueOnce(ioError());
    await expect(store.commit('m1', put('C2', { n: 2 }))).rejects.toBeInstanceOf(StoreUnavailableError);
    await store.compact(); // the snapshot covers that log, which is deleted
    await store.commit('m1', put('C3', { n: 3 }));
    expect(store.status()).toEqual({ status: 'ok', error: null });

    const recovered = await openStore(await crashCopy());
    expect(recovered.list('m1', 'charges')).toEqual([{ n: 1 }, { n: 3 }]);
  });
});
