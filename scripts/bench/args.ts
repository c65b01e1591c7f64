import { parseArgs } from 'node:util';
import { UsageError } from '../lib/cli.js';

/** What `npm run bench -- ...` was asked to do. */
export interface BenchOptions {
  /** Length of each timed phase, in seconds. */
  durationSeconds: number;
  /** Concurrent connections (and requests in flight) of the load generator. */
  connections: number;
  /** Also print the results as JSON after the table. */
  json: boolean;
  help: boolean;
  /** Stored-object counts for the stored-objects report (empty: skip it). */
  stored: number[];
  /** Skip the main comparison (baseline and the mocks) and the cold start; run only the stored-objects report. */
  storedOnly: boolean;
  /** Mock configurations of the main comparison: native or forge verify on the file store, native on the memory store, the Redis phase. */
  mocks: MockKind[];
  /** Interleaved rounds of the main comparison (the baseline, then each mock, again and again); ratios are taken per round, and their median reported. */
  rounds: number;
}

export const mockKinds = ['native', 'memory', 'forge', 'redis'] as const;
export type MockKind = (typeof mockKinds)[number];

export const benchUsage = `Usage: npm run bench -- [--duration seconds] [--connections n] [--rounds n] [--json]
  --duration     length of each timed phase in seconds (default: 8)
  --connections  concurrent connections of the load generator (default: 32)
  --json         print the results as JSON after the table
  --stored       stored-object counts for the start / memory / disk / rate report,
                 comma-separated, or none (default: 1000,100000,1000000)
  --stored-only  run only that report
  --mocks        mocks of the main comparison, comma-separated: native (file store),
                 memory (memory store), forge (forge verify, file store), redis (Redis
                 store, one and then two instances; needs redis-server) (default: all four)
  --rounds       interleaved rounds of the main comparison (the baseline, then each mock
                 but redis, again and again); each ratio is taken within its round, and
                 the median of the rounds is reported (default: 1)
  -h, --help     this text`;

const MAX_DURATION_SECONDS = 600;
const MAX_CONNECTIONS = 1024;
const MAX_ROUNDS = 20;

/** Parses the bench's command line; throws UsageError on anything it cannot use. */
export function parseBenchArgs(argv: readonly string[]): BenchOptions {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        duration: { type: 'string' },
        connections: { type: 'string' },
        json: { type: 'boolean', default: false },
        stored: { type: 'string' },
        'stored-only': { type: 'boolean', default: false },
        mocks: { type: 'string' },
        rounds: { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    }));
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  const durationSeconds = values.duration === undefined ? 8 : positiveNumber('--duration', values.duration);
  if (durationSeconds > MAX_DURATION_SECONDS) throw new UsageError(`--duration ${values.duration}: at most ${MAX_DURATION_SECONDS} seconds`);
  const connections = values.connections === undefined ? 32 : positiveNumber('--connections', values.connections);
  if (!Number.isInteger(connections) || connections > MAX_CONNECTIONS) {
    throw new UsageError(`--connections ${values.connections}: expected a whole number from 1 to ${MAX_CONNECTIONS}`);
  }
  const stored = values.stored === undefined ? [1_000, 100_000, 1_000_000] : values.stored.trim() === 'none' ? [] : values.stored.split(',').map((n) => positiveNumber('--stored', n));
  if (stored.some((n) => !Number.isInteger(n) || n > 5_000_000)) throw new UsageError(`--stored ${values.stored}: whole numbers up to 5000000, or none`);
  const mocks = values.mocks === undefined ? [...mockKinds] : values.mocks.split(',').map((m) => m.trim());
  const unknown = mocks.find((m) => !(mockKinds as readonly string[]).includes(m));
  if (unknown !== undefined) throw new UsageError(`--mocks ${values.mocks}: unknown mock ${JSON.stringify(unknown)} (known: ${mockKinds.join(', ')})`);
  const rounds = values.rounds === undefined ? 1 : positiveNumber('--rounds', values.rounds);
  if (!Number.isInteger(rounds) || rounds > MAX_ROUNDS) throw new UsageError(`--rounds ${values.rounds}: expected a whole number from 1 to ${MAX_ROUNDS}`);
  return { durationSeconds, connections, json: values.json ?? false, help: values.help ?? false, stored, storedOnly: values['stored-only'] ?? false, mocks: mocks as MockKind[], rounds };
}

function positiveNumber(flag: string, raw: string): number {
  const text = raw.trim();
  const n = /^\d+(\.\d+)?$/.test(text) ? Number(text) : NaN;
  if (!Number.isFinite(n) || n <= 0) throw new UsageError(`${flag} ${raw}: expected a number greater than 0`);
  return n;
}
