import { Worker } from 'node:worker_threads';
import type { RegisteredKey } from './keyRegistry.js';
import { verifyInThreadPool } from './threadPoolVerify.js';
import { encodeBatch, type BatchCheck } from './verifyBatchFormat.js';
import { VERIFY_WORKER_SOURCE, WORKER_READY } from './verifyWorkerSource.js';

/** Counters for tests and diagnostics. */
export interface VerifyWorkerStats {
  /** Workers created, including any that failed. */
  workersStarted: number;
  /** Messages of checks sent to a worker. */
  batches: number;
  /** Checks a worker answered. */
  verified: number;
  /** Messages of results received (a batch is answered in parts). */
  answers: number;
  /** Public keys sent to a worker (each once per worker). */
  keysSent: number;
  /** Checks done in libuv's thread pool instead (worker starting, failed, or gone mid-batch). */
  fallbacks: number;
}

export interface VerifyWorkerOptions {
  /** The worker's source text; tests pass one that crashes. */
  source?: string;
  /** After a worker fails, how long checks use the thread pool before a fresh worker is tried. */
  retryDelayMs?: number;
  /** How long checks may wait on a worker that answers nothing before it counts as stuck and is replaced. */
  stallMs?: number;
}

interface Queued {
  key: RegisteredKey;
  message: string;
  signature: Uint8Array;
  saltLength: number;
  resolve(valid: boolean): void;
}

/** A key the worker is sent along with a batch. */
interface NewKey {
  fingerprint: string;
  index: number;
  spki: Buffer;
}

/** Results for checks `from` .. `from + results.length - 1` of batch `id` (a batch is answered in order, in parts). */
interface WorkerAnswer {
  id: number;
  from: number;
  results: Uint8Array;
}

/** A batch sent to the worker: its id, its checks, and how many of them (from the first) are answered. */
interface Batch {
  id: number;
  checks: Queued[];
  answered: number;
}

/**
 * RSASSA-PSS checks on one worker thread, in batches. The callback form of node:crypto's verify
 * queues one libuv thread-pool job per request, and on a CPU-bound server the event loop then
 * spends a large share of its time on the pool's mutex and wake-ups. Here every check asked for
 * in one turn of the event loop goes out as one message (flushed in setImmediate), so that overhead
 * is paid per batch instead of per request. The answers come back in a few parts of doubling size
 * (verifyWorkerSource.ts): answered as one message, a batch of 40 kept its 40 requests waiting
 * for all 40 checks, the event loop idle meanwhile, and then the worker idle while the loop
 * finished them; in parts, the two threads overlap.
 *
 * The worker starts on the first check, not before (a start must not pay for it); until it is
 * online, and for `retryDelayMs` after it fails, checks run in the thread pool as before. If it
 * crashes or exits, the checks it held are redone in the thread pool, so every promise resolves
 * with the right answer; so are they if it stops answering for `stallMs`. It keeps the process
 * alive only while checks are in flight.
 */
export class VerifyWorker {
  readonly stats: VerifyWorkerStats = { workersStarted: 0, batches: 0, verified: 0, answers: 0, keysSent: 0, fallbacks: 0 };
  readonly #source: string;
  readonly #retryDelayMs: number;
  readonly #stallMs: number;
  /** Runs while checks are in flight, restarted by every answer: fires only if the worker stopped answering. */
  #stallTimer: NodeJS.Timeout | undefined;
  #worker: Worker | undefined;
  #online = false;
  /** Whether the worker is ref()'d; a fresh Worker is. */
  #holding = true;
  #retryAt = 0;
  /** Index of each key (by fingerprint) the current worker holds. */
  #keyIndexes = new Map<string, number>();
  #queue: Queued[] = [];
  /** Batches sent and not fully answered, oldest first (an array, not a Map: see slotSet.ts). */
  #inFlight: Batch[] = [];
  #nextBatchId = 0;
  #onlineWaiters: ((online: boolean) => void)[] = [];

  constructor(options: VerifyWorkerOptions = {}) {
    this.#source = options.source ?? VERIFY_WORKER_SOURCE;
    this.#retryDelayMs = options.retryDelayMs ?? 1_000;
    // A batch takes well under a millisecond per hundred checks; ten seconds of silence is not load.
    this.#stallMs = options.stallMs ?? 10_000;
  }

