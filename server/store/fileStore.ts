import { mkdir, open, stat, truncate, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { checkCommit, checkNamespace, deepFreeze, encodeCommit, encodeReset, type LogEntry } from './encoding.js';
import { applyPatch } from './logPatch.js';
import { StoreOpenError, StoreUnavailableError, type StoreNote, type StoreStatus } from './errors.js';
import { FileLock } from './fileLock.js';
import { readLegacySnapshot } from './legacySnapshot.js';
import { readHead } from './lineReader.js';
import { deleteGenerationsBelow, listGenerations, logFileName, replayLog, syncDirectory, syncFile } from './logFiles.js';
import { MemoryStore, type MemoryStoreOptions, type Undo } from './memoryStore.js';
import { readSnapshot, snapshotFormat, writeSnapshot } from './snapshot.js';
import type { Collection, DueRecord, EmbeddedEngine, KeptRecords, Put } from './store.js';

export interface FileStoreOptions extends MemoryStoreOptions {
  /**
   * Compact once the log holds this many entries not yet in the snapshot, or twice as many entries
   * as there are records if that is more (so compaction costs O(1) amortized per commit). Default 1000.
   */
  compactEvery?: number;
  /** Compact, too, once the log holds this many bytes, or twice the snapshot's if that is more. Default 128 MiB. */
  compactBytes?: number;
}

/** Counters for tests and diagnostics. */
export interface FileStoreStats {
  /** Log writes, each followed by one fsync (a group commit). */
  batches: number;
  /** Log entries written (commits and resets). */
  entries: number;
  /** Snapshots written. */
  compactions: number;
  /** Why the last compaction failed, if it did (the log keeps everything meanwhile). */
  compactionError: string | null;
  /** Log writes that failed (their commits were rolled back and rejected). */
  failedBatches: number;
}

/**
 * The log may hold this much, or LOG_GROWTH times the snapshot's bytes if that is more, and
 * LOG_GROWTH times as many entries as there are records (at least compactEvery), before a
 * compaction: a log of full records replays slower than the packed snapshot loads, so its
 * size is what bounds the restart time (a count of entries alone would let a million 5 KB commits
 * pile up). A compaction serializes every record not packed yet, so while most records are recent
 * (all of them in a store younger than the packing delay) it costs about as much CPU per byte of
 * snapshot as the commits did per byte of log: the ratio sets how much of the event loop goes to
 * compacting (half of it at 2 instead of 1). Replaying the log runs at about 7 ms per MiB, so even
 * at a million stored objects (a ~170 MB snapshot, loaded in under 2 s) a restart stays within a few
 * seconds; once the snapshot outgrows half the floor, the disk holds at most about three times it.
 */
const MIN_COMPACT_BYTES = 128 * 2 ** 20;
const LOG_GROWTH = 2;

interface Pending {
  generation: number;
  line: string;
  /** Takes the commit back out of memory if it never becomes durable. */
  undo: Undo;
  resolve: () => void;
  reject: (err: Error) => void;
}

/**
 * A durable Store with no O(stored data) cost per request. State lives in a `MemoryStore`; each
 * commit is one JSON line appended to `<file>.<generation>.log`, and commits arriving while a
 * write+fsync is in flight share the next one (group commit). A commit is visible at once, and
 * taken back out of memory (with every commit queued after it) if its write fails, so nothing
 * that is not on disk is ever acknowledged or replayed; the log is cut back before the failure is
 * answered (or by the next write, if the disk fails that too), and the store recovers by itself. In the background the state is compacted into the snapshot `<file>`
 * (JSON Lines, see snapshot.ts); the log rotates to a new generation in the same tick the
 * snapshot starts, so nothing written meanwhile is lost. One instance per file (`<file>.lock`).
 */
export class FileStore implements EmbeddedEngine {
  readonly #file: string;
  readonly #compactEvery: number;
  readonly #compactBytes: number;
  readonly #state: MemoryStore;
  readonly #lock: FileLock;

  #opening: Promise<void> | null = null;
  #opened = false;
  #closing: Promise<void> | null = null;
  /** The last write error while the store is degraded; null when writes work. */
  #writeError: Error | null = null;
  /** A log file whose end must still be cut back to `size` (after a failed write) before the next write. */
  #repair: { generation: number; size: number } | null = null;
  #notes: StoreNote[] = [];

  /** Generation new entries are appended to. */
  #generation = 1;
  #queue: Pending[] = [];
  #writer: Promise<void> | null = null;
  /**
   * The last commit or reset queued. Writes and failures settle in queue order (a failed batch
   * rejects everything queued after it too), so once it settles, everything queued before it has.
   */
  #last: Promise<void> = Promise.resolve();
  #handle: FileHandle | null = null;
  #handleGeneration = 0;
  /** Bytes of the open log file known to be durable. */
  #handleSize = 0;

  /** Entries in the log files that the snapshot on disk does not cover, and their bytes. */
  #uncovered = 0;
  #uncoveredBytes = 0;
  /** Size of the snapshot on disk: the log may grow as large before a compaction (restart time stays bounded). */
  #snapshotBytes = 0;
  /** The log generation the snapshot on disk starts at: the logs below it are covered (and deleted). */
  #snapshotGeneration = 0;
  #compactAtBytes = MIN_COMPACT_BYTES;
  #compactAt: number;
  #compacting: Promise<void> | null = null;
  #compactionError: Error | null = null;
  #convertLegacy = false;
  readonly #stats = { batches: 0, entries: 0, compactions: 0, failedBatches: 0 };

  constructor(file: string, options: FileStoreOptions = {}) {
    const compactEvery = options.compactEvery ?? 1000;
    if (!Number.isSafeInteger(compactEvery) || compactEvery < 1) throw new TypeError('FileStore: compactEvery must be a positive integer');
    this.#file = path.resolve(file);
    this.#compactEvery = compactEvery;
    this.#compactBytes = options.compactBytes ?? MIN_COMPACT_BYTES;
    this.#compactAtBytes = this.#compactBytes;
    this.#compactAt = compactEvery;
    this.#lock = new FileLock(this.#file);
    this.#state = new MemoryStore(options);
  }

  /** The snapshot file this store owns. */
  get file(): string {
    return this.#file;
  }

  open(): Promise<void> {
    this.#opening ??= this.#open();
    return this.#opening;
  }

  async #open(): Promise<void> {
    if (this.#closing) throw new Error('store: this FileStore is closed');
    try {
      await mkdir(path.dirname(this.#file), { recursive: true });
    } catch (err) {
      throw this.#openError(err, path.dirname(this.#file), 'cannot create the data directory');
    }
    try {
      await this.#lock.acquire();
    } catch (err) {
      throw new StoreOpenError((err as Error).message, this.#file, { cause: err });
    }
    try {
      await this.#load();
    } catch (err) {
      await this.#lock.release();
      throw err;
    }
    this.#opened = true;
    this.#compactAt = this.#threshold();
    this.#compactAtBytes = this.#bytesThreshold();
    this.#state.startBackground(() => this.sweepRetention().then(() => {}));
    if (this.#convertLegacy) this.compact().catch(() => {});
    else this.#scheduleCompaction();
  }

  async #load(): Promise<void> {
    let from = 0;
    const exists = await stat(this.#file).then(
      () => true,
      (err: NodeJS.ErrnoException) => {
        if (err.code === 'ENOENT') return false;
        throw this.#openError(err, this.#file, 'cannot read the snapshot');
      },
    );
    if (exists) {
      let head: string;
      try {
        head = await readHead(this.#file, 64);
      } catch (err) {
        throw this.#openError(err, this.#file, 'cannot read the snapshot');
      }
      const started = performance.now();
      try {
        if (head.startsWith(`{"format":"${snapshotFormat}"`)) {
          const read = await readSnapshot(this.#file, this.#state);
          from = read.logGeneration;
          this.#snapshotBytes = (await stat(this.#file)).size;
          this.#notes.push({ level: 'info', message: `store: ${read.records} records read from ${this.#file} in ${Math.round(performance.now() - started)} ms` });
        } else if (head.startsWith('{\n')) {
          const dueAt = new Map<string, number>();
          const records: [string, Collection, string, unknown][] = [];
          const read = await readLegacySnapshot(
            this.#file,
            (r) => records.push([r.ns, r.collection, r.id, r.value]),
            (ns, collection, id, at) => dueAt.set(JSON.stringify([ns, collection, id]), at),
          );
          const now = this.#state.now();
          let seq = 0;
          for (const [ns, collection, id, value] of records) this.#state.load({ ns, collection, id }, { value, packed: null, dueAt: dueAt.get(JSON.stringify([ns, collection, id])) ?? null, changedAt: now, seq: ++seq });
          from = read.logGeneration;
          this.#convertLegacy = true;
          this.#notes.push({
            level: 'info',
            message: `store: ${this.#file} is in the old pretty-printed format; read ${records.length} records and converting it to the streamed format now (done once)`,
          });
        } else {
          throw new Error('it is neither a snapshot of this version nor of an older one');
        }
      } catch (err) {
        if (err instanceof StoreOpenError) throw err;
        throw new StoreOpenError(
          `store: cannot read the snapshot ${this.#file}: ${(err as Error).message}. Restore it from a backup or move it away to start without it (its log files may hold newer writes).`,
          this.#file,
          { cause: err },
        );
      }
    }
    const generations = await listGenerations(this.#file).catch((err: unknown) => {
      throw this.#openError(err, path.dirname(this.#file), 'cannot list the data directory');
    });
    for (const generation of generations) {
      if (generation < from) continue; // left behind by a compaction that stopped before deleting it
      const logFile = logFileName(this.#file, generation);
      let replay;
      try {
        replay = await replayLog(logFile, (entry) => this.#applyEntry(entry));
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        if (code !== undefined) throw this.#openError(err, logFile, 'cannot read the log');
        throw new StoreOpenError(`store: ${(err as Error).message}`, logFile, { cause: err });
      }
      this.#uncovered += replay.entries;
      this.#uncoveredBytes += await stat(logFile).then((st) => st.size, () => 0);
      if (replay.tornBytes > 0) {
        this.#notes.push({
          level: 'warn',
          message:
            `store: dropped 1 unfinished log entry (the last ${replay.tornBytes} bytes of ${logFile}): a write cut short by a crash or a full disk. ` +
            'It was never acknowledged to a client, so no acknowledged write is lost.',
        });
      }
    }
    this.#state.restoreOrder();
    this.#snapshotGeneration = from;
    // Never append to an existing log: its last line may be torn, and a new line after it would
    // turn a harmless torn tail into corruption in the middle of the file.
    this.#generation = Math.max(from, (generations.at(-1) ?? 0) + 1, 1);
  }

  #openError(err: unknown, file: string, what: string): StoreOpenError {
    const e = err as NodeJS.ErrnoException;
    const hint =
      e.code === 'EACCES' || e.code === 'EPERM'
        ? 'give this process read and write access to it'
        : e.code === 'EIO'
          ? 'the disk reports an I/O error: check it, or restore the data directory from a backup'
          : 'check the file and the disk, or point --data-dir / --db-file elsewhere';
    return new StoreOpenError(`store: ${what} ${file}: ${e.code ?? ''} ${e.message}; ${hint}`.replace(/\s+/g, ' '), file, { cause: err });
  }

  get<T>(ns: string, collection: Collection, id: string): T | undefined {
    return this.#state.get<T>(ns, collection, id);
  }

  list<T>(ns: string, collection: Collection): T[] {
    return this.#state.list<T>(ns, collection);
  }

  commit(ns: string, puts: readonly Put[]): Promise<void> {
    try {
      this.#checkWritable();
      const owned = checkCommit(ns, puts);
      if (owned.length === 0) return Promise.resolve(); // nothing to make durable: no write, no fsync
      const at = this.#state.now();
      const seqs: (number | null)[] = [];
      const replaced: unknown[] = [];
      const undo = this.#state.apply(ns, owned, at, seqs, replaced);
      let line: string;
      try {
        line = encodeCommit(ns, owned, at, seqs, replaced);
      } catch (err) {
        undo();
        throw err;
      }
      return this.#append(line, undo);
    } catch (err) {
      return Promise.reject(err);
    }
  }

  due(now: number, ns?: string): DueRecord[] {
    return this.#state.due(now, ns);
  }

  nextDue(ns?: string): number | null {
    return this.#state.nextDue(ns);
  }

  reset(ns?: string, keep?: readonly KeptRecords[]): Promise<void> {
    try {
      this.#checkWritable();
      if (ns !== undefined) checkNamespace(ns);
      // The line carries the keep list: replaying it after a crash keeps the same records.
      const { line, entry } = encodeReset(ns, keep);
      return this.#append(line, this.#state.clear(ns, entry.keep));
    } catch (err) {
      return Promise.reject(err);
    }
  }

  namespaces(): string[] {
    return this.#state.namespaces();
  }

  /** Waits until every commit made so far is durable or has failed; never rejects. */
  flush(): Promise<void> {
    return this.#drained();
  }

  /** Counters: fsync'ed batches, log entries, snapshots written. */
  stats(): FileStoreStats {
    return { ...this.#stats, compactionError: this.#compactionError?.message ?? null };
  }

  /** ok, or degraded since a write failed (until one succeeds again). */
  status(): StoreStatus {
    return this.#writeError ? { status: 'degraded', error: this.#writeError.message } : { status: 'ok', error: null };
  }

  /** Lines worth logging about the last open (torn log tails, a converted snapshot). */
  notes(): StoreNote[] {
    return [...this.#notes];
  }

  /** The state engine, for measurements (bytes per record) and tests. */
  get state(): MemoryStore {
    return this.#state;
  }

  /** Removes records unchanged for the retention period; the deletes are logged like any commit. */
  sweepRetention(): Promise<number> {
    if (!this.#opened || this.#closing) return Promise.resolve(0);
    return this.#state.sweepRetention((ns, puts) => this.commit(ns, puts));
  }

  /**
   * Writes a snapshot now (the store also does this by itself). The log rotates synchronously,
   * inside this call: commits made after it returns go to the next generation. While one
   * compaction runs, calling again returns that one.
   */
  compact(): Promise<void> {
    if (!this.#opened) return Promise.reject(new Error('store: call open() before compact()'));
    this.#compacting ??= this.#compact().finally(() => {
      this.#compacting = null;
    });
    return this.#compacting;
  }

  close(): Promise<void> {
    this.#closing ??= this.#close();
    return this.#closing;
  }

  /** Stops: waits for pending writes and a running compaction. Writes no snapshot: the log is durable. */
  async #close(): Promise<void> {
    if (!this.#opening) return;
    try {
      await this.#opening;
    } catch {
      return; // open failed and released everything
    }
    this.#state.stopBackground();
    await this.#drained();
    await this.#compacting?.catch(() => {});
    await this.#drained();
    await this.#handle?.close().catch(() => {});
    this.#handle = null;
    this.#opened = false;
    await this.#state.close();
    await this.#lock.release();
  }

  #checkWritable(): void {
    if (this.#closing) throw new Error('store: this FileStore is closed');
    if (!this.#opened) throw new Error('store: call open() before writing to a FileStore');
  }

  #applyEntry(entry: LogEntry): void {
    if (entry.op === 'put') {
      const at = entry.at ?? this.#state.now();
      // One put at a time, as a commit applies them: a patch's base is then the state's version,
      // the entry's own earlier put of the record included (a commit may write one record twice).
      for (const put of entry.puts) {
        let value: unknown;
        if (put.patch === undefined) value = deepFreeze(put.value);
        else {
          // Absent here only when a later entry deletes the record (a snapshot taken meanwhile
          // holds it gone), so there is nothing to bring up to date.
          const base = this.#state.get(entry.ns, put.collection, put.id);
          if (base === undefined) continue;
          value = deepFreeze(applyPatch(base, put.patch));
        }
        this.#state.apply(entry.ns, [{ collection: put.collection, id: put.id, value, dueAt: put.dueAt, seq: put.seq }], at);
      }
    }
    else this.#state.clear(entry.ns, entry.keep);
  }

  /** Settles once everything queued so far is written (or failed); never rejects. Made on demand, not per commit. */
  #drained(): Promise<void> {
    return this.#last.then(
      () => {},
      () => {},
    );
  }

  /** Queues a log line; the promise resolves once its batch is fsync'ed. */
  #append(line: string, undo: Undo): Promise<void> {
    const done = new Promise<void>((resolve, reject) => {
      this.#queue.push({ generation: this.#generation, line, undo, resolve, reject });
    });
    this.#last = done;
    this.#uncovered++;
    this.#uncoveredBytes += line.length + 1;
    this.#writer ??= this.#writeLoop();
    this.#scheduleCompaction();
    return done;
  }

  /** Group commit: writes everything queued, one write + fsync per batch, until the queue is empty. */
  async #writeLoop(): Promise<void> {
    // Start after the current tick, so commits issued together share the first write too.
    await null;
    try {
      while (this.#queue.length > 0) {
        // A batch never spans a rotation: each generation's lines go to its own file.
        const generation = this.#queue[0]!.generation;
        let n = 1;
        while (n < this.#queue.length && this.#queue[n]!.generation === generation) n++;
        const batch = this.#queue.splice(0, n);
        const buffer = linesBytes(batch);
        try {
          await this.#repairLog();
          const handle = await this.#handleFor(generation);
          await writeAll(handle, buffer);
          await handle.datasync();
          this.#handleSize += buffer.length;
        } catch (err) {
          const { failed, error } = this.#fail(err as Error, batch);
          // Cut the batch back out of the log before answering: a stop or a crash after the answer
          // must not replay a commit that was refused. If this fails too, the next write retries it.
          await this.#repairLog().catch(() => {});
          for (const pending of failed) pending.reject(error);
          continue;
        }
        this.#writeError = null;
        this.#stats.batches++;
        this.#stats.entries += batch.length;
        for (const pending of batch) pending.resolve();
      }
    } finally {
      this.#writer = null;
    }
  }

  /**
   * A write failed: its file may now end with part of the batch (all of it when only the fsync
   * failed), so it is cut back before the batch is answered, and before the next write if that
   * failed too. The batch and every commit queued after it (they may build on it) are taken back
   * out of memory, newest first; returns them, to be rejected as unavailable once the log no
   * longer holds them.
   */
  #fail(err: Error, batch: Pending[]): { failed: Pending[]; error: StoreUnavailableError } {
    this.#stats.failedBatches++;
    this.#writeError = err;
    if (this.#handle && this.#repair === null) this.#repair = { generation: this.#handleGeneration, size: this.#handleSize };
    const failed = [...batch, ...this.#queue.splice(0)];
    this.#uncovered -= failed.length;
    for (const pending of failed) this.#uncoveredBytes -= pending.line.length + 1;
    for (let i = failed.length - 1; i >= 0; i--) failed[i]!.undo();
    const error = new StoreUnavailableError(`store: could not write the log of ${this.#file}: ${err.message}`, { cause: err });
    return { failed, error };
  }

  /** Cuts a log file back to its last durable byte after a failed write; throws while it cannot. */
  async #repairLog(): Promise<void> {
    if (this.#repair === null) return;
    const { generation, size } = this.#repair;
    if (generation < this.#snapshotGeneration) {
      // A snapshot written since covers that log, and its compaction deletes it: nothing to cut.
      this.#repair = null;
      return;
    }
    const previous = this.#handle;
    this.#handle = null;
    await previous?.close().catch(() => {});
    const file = logFileName(this.#file, generation);
    await truncate(file, size).catch((err: NodeJS.ErrnoException) => {
      if (!(err.code === 'ENOENT' && size === 0)) throw err; // gone and empty: nothing to cut
    });
    const handle = await open(file, 'a');
    try {
      await handle.datasync();
    } catch (err) {
      await handle.close().catch(() => {});
      throw err;
    }
    this.#handle = handle;
    this.#handleGeneration = generation;
    this.#handleSize = size;
    this.#repair = null;
  }

  async #handleFor(generation: number): Promise<FileHandle> {
    if (this.#handle && this.#handleGeneration === generation) return this.#handle;
    const previous = this.#handle;
    this.#handle = null;
    await previous?.close();
    const file = logFileName(this.#file, generation);
    const handle = await open(file, 'a');
    let size: number;
    try {
      size = (await handle.stat()).size;
      // The new file's name must be durable before an entry in it is acknowledged.
      await syncDirectory(path.dirname(file));
    } catch (err) {
      await handle.close().catch(() => {});
      throw err;
    }
    this.#handle = handle;
    this.#handleGeneration = generation;
    this.#handleSize = size;
    return handle;
  }

  #scheduleCompaction(): void {
    if (this.#compacting || this.#closing) return;
    if (this.#uncovered < this.#compactAt && this.#uncoveredBytes < this.#compactAtBytes) return;
    // Background: errors are kept for stats(), and the next attempt waits for another threshold.
    this.compact().catch(() => {});
  }

  async #compact(): Promise<void> {
    // Everything up to the first await runs in the caller's tick: rotate, then write the live state.
    const generation = this.#generation + 1;
    this.#generation = generation;
    const covered = this.#uncovered;
    const coveredBytes = this.#uncoveredBytes;
    const failuresBefore = this.#stats.failedBatches;
    try {
      const written = await writeSnapshot(this.#file, this.#state, {
        logGeneration: generation,
        beforeRename: async () => {
          // Rename only once every commit the snapshot may hold is durable: a commit that fails
          // now is taken back out of memory, and must not survive in the snapshot either.
          await this.#drained();
          if (this.#stats.failedBatches !== failuresBefore) throw new Error('a log write failed while the snapshot was written; the next compaction retries');
        },
      });
      await syncFile(this.#file); // the rename must be durable before any log is deleted
      this.#uncovered = Math.max(0, this.#uncovered - covered);
      this.#uncoveredBytes = Math.max(0, this.#uncoveredBytes - coveredBytes);
      this.#snapshotBytes = written.bytes;
      this.#convertLegacy = false;
      this.#snapshotGeneration = generation;
      await deleteGenerationsBelow(this.#file, generation);
      this.#stats.compactions++;
      this.#compactionError = null;
    } catch (err) {
      // Try again only after another threshold's worth of entries, not on every commit.
      this.#compactAt = this.#uncovered + this.#threshold();
      this.#compactAtBytes = this.#uncoveredBytes + this.#bytesThreshold();
      this.#compactionError = err as Error;
      throw err;
    }
    this.#compactAt = this.#threshold();
    this.#compactAtBytes = this.#bytesThreshold();
  }

  #threshold(): number {
    return Math.max(this.#compactEvery, LOG_GROWTH * this.#state.size);
  }

  #bytesThreshold(): number {
    return Math.max(this.#compactBytes, LOG_GROWTH * this.#snapshotBytes);
  }
}

/**
 * The lines, each followed by '\n', as UTF-8, encoded straight into one buffer: joining them
 * first would make a string of the whole batch only to copy it once more.
 */
function linesBytes(batch: readonly Pending[]): Buffer {
  let size = 0;
  for (const pending of batch) size += Buffer.byteLength(pending.line, 'utf8') + 1;
  const buffer = Buffer.allocUnsafe(size);
  let at = 0;
  for (const pending of batch) {
    at += buffer.write(pending.line, at, 'utf8');
    buffer[at++] = 0x0a;
  }
  return buffer;
}

async function writeAll(handle: FileHandle, buffer: Buffer): Promise<void> {
  let offset = 0;
  while (offset < buffer.length) {
    const { bytesWritten } = await handle.write(buffer, offset, buffer.length - offset);
    offset += bytesWritten;
  }
}
