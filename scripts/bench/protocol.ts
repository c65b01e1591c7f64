import type { StallAccount, ThreadsCpu } from './stallWatch.js';

/** Messages between the bench (parent) and a target process (scripts/bench/target.ts) over IPC. */

/**
 * What a target runs: the bare-Fastify baseline, the same plus one RSA-PSS check of each request's
 * signature (`verifying`: scripts/bench/verifyingBaseline.ts), the mock with one RSA-PSS verifier
 * and one store (`dataDir` unused for memory), or the mock as a user's plain start runs it
 * (`default`: HTTP and HTTPS, file store, scenario files, info logging).
 */
export type TargetSpec =
  | { kind: 'baseline' }
  | { kind: 'verifying' }
  | { kind: 'default'; dataDir: string }
  | { kind: 'mock'; verifier: 'native' | 'forge'; dataDir: string; store?: 'file' | 'memory' }
  // The Redis phase (scripts/bench/redisBench.ts): the mock with --store redis on this URL.
  | { kind: 'mock'; verifier: 'native' | 'forge'; dataDir: string; store: 'redis'; redisUrl: string };

/**
 * Parent -> target. `mark` starts the CPU clock of a timed phase; `stats` reads it, and with
 * `collect` then runs a full GC before reading the heap (for memory per object); `compact` writes
 * a snapshot of the file store now and reports how long the event loop was blocked meanwhile;
 * `close` stops gracefully.
 */
export interface TargetCommand {
  id: number;
  cmd: 'mark' | 'stats' | 'compact' | 'close';
  collect?: boolean;
}

/** A snapshot written on request: how long it took and the longest event-loop stall meanwhile. */
export interface CompactionStats {
  ms: number;
  loopDelayMaxMs: number;
  records: number;
  /** The longest gap between turns of the event loop, seen by a 1 ms timer, and where the main thread was meanwhile. */
  longestStall: StallAccount;
  /** CPU time of each thread of the target meanwhile. */
  threads: ThreadsCpu;
}

/** The server's own view of a phase. */
export interface TargetStats {
  /** CPU time (user + system) since the last `mark`, µs. */
  cpuUs: number;
  /** CPU time of the main thread (the event loop) alone since the last `mark`, µs; null where unknown (not Linux). */
  mainThreadCpuUs: number | null;
  /** Wall time since the last `mark`, ms. */
  wallMs: number;
  rssBytes: number;
  heapUsedBytes: number;
  /** Longest and 99th-percentile event-loop delay since the last `mark`, ms: how long the server stopped answering. */
  loopDelayMaxMs: number;
  loopDelayP99Ms: number;
  /** FileStore counters (fsync'ed batches, log entries, snapshots) at the last `mark` and now, when the store has them. */
  storeAtMark: unknown;
  store: unknown;
}

/** Target -> parent. */
export type TargetMessage =
  | { type: 'ready'; port: number }
  | { type: 'failed'; message: string }
  | { type: 'reply'; id: number; stats?: TargetStats; closeMs?: number; compaction?: CompactionStats; error?: string };

/** argv of the target process for a spec, and back. */
export function targetArgv(spec: TargetSpec): string[] {
  if (spec.kind === 'baseline' || spec.kind === 'verifying') return [spec.kind];
  if (spec.kind === 'default') return ['default', spec.dataDir];
  if (spec.store === 'redis') return ['mock', spec.verifier, spec.dataDir, 'redis', spec.redisUrl];
  return ['mock', spec.verifier, spec.dataDir, ...(spec.store === 'memory' ? ['memory'] : [])];
}

export function parseTargetArgv(argv: readonly string[]): TargetSpec {
  const [kind, verifier, dataDir, store, redisUrl] = argv;
  if ((kind === 'baseline' || kind === 'verifying') && argv.length === 1) return { kind };
  if (kind === 'default' && argv.length === 2 && verifier) return { kind, dataDir: verifier };
  if (kind === 'mock' && (verifier === 'native' || verifier === 'forge') && dataDir) {
    if (argv.length === 3) return { kind, verifier, dataDir };
    if (argv.length === 4 && store === 'memory') return { kind, verifier, dataDir, store };
    if (argv.length === 5 && store === 'redis' && redisUrl) return { kind, verifier, dataDir, store, redisUrl };
  }
  throw new Error(`target: expected "baseline", "verifying", "default <dataDir>" or "mock native|forge <dataDir> [memory | redis <url>]", got ${JSON.stringify(argv)}`);
}

/**
 * The command line of a mock target. `default` is a user's plain start (both listeners, file store,
 * scenario files, info logging), only on free ports. The others are the defaults minus what would
 * distort the measurement: logging, HTTPS, scripted scenarios; idempotency keys optional so one
 * signed create can be replayed.
 */
export function mockFlags(spec: Extract<TargetSpec, { kind: 'mock' | 'default' }>): string[] {
  if (spec.kind === 'default') return ['--data-dir', spec.dataDir, '--http-port', '0', '--https-port', '0'];
  return [
    ...['--host', '127.0.0.1', '--http-port', '0', '--no-https', '--data-dir', spec.dataDir, '--verifier', spec.verifier],
    ...['--store', spec.store ?? 'file', ...(spec.store === 'redis' ? ['--redis-url', spec.redisUrl] : [])],
    ...['--log-level', 'silent', '--scenarios-dir', '', '--idempotency-key', 'optional'],
  ];
}