  /** True only for a valid signature; resolves (never rejects) once checked. `signature` has passed decodeSignature. */
  verify(key: RegisteredKey, message: string, signature: Uint8Array, saltLength: number): Promise<boolean> {
    if (!this.#online) {
      this.#startIfDue();
      this.stats.fallbacks++;
      return verifyInThreadPool(key.keyObject, message, signature, saltLength);
    }
    return new Promise((resolve) => {
      if (this.#queue.length === 0) setImmediate(this.#flush);
      this.#queue.push({ key, message, signature, saltLength, resolve });
    });
  }

  /** Starts a worker if none is running or starting; resolves true once one is online, false if it failed. */
  whenOnline(): Promise<boolean> {
    if (this.#online) return Promise.resolve(true);
    this.#retryAt = 0;
    this.#startIfDue();
    const worker = this.#worker;
    if (!worker) return Promise.resolve(false);
    this.#holdProcess(worker, true);
    return new Promise((resolve) => this.#onlineWaiters.push(resolve));
  }

  #startIfDue(): void {
    if (this.#worker || Date.now() < this.#retryAt) return;
    let worker: Worker;
    try {
      worker = new Worker(this.#source, { eval: true });
    } catch {
      this.#retryAt = Date.now() + this.#retryDelayMs;
      return;
    }
    this.stats.workersStarted++;
    this.#worker = worker;
    this.#holding = true;
    this.#keyIndexes = new Map();
    worker.on('message', (message: WorkerAnswer | typeof WORKER_READY | null) => (message === WORKER_READY ? this.#markOnline(worker) : this.#answer(worker, message)));
    // 'error' (an exception inside the worker) is followed by 'exit'; handling both makes either enough.
    worker.on('error', () => this.#abandon(worker));
    worker.on('messageerror', () => this.#abandon(worker));
    worker.on('exit', () => this.#abandon(worker));
    // After the listeners: adding a 'message' listener refs the worker's port again.
    this.#holdProcess(worker, this.#onlineWaiters.length > 0);
  }

  /** The worker's code has loaded (Worker's own 'online' comes before that, even for source that does not parse). */
  #markOnline(worker: Worker): void {
    if (this.#worker !== worker) return;
    this.#online = true;
    this.#settleWaiters(true);
    this.#holdProcess(worker, this.#inFlight.length > 0);
  }

  /** Sends everything queued in this turn of the event loop as one batch. */
  readonly #flush = (): void => {
    const queued = this.#queue;
    this.#queue = [];
    const worker = this.#online ? this.#worker : undefined;
    if (!worker) {
      for (const check of queued) this.#fallBack(check);
      return;
    }
    const keys: NewKey[] = [];
    const checks: BatchCheck[] = queued.map((q) => ({ keyIndex: this.#keyIndex(q.key, keys), message: q.message, signature: q.signature, saltLength: q.saltLength }));
    const id = this.#nextBatchId;
    try {
      // Throws only for a check the format cannot carry (a signature over 64 KiB) or when memory runs out.
      const batch = encodeBatch(checks);
      worker.postMessage({ id, keys: keys.map((k) => [k.index, k.spki]), batch }, [batch]);
    } catch {
      // Nothing reached the worker: forget the keys it did not get (later batches would name them), redo these here.
      for (const { fingerprint } of keys) this.#keyIndexes.delete(fingerprint);
      for (const check of queued) this.#fallBack(check);
      return;
    }
    this.#nextBatchId++;
    this.#inFlight.push({ id, checks: queued, answered: 0 });
    this.#holdProcess(worker, true);
    if (!this.#stallTimer) this.#watch(worker);
    this.stats.batches++;
    this.stats.keysSent += keys.length;
  };

  /** The key's index in the current worker; a key it does not hold yet is added to `keys` to send along. */
  #keyIndex(key: RegisteredKey, keys: NewKey[]): number {
    let index = this.#keyIndexes.get(key.fingerprint);
    if (index === undefined) {
      index = this.#keyIndexes.size;
      this.#keyIndexes.set(key.fingerprint, index);
      keys.push({ fingerprint: key.fingerprint, index, spki: key.keyObject.export({ type: 'spki', format: 'der' }) });
    }
    return index;
  }

  #answer(worker: Worker, answer: WorkerAnswer | null): void {
    if (this.#worker !== worker) return;
    // Not an answer this worker can give: it cannot be trusted with the rest either.
    if (typeof answer !== 'object' || answer === null) return this.#abandon(worker);
    const { id, from, results } = answer;
    const at = this.#inFlight.findIndex((b) => b.id === id);
    if (at === -1) return;
    const batch = this.#inFlight[at]!;
    const { checks, answered } = batch;
    if (!(results instanceof Uint8Array) || from !== answered || results.length === 0 || answered + results.length > checks.length) return this.#abandon(worker);
    batch.answered += results.length;
    if (batch.answered === checks.length) this.#inFlight.splice(at, 1);
    if (this.#inFlight.length === 0) this.#holdProcess(worker, false);
    this.#watch(worker);
    this.stats.verified += results.length;
    this.stats.answers++;
    for (let i = 0; i < results.length; i++) checks[answered + i]!.resolve(results[i] === 1);
  }

  /** The worker failed or exited: redo what it held in the thread pool, and try a fresh one later. */
  #abandon(worker: Worker): void {
    if (this.#worker !== worker) return;
    this.#worker = undefined;
    this.#online = false;
    this.#retryAt = Date.now() + this.#retryDelayMs;
    this.#settleWaiters(false);
    worker.terminate().catch(() => undefined); // already stopped in most cases; the answer does not matter
    const stranded = this.#inFlight;
    this.#inFlight = [];
    this.#watch(worker);
    // Only the checks not answered yet: the others' promises have resolved already.
    for (const { checks, answered } of stranded) for (const check of checks.slice(answered)) this.#fallBack(check);
  }

  /** A worker keeps the process alive only while someone waits on it (checks in flight, whenOnline). */
  #holdProcess(worker: Worker, hold: boolean): void {
    if (hold === this.#holding) return;
    this.#holding = hold;
    if (hold) worker.ref();
    else worker.unref();
  }

  /** Watches for a stuck worker while checks are in flight; a stuck one is abandoned like a crashed one. */
  #watch(worker: Worker): void {
    if (this.#inFlight.length === 0) {
      clearTimeout(this.#stallTimer);
      this.#stallTimer = undefined;
    } else if (this.#stallTimer) this.#stallTimer.refresh();
    else this.#stallTimer = setTimeout(() => this.#abandon(worker), this.#stallMs).unref();
  }

  #fallBack({ key, message, signature, saltLength, resolve }: Queued): void {
    this.stats.fallbacks++;
    void verifyInThreadPool(key.keyObject, message, signature, saltLength).then(resolve);
  }

  #settleWaiters(online: boolean): void {
    const waiters = this.#onlineWaiters;
    this.#onlineWaiters = [];
    for (const waiter of waiters) waiter(online);
  }
}

/** The one worker of this process, shared by every app in it (a test run creates many). */
export const sharedVerifyWorker = new VerifyWorker();
