import { createRequire } from 'node:module';
import type { Redis, RedisOptions } from 'ioredis';
import { checkCommit, checkKeep, checkNamespace, deepFreeze, isCollection } from './encoding.js';
import { StoreOpenError, StoreUnavailableError, type StoreNote, type StoreStatus } from './errors.js';
import { RedisLease } from './redisLease.js';
import { BUILD_DUE_BY_NS, CLAIM_VERSION, COMMIT, FETCH, READ_ALL, RESET, SWEEP } from './redisScripts.js';
import { collections, type Collection, type DueRecord, type KeptRecords, type Put, type Store, type StoreView, type TransactionWork } from './store.js';

/** The layout of the keys (see redisScripts.ts); a Redis holding another one is refused at start-up. */
export const REDIS_DATA_VERSION = '1';

/** The prefix of every key unless told otherwise. */
export const DEFAULT_REDIS_PREFIX = 'amazon-pay-mock:';

export interface RedisStoreOptions {
  /** `redis://[user:password@]host:port/db` (or `rediss://` for TLS). */
  url: string;
  /** Prefix of every key, so one database can hold several mocks or other data. */
  prefix?: string;
  /** Real time, for retention (tests move it). Default Date.now. */
  now?: () => number;
  /** How long the start-up connection may take before the store refuses to open (ms, default 5000). */
  connectTimeoutMs?: number;
  /** Records unchanged this long (real time) are removed by the retention sweep (ms); null keeps everything. */
  retentionMs?: number | null;
  /** How often the process holding the sweep lease runs the retention sweep (ms; default an hour, or a tenth of the retention if shorter). */
  sweepEveryMs?: number;
}

const SEP = '\u0000';

interface Scripts {
  apmCommit(...args: (string | number)[]): Promise<number>;
  apmFetch(...args: string[]): Promise<string[]>;
  apmReadAll(...args: string[]): Promise<(string | null)[]>;
  apmReset(...args: string[]): Promise<number>;
  apmSweep(...args: (string | number)[]): Promise<number>;
  apmClaimVersion(...args: string[]): Promise<string>;
  apmBuildDueByNs(...args: string[]): Promise<number>;
}

/** What a transaction saw of one record (key "<collection>\0<id>") or one whole collection (key "<collection>\0"): its value and the version the commit checks. */
interface Seen {
  value: unknown;
  version: string;
}

/** Replies that mean "Redis cannot serve right now" (out of memory, loading, cannot persist, a replica): 503, like a lost connection. */
const unavailableReply = /^(OOM|LOADING|MISCONF|READONLY|BUSY|MASTERDOWN|NOREPLICAS|TRYAGAIN|CLUSTERDOWN)\b/;

/**
 * A Store in Redis, so several mock processes share one state.
 *
 * A transaction's work reads through a synchronous view, but the records live in Redis: so the
 * work runs first on what has been fetched so far, and every record it asked for that was not
 * fetched yet is fetched (with its version, in one round trip) before it runs again. Once a run
 * asks for nothing new, its puts go to Redis in one Lua script that applies them only if no record
 * the run read has changed version since it was fetched; otherwise the records are fetched again
 * and the work runs again. No locks: two processes completing the same session both run, one
 * commits, the other runs again and sees it completed. A run that read records fetched in more
 * than one round trip has its versions checked even when it writes nothing (or throws), since
 * those reads may not be one moment's state.
 *
 * An acknowledged write is as durable as Redis's persistence makes it (appendonly yes with
 * appendfsync always: on disk). While Redis is unreachable every call fails at once with
 * StoreUnavailableError (503); the client reconnects by itself.
 */
export class RedisStore implements Store {
  readonly #url: string;
  readonly #prefix: string;
  readonly #now: () => number;
  readonly #connectTimeoutMs: number;
  readonly #redis: Redis & Scripts;
  readonly #retentionMs: number | null;
  readonly #sweepEveryMs: number;
  #sweepTimer: NodeJS.Timeout | null = null;
  #opened = false;
  #closed = false;
  #lastError: string | null = null;
  #notes: StoreNote[] = [];
  /** Which process runs the background sweeps (retention here, pending settlements in the Settler). */
  readonly lease: RedisLease;

