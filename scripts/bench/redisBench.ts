/**
 * The Redis phase of `npm run bench`: the mock with `--store redis`, one instance and then two on
 * one throw-away redis-server (127.0.0.1, a free port, no persistence: what is measured is the
 * round trips and scripts, not Redis's fsync). Same workload as the main phases (one Complete
 * Checkout Session per fresh session, pre-signed); with two instances the completes are spread over
 * both, half the connections each, and counted together.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { signRequest } from '../../server/signing/signRequest.js';
import { redisServerBinary, startRedisServer } from '../lib/redisServer.js';
import { connectionPool, runLoad, type LoadResult, type PreparedRequest } from './load.js';
import { presign } from './presign.js';
import { completeBody, completePath, createBody, createPath, demoPublicKeyId, sessionIdsOf, signedRequest } from './requests.js';
import { plannedRequests, summarize, type PhaseSummary } from './stats.js';
import { Target } from './targets.js';

export interface RedisPhase extends PhaseSummary {
  instances: number;
  statusCounts: Record<string, number>;
  firstError: string | null;
}

export type RedisBenchReport = { phases: RedisPhase[] } | { skipped: string };

interface RedisBenchContext {
  privateKeyPem: string;
  connections: number;
  durationSeconds: number;
  progress: (message: string) => void;
}

const CALIBRATION = 300;
const MAX_TIMED = 12_000;

/** Runs the phase with 1 and with 2 instances; skipped (and says why) without redis-server. */
export async function benchRedis(context: RedisBenchContext): Promise<RedisBenchReport> {
  if (!redisServerBinary()) return { skipped: 'redis-server is not installed (apt-get install redis-server)' };
  const phases: RedisPhase[] = [];
  for (const instances of [1, 2]) phases.push(await benchInstances(instances, context));
  return { phases };
}

async function benchInstances(instances: number, context: RedisBenchContext): Promise<RedisPhase> {
  const name = `mock on Redis, ${instances} instance${instances > 1 ? 's' : ''}`;
  const redis = await startRedisServer();
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'apm-bench-redis-'));
  const targets: Target[] = [];
  try {
    for (let i = 0; i < instances; i++) targets.push(await Target.start({ kind: 'mock', verifier: 'native', dataDir, store: 'redis', redisUrl: redis.url }));
    context.progress(`${name}: started (redis-server on ${redis.url})`);
    const perTarget = Math.max(1, Math.floor(context.connections / instances));

    /** Creates `n` sessions through the first instance and signs one complete each, for the instance that will get it. */
    const prepare = async (n: number): Promise<PreparedRequest[][]> => {
      const origin = targets[0]!.origin;
      const create = signedRequest(signRequest, { origin, path: createPath, body: createBody, privateKey: context.privateKeyPem, publicKeyId: demoPublicKeyId });
      const pool = connectionPool(origin, context.connections);
      const created = await runLoad(pool, { connections: context.connections, durationMs: Infinity, count: n, request: () => create, expectStatus: 201, keepBodies: true }).finally(() => pool.close());
      if (created.errors > 0) throw new Error(`${name}: creating sessions: ${created.errors} failed; first: ${created.firstError}`);
      const ids = sessionIdsOf(created.bodies);
      // The host header is signed, so each instance gets completes signed for its own address.
      return Promise.all(
        targets.map((t, i) =>
          presign({ origin: t.origin, body: completeBody, privateKeyPem: context.privateKeyPem, publicKeyId: demoPublicKeyId }, ids.filter((_, k) => k % instances === i).map(completePath), Math.max(1, os.availableParallelism())),
        ),
      );
    };
    /** Sends each instance its completes at once, `perTarget` connections each; one combined result. */
    const send = async (batches: PreparedRequest[][], durationMs: number): Promise<LoadResult[]> =>
      Promise.all(
        batches.map(async (requests, i) => {
          const pool = connectionPool(targets[i]!.origin, perTarget);
          return runLoad(pool, { connections: perTarget, durationMs, count: requests.length, request: (k) => requests[k]!, expectStatus: 200 }).finally(() => pool.close());
        }),
      );

    const calibration = combine(await send(await prepare(CALIBRATION), Infinity));
    if (calibration.errors > 0) throw new Error(`${name}: calibration: ${calibration.errors} failed; first: ${calibration.firstError}`);
    const count = plannedRequests(calibration.rps, context.durationSeconds, MAX_TIMED);
    context.progress(`${name}: calibrated at ${Math.round(calibration.rps)} completes/s; ${count} timed completes, up to ${context.durationSeconds} s`);
    const timed = combine(await send(await prepare(count), context.durationSeconds * 1000));
    return { instances, ...timed };
  } finally {
    await Promise.all(targets.map((t) => t.stop()));
    await redis.dispose();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** Several instances' results as one phase: every latency, the errors, and the longest elapsed time. */
function combine(results: LoadResult[]): Omit<RedisPhase, 'instances'> {
  const latencies = results.flatMap((r) => [...r.latenciesMs]);
  const statusCounts: Record<string, number> = {};
  for (const r of results) for (const [status, n] of Object.entries(r.statusCounts)) statusCounts[status] = (statusCounts[status] ?? 0) + n;
  const summary = summarize(latencies, results.reduce((n, r) => n + r.errors, 0), Math.max(...results.map((r) => r.elapsedMs)));
  return { ...summary, statusCounts, firstError: results.find((r) => r.firstError)?.firstError ?? null };
}

/** Report lines: each phase's rate and p99, as ratios to the baseline measured in the same run. */
export function formatRedisReport(report: RedisBenchReport, baseline: { rps: number; p99Ms: number } | null): string[] {
  if ('skipped' in report) return [`Redis phase skipped: ${report.skipped}`];
  return report.phases.map((p) => {
    const ratio = baseline && baseline.rps > 0 ? `, ${(p.rps / baseline.rps).toFixed(3)}× the baseline's req/s` : '';
    const errors = p.errors > 0 ? `, ${p.errors} errors (first: ${p.firstError})` : '';
    return `mock on Redis, ${p.instances} instance${p.instances > 1 ? 's' : ''}: ${Math.round(p.rps)} completes/s${ratio}; p99 ${p.p99Ms.toFixed(1)} ms (${p.requests} requests)${errors}`;
  });
}
