import { mkdir, open, stat, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { Low } from 'lowdb';
import { IncrementalJSONFile } from './incrementalJsonFile.js';
import { encodeCommit, encodeReset, type LogEntry } from './encoding.js';
import { FileLock } from './fileLock.js';
import { deleteGenerationsBelow, listGenerations, logFileName, readLog, syncDirectory, syncFile } from './logFiles.js';
import { MemoryStore } from './memoryStore.js';
import { buildSnapshot, emptySnapshot, loadSnapshot, type Snapshot } from './snapshot.js';
import type { Collection, DueRecord, Put, Store } from './store.js';

export interface FileStoreOptions {
  /**
   * Compact once the log holds this many entries not yet in the snapshot, or as many entries as
   * there are records if that is more (so compaction costs O(1) amortized per commit). Default 1000.
   */
  compactEvery?: number;
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
}

interface Pending {
  generation: number;
  line: string;
  resolve: () => void;
  reject: (err: Error) => void;
}

/**
 * A durable Store with no O(stored data) cost per request. State lives in a `MemoryStore`; each
 * commit is one JSON line appended to `<file>.<generation>.log`, and commits arriving while a
 * write+fsync is in flight share the next one (group commit). In the background, and on close,
 * the state is compacted into the lowdb JSON snapshot `<file>`; the log rotates to a new
 * generation in the same tick the snapshot is captured, so nothing written meanwhile is lost.
 * One instance per file, guarded by `<file>.lock`.
 */
export class FileStore implements Store {
  readonly #file: string;
  readonly #compactEvery: number;
  readonly #state = new MemoryStore();
  readonly #lock: FileLock;
  readonly #db: Low<Snapshot>;

  #opening: Promise<void> | null = null;
  #opened = false;
  #closing: Promise<void> | null = null;
  /** The first write error: the log can no longer be trusted, so every later commit fails. */
  #failed: Error | null = null;

  /** Generation new entries are appended to. */
  #generation = 1;
  #queue: Pending[] = [];
  #writer: Promise<void> | null = null;
  /** Settles once everything queued so far is written (or failed); never rejects. */
  #drained: Promise<void> = Promise.resolve();
  #handle: FileHandle | null = null;
  #handleGeneration = 0;

  /** Entries in the log files that the snapshot on disk does not cover. */
  #uncovered = 0;
  #compactAt: number;
  #compacting: Promise<void> | null = null;
  #snapshotOnDisk = false;
  #compactionError: Error | null = null;
  readonly #stats = { batches: 0, entries: 0, compactions: 0 };

  constructor(file: string, options: FileStoreOptions = {}) {
    const compactEvery = options.compactEvery ?? 1000;
    if (!Number.isSafeInteger(compactEvery) || compactEvery < 1) throw new TypeError('FileStore: compactEvery must be a positive integer');
    this.#file = path.resolve(file);
    this.#compactEvery = compactEvery;
    this.#compactAt = compactEvery;
    this.#lock = new FileLock(this.#file);
    // Low with a file adapter, not JSONFilePreset: the preset keeps data in memory when
    // NODE_ENV=test. The adapter writes lowdb's pretty JSON in slices (see IncrementalJSONFile).
    this.#db = new Low<Snapshot>(new IncrementalJSONFile<Snapshot>(this.#file), emptySnapshot());
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
    await mkdir(path.dirname(this.#file), { recursive: true });
    await this.#lock.acquire();
    try {
      await this.#load();
    } catch (err) {
      await this.#lock.release();
      throw err;
    }
    this.#opened = true;
    this.#compactAt = this.#threshold();
    this.#scheduleCompaction();
  }

  async #load(): Promise<void> {
    try {
      await this.#db.read();
    } catch (err) {
      throw new Error(`store: cannot read ${this.#file}: ${(err as Error).message}`);
    }
    this.#snapshotOnDisk = await stat(this.#file).then(() => true, () => false);
    const from = this.#snapshotOnDisk ? loadSnapshot(this.#file, this.#db.data, this.#state) : 0;
    const generations = await listGenerations(this.#file);
    for (const generation of generations) {
      if (generation < from) continue; // left behind by a compaction that stopped before deleting it
      const { entries } = await readLog(logFileName(this.#file, generation));
      for (const entry of entries) this.#applyEntry(entry);
      this.#uncovered += entries.length;
    }
    // Never append to an existing log: its last line may be torn, and a new line after it would
    // turn a harmless torn tail into corruption in the middle of the file.
    this.#generation = Math.max(from, (generations.at(-1) ?? 0) + 1, 1);
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
      const { line, entry } = encodeCommit(ns, puts);
      this.#state.apply(ns, entry.puts);
      return this.#append(line);
    } catch (err) {
      return Promise.reject(err);
    }
  }

  due(now: number): DueRecord[] {
    return this.#state.due(now);
  }

  nextDue(): number | null {
    return this.#state.nextDue();
  }

  reset(ns?: string): Promise<void> {
    try {
      this.#checkWritable();
      const { line, entry } = encodeReset(ns);
      this.#state.clear(entry.ns);
      return this.#append(line);
    } catch (err) {
      return Promise.reject(err);
    }
  }

  namespaces(): string[] {
    return this.#state.namespaces();
  }

  /** Waits until every commit made so far is durable or has failed; never rejects. */
  flush(): Promise<void> {
    return this.#drained;
  }

  /** Counters: fsync'ed batches, log entries, snapshots written. */
  stats(): FileStoreStats {
    return { ...this.#stats, compactionError: this.#compactionError?.message ?? null };
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

  async #close(): Promise<void> {
    if (!this.#opening) return;
    try {
      await this.#opening;
    } catch {
      return; // open failed and released everything
    }
    let error: unknown = null;
    try {
      await this.#drained;
      await this.#compacting?.catch(() => {});
      if (this.#uncovered > 0 || !this.#snapshotOnDisk) await this.compact();
    } catch (err) {
      error = err;
    }
    await this.#drained; // a compaction rotates the log but writes nothing to it; be sure anyway
    await this.#handle?.close().catch(() => {});
    this.#handle = null;
    this.#opened = false;
    await this.#lock.release();
    if (error) throw error;
  }

  #checkWritable(): void {
    if (this.#closing) throw new Error('store: this FileStore is closed');
    if (!this.#opened) throw new Error('store: call open() before writing to a FileStore');
    if (this.#failed) throw new Error(`store: writes are disabled after a log write failed: ${this.#failed.message}`, { cause: this.#failed });
  }

  #applyEntry(entry: LogEntry): void {
    if (entry.op === 'put') this.#state.apply(entry.ns, entry.puts);
    else this.#state.clear(entry.ns);
  }

  /** Queues a log line; the promise resolves once its batch is fsync'ed. */
  #append(line: string): Promise<void> {
    const done = new Promise<void>((resolve, reject) => {
      this.#queue.push({ generation: this.#generation, line, resolve, reject });
    });
    this.#drained = done.then(
      () => {},
      () => {},
    );
    this.#uncovered++;
    this.#writer ??= this.#writeLoop();
    if (this.#uncovered >= this.#compactAt) this.#scheduleCompaction();
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
        try {
          const handle = await this.#handleFor(generation);
          await writeAll(handle, Buffer.from(batch.map((p) => p.line + '\n').join(''), 'utf8'));
          await handle.datasync();
        } catch (err) {
          this.#fail(err as Error, batch);
          return;
        }
        this.#stats.batches++;
        this.#stats.entries += batch.length;
        for (const pending of batch) pending.resolve();
      }
    } finally {
      this.#writer = null;
    }
  }

  #fail(err: Error, batch: Pending[]): void {
    this.#failed = err;
    const failed = new Error(`store: could not write the log of ${this.#file}: ${err.message}`, { cause: err });
    for (const pending of [...batch, ...this.#queue.splice(0)]) pending.reject(failed);
  }

  async #handleFor(generation: number): Promise<FileHandle> {
    if (this.#handle && this.#handleGeneration === generation) return this.#handle;
    const previous = this.#handle;
    this.#handle = null;
    await previous?.close();
    const file = logFileName(this.#file, generation);
    const handle = await open(file, 'a');
    // The new file's name must be durable before an entry in it is acknowledged.
    await syncDirectory(path.dirname(file));
    this.#handle = handle;
    this.#handleGeneration = generation;
    return handle;
  }

  #scheduleCompaction(): void {
    if (this.#compacting || this.#closing || this.#uncovered < this.#compactAt) return;
    // Background: errors are kept for close(), and the next attempt waits for another threshold.
    this.compact().catch(() => {}); // kept in #compactionError, reported by stats()
  }

  async #compact(): Promise<void> {
    // Everything up to the first await runs in the caller's tick: capture and rotate together.
    const generation = this.#generation + 1;
    const snapshot = buildSnapshot(this.#state, generation);
    this.#generation = generation;
    const covered = this.#uncovered;
    const olderWritten = this.#drained;
    try {
      this.#db.data = snapshot;
      await this.#db.write(); // lowdb: temp file + rename
      await syncFile(this.#file); // the rename must be durable before any log is deleted
      this.#snapshotOnDisk = true;
      this.#uncovered -= covered;
      // Lines of older generations still in flight are in the snapshot; wait so none is appended
      // to a file after it is deleted.
      await olderWritten;
      await deleteGenerationsBelow(this.#file, generation);
      this.#stats.compactions++;
      this.#compactionError = null;
    } catch (err) {
      // Try again only after another threshold's worth of entries, not on every commit.
      this.#compactAt = this.#uncovered + this.#threshold();
      this.#compactionError = err as Error;
      throw err;
    } finally {
      this.#db.data = emptySnapshot(); // do not keep a second reference to old values alive
    }
    this.#compactAt = this.#threshold();
  }

  #threshold(): number {
    return Math.max(this.#compactEvery, this.#state.size);
  }
}

async function writeAll(handle: FileHandle, buffer: Buffer): Promise<void> {
  let offset = 0;
  while (offset < buffer.length) {
    const { bytesWritten } = await handle.write(buffer, offset, buffer.length - offset);
    offset += bytesWritten;
  }
}