  constructor(options: RedisStoreOptions) {
    this.#url = options.url;
    this.#prefix = options.prefix ?? DEFAULT_REDIS_PREFIX;
    this.#now = options.now ?? Date.now;
    this.#connectTimeoutMs = options.connectTimeoutMs ?? 5000;
    this.#retentionMs = options.retentionMs ?? null;
    this.#sweepEveryMs = options.sweepEveryMs ?? Math.min(3_600_000, Math.max(1_000, (this.#retentionMs ?? Infinity) / 10));
    // ioredis is loaded here, not at import: a start on the file or memory store never needs it.
    const { Redis: Client } = createRequire(import.meta.url)('ioredis') as typeof import('ioredis');
    this.#redis = new Client(options.url, this.#clientOptions()) as Redis & Scripts;
    this.#redis.on('error', (err: Error) => {
      this.#lastError = err.message;
    });
    this.#redis.on('ready', () => {
      this.#lastError = null;
    });
    this.#redis.defineCommand('apmCommit', { numberOfKeys: 0, lua: COMMIT });
    this.#redis.defineCommand('apmFetch', { numberOfKeys: 0, lua: FETCH });
    this.#redis.defineCommand('apmReadAll', { numberOfKeys: 0, lua: READ_ALL });
    this.#redis.defineCommand('apmReset', { numberOfKeys: 0, lua: RESET });
    this.#redis.defineCommand('apmSweep', { numberOfKeys: 0, lua: SWEEP });
    this.#redis.defineCommand('apmClaimVersion', { numberOfKeys: 0, lua: CLAIM_VERSION });
    this.#redis.defineCommand('apmBuildDueByNs', { numberOfKeys: 0, lua: BUILD_DUE_BY_NS });
    this.lease = new RedisLease(this.#redis, `${this.#prefix}lease:sweeps`);
  }

  #clientOptions(): RedisOptions {
    return {
      lazyConnect: true,
      connectTimeout: this.#connectTimeoutMs,
      // While disconnected, fail at once (the caller answers 503) instead of queueing requests.
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      // A command in flight when the connection broke has an unknown outcome; its caller got an
      // error, so it is never sent again behind its back (an idempotent retry replays it if it ran).
      autoResendUnfulfilledCommands: false,
      // No retries before the store opened (start-up refuses at once); afterwards reconnect forever.
      retryStrategy: (attempt) => (this.#opened && !this.#closed ? Math.min(50 * attempt, 1000) : null),
    };
  }

  /** Connects and checks the data version; refuses (StoreOpenError) when Redis is unreachable or holds another layout. */
  async open(): Promise<void> {
    const where = redactedUrl(this.#url);
    try {
      await this.#redis.connect();
    } catch (err) {
      this.#redis.disconnect();
      throw new StoreOpenError(`cannot reach Redis at ${where} (${this.#lastError ?? (err as Error).message}); start Redis or fix --redis-url`, where, { cause: err });
    }
    let found: string;
    try {
      found = await this.#redis.apmClaimVersion(`${this.#prefix}version`, REDIS_DATA_VERSION);
    } catch (err) {
      this.#redis.disconnect();
      throw new StoreOpenError(`Redis at ${where} refused the version check (${(err as Error).message})`, where, { cause: err });
    }
    if (found !== REDIS_DATA_VERSION) {
      this.#redis.disconnect();
      throw new StoreOpenError(
        `Redis at ${where} holds amazon-pay-mock data of layout version ${JSON.stringify(found)} under the prefix ${JSON.stringify(this.#prefix)}; this version reads only ${REDIS_DATA_VERSION}. Use another database (redis://host:port/<db>) or clear this one (FLUSHDB) if its data may go`,
        where,
      );
    }
    let copied: number;
    try {
      copied = await this.#redis.apmBuildDueByNs(this.#prefix);
    } catch (err) {
      this.#redis.disconnect();
      throw new StoreOpenError(`Redis at ${where} refused to build the per-merchant schedules (${(err as Error).message})`, where, { cause: err });
    }
    if (copied > 0) this.#notes.push({ level: 'info', message: `store: built the per-merchant schedules in Redis from the shared one (${copied} scheduled records, written by an earlier version)` });
    this.#opened = true;
    this.lease.start();
    if (this.#retentionMs !== null) {
      this.#sweepTimer = setInterval(() => void this.#sweepIfLeased().catch(() => {}), this.#sweepEveryMs);
      this.#sweepTimer.unref();
    }
  }

  async read<T>(ns: string, collection: Collection, id: string): Promise<T | undefined> {
    checkNamespace(ns);
    const [raw] = await this.#call(() => this.#redis.apmFetch(this.#prefix, ns, collection, id));
    return raw ? (deepFreeze(JSON.parse(raw)) as T) : undefined;
  }

  async readAll<T>(ns: string, collection: Collection): Promise<T[]> {
    checkNamespace(ns);
    const values = await this.#call(() => this.#redis.apmReadAll(this.#prefix, ns, collection));
    return values.filter((v): v is string => typeof v === 'string').map((v) => deepFreeze(JSON.parse(v)) as T);
  }

  async transact<R>(ns: string, work: TransactionWork<R>): Promise<R> {
    checkNamespace(ns);
    const seen = new Map<string, Seen>();
    // How many round trips fetched what `seen` holds: one is a single moment's state, more may not be.
    let fetches = 0;
    for (;;) {
      const read = new Set<string>();
      const missing = new Set<string>();
      const look = (key: string) => {
        read.add(key);
        const hit = seen.get(key);
        if (!hit) missing.add(key);
        return hit?.value;
      };
      const view: StoreView = {
        get: <T>(collection: Collection, id: string) => look(`${collection}${SEP}${id}`) as T | undefined,
        // A whole collection is one read, checked by the collection's version (so a record added meanwhile counts as a change).
        list: <T>(collection: Collection) => ((look(`${collection}${SEP}`) as T[] | undefined) ?? []).slice(),
      };
      let outcome: ReturnType<TransactionWork<R>> | undefined;
      let failure: { error: unknown } | null = null;
      try {
        outcome = work(view);
      } catch (error) {
        failure = { error };
      }
      if (missing.size > 0) {
        // It decided on records it had not seen yet: fetch them and decide again.
        await this.#fetch(ns, [...missing], seen);
        fetches++;
        continue;
      }
      if (failure && fetches <= 1) throw failure.error;
      const asked = failure ? [] : outcome!.puts;
      if (!failure && asked.length === 0 && fetches <= 1) return outcome!.result;
      // What is written is what the store took ownership of, as in the embedded stores.
      const puts = asked.length > 0 ? checkCommit(ns, asked) : asked;
      const applied = await this.#call(() => this.#redis.apmCommit(...this.#commitArgs(ns, read, seen, puts)));
      if (applied === 1) {
        if (failure) throw failure.error;
        return outcome!.result;
      }
      // Something it read changed meanwhile: fetch all of it again, in one round trip, and decide again.
      seen.clear();
      await this.#fetch(ns, [...read], seen);
      fetches = 1;
    }
  }

  /**
   * Due records of one namespace from its own sorted set, or of all from the shared one: a merchant
   * whose clock is far ahead never reads the other merchants' schedules its clock has passed.
   */
  async due(now: number, ns?: string): Promise<DueRecord[]> {
    const flat = await this.#call(() => this.#redis.zrangebyscore(this.#dueKey(ns), '-inf', String(now), 'WITHSCORES'));
    return dueRecords(flat);
  }

  /** The earliest dueAt of one namespace, or of all. */
  async nextDue(ns?: string): Promise<number | null> {
    const flat = await this.#call(() => this.#redis.zrange(this.#dueKey(ns), '0', '0', 'WITHSCORES'));
    return flat.length ? Number(flat[1]) : null;
  }

  /** The sorted set of one namespace's schedules, or the shared one of every namespace's (see redisScripts.ts). */
  #dueKey(ns?: string): string {
    return ns === undefined ? `${this.#prefix}due` : `${this.#prefix}due:${ns}`;
  }

  async reset(ns?: string, keep?: readonly KeptRecords[]): Promise<void> {
    if (ns !== undefined) checkNamespace(ns);
    const kept = checkKeep(keep).flatMap((k) => [k.ns, k.collection, k.id ?? '']);
    await this.#call(() => this.#redis.apmReset(this.#prefix, ns ?? '', String(collections.length), ...collections, ...kept));
  }

  async namespaces(): Promise<string[]> {
    return (await this.#call(() => this.#redis.hkeys(`${this.#prefix}ns`))).sort();
  }

  /** Nothing to wait for: a write resolves once Redis has it. */
  async flush(): Promise<void> {}

  async close(): Promise<void> {
    if (this.#closed) return;
    if (this.#sweepTimer) clearInterval(this.#sweepTimer);
    await this.lease.stop();
    this.#closed = true;
    try {
      if (this.#redis.status === 'ready') await this.#redis.quit();
      else this.#redis.disconnect();
    } catch {
      this.#redis.disconnect();
    }
  }

  /**
   * Removes up to `limit` records unchanged since `retentionMs` ago (real time); returns how many.
   * Run by one process at a time (see RedisLease), though running it twice would do no harm.
   */
  sweepRetention(retentionMs: number, limit = 1000): Promise<number> {
    return this.#call(() => this.#redis.apmSweep(this.#prefix, this.#now() - retentionMs, limit));
  }

  /** The retention sweep, by the process holding the lease only, in batches until nothing is left to remove. */
  async #sweepIfLeased(): Promise<void> {
    if (this.#retentionMs === null) return;
    while (this.lease.held && !this.#closed && (await this.sweepRetention(this.#retentionMs)) === 1000);
  }

  /** Lines worth logging after opening (per-merchant schedules built from an earlier version's data). */
  notes(): StoreNote[] {
    return [...this.#notes];
  }

  /** Degraded while Redis is unreachable: every call answers 503 meanwhile, and the client reconnects by itself. */
  status(): StoreStatus {
    if (this.#redis.status === 'ready') return { status: 'ok', error: null };
    return { status: 'degraded', error: `Redis at ${redactedUrl(this.#url)} is ${this.#redis.status}${this.#lastError ? ` (${this.#lastError})` : ''}; calls answer 503 until it is back` };
  }

  /** The connection, for the pieces that share it (the lease of background sweeps, the journal). */
  get client(): Redis {
    return this.#redis;
  }

  /** The key prefix, for the pieces that share the database. */
  get prefix(): string {
    return this.#prefix;
  }

  async #fetch(ns: string, keys: readonly string[], seen: Map<string, Seen>): Promise<void> {
    if (keys.length === 0) return;
    const args: string[] = [this.#prefix, ns];
    for (const key of keys) {
      const at = key.indexOf(SEP);
      args.push(key.slice(0, at), key.slice(at + 1));
    }
    const flat = await this.#call(() => this.#redis.apmFetch(...args));
    keys.forEach((key, i) => {
      const raw = flat[2 * i]!;
      seen.set(key, { value: raw ? deepFreeze(JSON.parse(raw)) : undefined, version: flat[2 * i + 1]! });
    });
  }

  #commitArgs(ns: string, read: ReadonlySet<string>, seen: ReadonlyMap<string, Seen>, puts: readonly Put[]): (string | number)[] {
    const args: (string | number)[] = [this.#prefix, ns, this.#now(), read.size];
    for (const key of read) {
      const at = key.indexOf(SEP);
      args.push(key.slice(0, at), key.slice(at + 1), seen.get(key)!.version);
    }
    args.push(puts.length);
    for (const p of puts) args.push(p.collection, p.id, p.value === null ? '' : JSON.stringify(p.value), p.dueAt ?? '');
    return args;
  }

  /** Runs one Redis call; a lost connection (or a Redis that cannot serve) becomes StoreUnavailableError, a 503. */
  async #call<T>(run: () => Promise<T>): Promise<T> {
    if (this.#closed) throw new Error('store: this RedisStore is closed');
    try {
      return await run();
    } catch (err) {
      throw asStoreError(err, `Redis at ${redactedUrl(this.#url)}`);
    }
  }
}

/** A Redis client's error as the store reports it: StoreUnavailableError (503) unless it is a reply about the command itself (a bug). */
export function asStoreError(err: unknown, where = 'Redis'): unknown {
  const error = err as Error;
  if (error?.name === 'ReplyError' && !unavailableReply.test(error.message)) return err;
  return new StoreUnavailableError(`${where} is unavailable: ${error?.message ?? String(err)}`, { cause: err });
}

function dueRecords(flat: string[]): DueRecord[] {
  const out: DueRecord[] = [];
  for (let i = 0; i < flat.length; i += 2) {
    const [ns, collection, ...rest] = flat[i]!.split(SEP);
    const id = rest.join(SEP);
    if (!ns || !id || !isCollection(collection)) continue;
    out.push({ ns, collection, id, dueAt: Number(flat[i + 1]) });
  }
  // Redis orders equal scores by member ("ns\0collection\0id"): the order the contract asks for.
  return out;
}

/** The URL without its password, for messages and the health report. */
export function redactedUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '(an unparsable Redis URL)';
  }
}
