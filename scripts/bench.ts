/**
 * `npm run bench`: throughput and latency of the mock against a bare Fastify 5 baseline measured in
 * the same run, on this machine. Each server runs in its own process (scripts/bench/target.ts);
 * this process is the load generator (undici, fixed concurrency, closed loop, 127.0.0.1 only).
 *
 * The mock is timed on Complete Checkout Session, each request a fresh session: sessions are
 * created and every complete is RSA-signed before the clock starts, so client-side signing is not
 * what gets measured. Then on Get Checkout Session, over the sessions it just completed (not for
 * forge verify, which is about the verifier), against bare Fastify's GET of the same round. Any
 * non-200 answer is an error, and errors make the exit code 1. Each round also times a second
 * reference, bare Fastify checking every request's RSA-PSS signature (scripts/bench/verifyingBaseline.ts),
 * and reports each mock against it too. With --rounds, the references and the mocks run again and
 * again in turn, and each ratio's median over the rounds is reported.
 *
 *   npm run bench -- [--duration 8] [--connections 32] [--rounds 1] [--json]
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { packagePath } from '../server/config.js';
import { signRequest } from '../server/signing/signRequest.js';
import { benchUsage, parseBenchArgs, type BenchOptions, type MockKind } from './bench/args.js';
import { benchColdStart, formatColdStart, type ColdStartReport } from './bench/coldStart.js';
import { connectionPool, runLoad, type LoadResult, type PreparedRequest } from './bench/load.js';
import { presign } from './bench/presign.js';
import type { TargetStats } from './bench/protocol.js';
import { compareRounds, compareToBaseline, formatCount, formatErrors, formatMachine, formatRatio, formatResultsTable, formatRoundsLine, formatServerLine, type Machine, type TargetResult } from './bench/report.js';
import { completeBody, completePath, createBody, createPath, demoPrivateKeyFile, demoPublicKeyId, getPath, sessionIdsOf, signedRequest } from './bench/requests.js';
import { plannedRequests, summarize } from './bench/stats.js';
import { killAllTargets, Target } from './bench/targets.js';
import { benchStored, formatStoredReport, type StoredBenchReport } from './bench/storedBench.js';
import { benchRedis, formatRedisReport, type RedisBenchReport } from './bench/redisBench.js';
import { UsageError } from './lib/cli.js';

const BASELINE = 'bare Fastify 5';
/** The second reference, issue #8's "stack's ceiling": Fastify plus one RSA-PSS check per request. */
const VERIFYING = 'bare Fastify 5 + one RSA-PSS verify';
const WARMUP_MS = 1_000;
/** Most completes pre-signed for one timed phase: bounds the time and memory spent preparing. */
const MAX_TIMED_REQUESTS = 20_000;
const FIRST_CALIBRATION = 200;
const MAX_CALIBRATION = 2_500;
const COLD_START_ROUNDS = 5;
/** Sessions whose gets are pre-signed for a get phase (cycled: more would only cost signing time). */
const MAX_GET_IDS = 5_000;

/** A get phase's name: the target's, marked. */
const getName = (target: string) => `${target}, get`;

const privateKeyPem = readFileSync(packagePath(demoPrivateKeyFile), 'utf8');
const tempDirs = new Set<string>();

function progress(message: string): void {
  process.stderr.write(`[bench ${(performance.now() / 1000).toFixed(1).padStart(5)} s] ${message}\n`);
}

function cleanUp(): void {
  killAllTargets();
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true, maxRetries: 5, retryDelay: 50 });
  tempDirs.clear();
}

function rate(result: LoadResult): number {
  return result.elapsedMs > 0 ? (result.latenciesMs.length * 1000) / result.elapsedMs : 0;
}

/** Untimed runs (warm-up, calibration, set-up) must be clean, or the numbers after them mean nothing. */
function assertClean(what: string, result: LoadResult): void {
  if (result.errors > 0) throw new Error(`${what}: ${result.errors} of ${result.latenciesMs.length} requests failed; first: ${result.firstError}`);
}

function toResult(name: string, timed: LoadResult, stats: TargetStats) {
  const summary = summarize(timed.latenciesMs, timed.errors, timed.elapsedMs);
  return {
    name,
    ...summary,
    serverCpuUsPerRequest: summary.requests > 0 ? stats.cpuUs / summary.requests : null,
    serverLoopUsPerRequest: summary.requests > 0 && stats.mainThreadCpuUs !== null ? stats.mainThreadCpuUs / summary.requests : null,
    statusCounts: timed.statusCounts,
    firstError: timed.firstError,
    endedBy: timed.endedBy,
    server: {
      rssMb: Math.round(stats.rssBytes / 2 ** 20),
      heapUsedMb: Math.round(stats.heapUsedBytes / 2 ** 20),
      loopDelayMaxMs: stats.loopDelayMaxMs,
      loopDelayP99Ms: stats.loopDelayP99Ms,
      storeAtStart: stats.storeAtMark,
      storeAtEnd: stats.store,
    },
  };
}

/** One target's timed phase in the main comparison, with its server's figures. */
type MainResult = ReturnType<typeof toResult>;

/** Warm-up, then the timed phase, on one pool (no idle gap for keep-alive to expire in). */
async function warmAndTime(target: Target, options: BenchOptions, warm: (pool: ReturnType<typeof connectionPool>) => Promise<LoadResult>, timed: (pool: ReturnType<typeof connectionPool>) => Promise<LoadResult>) {
  const pool = connectionPool(target.origin, options.connections);
  try {
    assertClean('warm-up', await warm(pool));
    await target.mark();
    const result = await timed(pool);
    return { result, stats: await target.stats({ collect: true }) };
  } finally {
    await pool.close();
  }
}

/** A warm-up of WARMUP_MS, then a timed phase of the set duration, sending `request(i)` without end. */
function timeRepeated(target: Target, options: BenchOptions, request: (i: number) => PreparedRequest) {
  const load = { connections: options.connections, count: Infinity, request, expectStatus: 200 };
  return warmAndTime(
    target,
    options,
    (pool) => runLoad(pool, { ...load, durationMs: WARMUP_MS }),
    (pool) => runLoad(pool, { ...load, durationMs: options.durationSeconds * 1000 }),
  );
}

/**
 * A reference without the mock: bare Fastify (`baseline`), or bare Fastify checking each request's
 * signature (`verifying`), timed on one complete-shaped POST and one GET, each signed once and sent
 * again and again (neither keeps anything, and the verifying one checks every copy).
 */
async function benchReference(kind: 'baseline' | 'verifying', options: BenchOptions) {
  const name = kind === 'baseline' ? BASELINE : VERIFYING;
  progress(`${name}: starting`);
  const target = await Target.start({ kind });
  try {
    // Same path shape, headers and body as the mock's pre-signed completes, so requests weigh the same.
    const post = signedRequest(signRequest, { origin: target.origin, path: completePath('baseline'), body: completeBody, privateKey: privateKeyPem, publicKeyId: demoPublicKeyId });
    const get = signedRequest(signRequest, { origin: target.origin, path: getPath('baseline'), body: '', privateKey: privateKeyPem, publicKeyId: demoPublicKeyId, method: 'GET' });
    progress(`${name}: warm-up ${WARMUP_MS / 1000} s, then ${options.durationSeconds} s timed; the same for GET`);
    const complete = await timeRepeated(target, options, () => post);
    const got = await timeRepeated(target, options, () => get);
    return { complete: toResult(name, complete.result, complete.stats), get: toResult(getName(name), got.result, got.stats) };
  } finally {
    await target.stop();
  }
}

async function benchMock(kind: MockKind, options: BenchOptions) {
  const verifier = kind === 'forge' ? 'forge' : 'native';
  const store = kind === 'memory' ? 'memory' : 'file';
  const name = `mock, ${verifier} verify, ${store} store`;
  const dataDir = mkdtempSync(path.join(os.tmpdir(), `apm-bench-${kind}-`));
  tempDirs.add(dataDir);
  progress(`${name}: starting${store === 'file' ? ` (file store in ${dataDir})` : ''}`);
  const target = await Target.start({ kind: 'mock', verifier, dataDir, ...(store === 'memory' ? { store } : {}) });
  const threads = Math.max(1, os.availableParallelism());

  /** Creates `n` sessions (signed creates, not timed) and pre-signs one complete for each. */
  const prepare = async (n: number): Promise<{ completes: PreparedRequest[]; ids: string[] }> => {
    // One signed create serves every session: the mock has no replay check, and idempotency keys are optional here.
    const create = signedRequest(signRequest, { origin: target.origin, path: createPath, body: createBody, privateKey: privateKeyPem, publicKeyId: demoPublicKeyId });
    const pool = connectionPool(target.origin, options.connections);
    let created: LoadResult;
    try {
      created = await runLoad(pool, { connections: options.connections, durationMs: Infinity, count: n, request: () => create, expectStatus: 201, keepBodies: true });
    } finally {
      await pool.close();
    }
    assertClean(`${name}: creating ${n} sessions`, created);
    const ids = sessionIdsOf(created.bodies);
    const signedAt = performance.now();
    const completes = await presign({ origin: target.origin, body: completeBody, privateKeyPem, publicKeyId: demoPublicKeyId }, ids.map(completePath), threads);
    progress(`${name}: created ${n} sessions in ${(created.elapsedMs / 1000).toFixed(1)} s, pre-signed their completes in ${((performance.now() - signedAt) / 1000).toFixed(1)} s`);
    return { completes, ids };
  };
  const send = async (requests: PreparedRequest[], durationMs = Infinity) => {
    const pool = connectionPool(target.origin, options.connections);
    try {
      return await runLoad(pool, { connections: options.connections, durationMs, count: requests.length, request: (i) => requests[i]!, expectStatus: 200 });
    } finally {
      await pool.close();
    }
  };

  try {
    // Calibration: a small run to warm the JIT, a second one sized from it for the rate.
    const first = await send((await prepare(FIRST_CALIBRATION)).completes);
    assertClean(`${name}: calibration`, first);
    const secondSize = Math.min(MAX_CALIBRATION, Math.max(FIRST_CALIBRATION, Math.round(rate(first))));
    const second = await send((await prepare(secondSize)).completes);
    assertClean(`${name}: calibration`, second);
    const calibrated = rate(second);
    const timedCount = plannedRequests(calibrated, options.durationSeconds, MAX_TIMED_REQUESTS);
    const warmCount = Math.min(1_000, Math.max(100, Math.round(calibrated * 0.5)));
    progress(`${name}: calibrated at ${Math.round(calibrated)} completes/s; preparing ${warmCount} warm-up + ${timedCount} timed completes`);

    const { completes: requests, ids } = await prepare(warmCount + timedCount);
    const warmUp = requests.slice(0, warmCount);
    const timed = requests.slice(warmCount);
    progress(`${name}: warm-up ${warmCount} requests, then up to ${options.durationSeconds} s timed`);
    const { result, stats } = await warmAndTime(
      target,
      options,
      (pool) => runLoad(pool, { connections: options.connections, durationMs: Infinity, count: warmUp.length, request: (i) => warmUp[i]!, expectStatus: 200 }),
      (pool) => runLoad(pool, { connections: options.connections, durationMs: options.durationSeconds * 1000, count: timed.length, request: (i) => timed[i]!, expectStatus: 200 }),
    );
    const complete = toResult(name, result, stats);
    if (kind === 'forge') return { complete, get: null };

    // Gets of the sessions just completed, cycled (a get changes nothing, so one signed get serves many times).
    const gets = await presign({ origin: target.origin, body: '', privateKeyPem, publicKeyId: demoPublicKeyId, method: 'GET' }, ids.slice(warmCount, warmCount + MAX_GET_IDS).map(getPath), threads);
    progress(`${name}: GET, warm-up ${WARMUP_MS / 1000} s, then ${options.durationSeconds} s timed (${gets.length} sessions, cycled)`);
    const got = await timeRepeated(target, options, (i) => gets[i % gets.length]!);
    return { complete, get: toResult(getName(name), got.result, got.stats) };
  } finally {
    progress(`${name}: stopping`);
    await target.stop();
    rmSync(dataDir, { recursive: true, force: true, maxRetries: 5, retryDelay: 50 });
    tempDirs.delete(dataDir);
  }
}

/** Each target's req/s and p99 against `reference`'s, in the one round or as the median of the rounds; `skip` names targets left out. */
function ratioLines(list: readonly MainResult[][], reference: string, label: string, skip: readonly string[]): string[] {
  if (list.length === 0) return [];
  if (list.length === 1) {
    return compareToBaseline(list[0]!, reference)
      .filter((c) => !skip.includes(c.name))
      .map((c) => `${c.name}: ${formatRatio(c.rpsRatio)}× ${label} req/s, p99 ${formatRatio(c.p99Ratio)}× ${label} (same run)`);
  }
  return compareRounds(list, reference)
    .filter((c) => !skip.includes(c.name))
    .map((c) => formatRoundsLine(c, label));
}

function machine(): Machine {
  const cpus = os.cpus();
  return { cpus: cpus.length, cpuModel: cpus[0]?.model.trim() ?? 'unknown', node: process.version, platform: os.platform(), arch: os.arch(), loadAverage: os.loadavg()[0]! };
}

async function main(): Promise<void> {
  let options: BenchOptions;
  try {
    options = parseBenchArgs(process.argv.slice(2));
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    process.stderr.write(`${err.message}\n\n${benchUsage}\n`);
    process.exitCode = 2;
    return;
  }
  if (options.help) {
    process.stdout.write(`${benchUsage}\n`);
    return;
  }
  process.on('exit', cleanUp);
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      progress(`${signal}: stopping the targets`);
      cleanUp();
      process.exit(signal === 'SIGINT' ? 130 : 143);
    });
  }

  const host = machine(); // before our own load shows in the load average
  // Each round: the baseline, then each mock; with --rounds, again and again, so that every mock's
  // ratio is taken against a baseline measured minutes, not quarter-hours, from it. A round holds
  // two comparisons, signed completes and signed gets, each against its own baseline phase.
  const rounds: MainResult[][] = [];
  const getRounds: MainResult[][] = [];
  if (!options.storedOnly) {
    for (let r = 1; r <= options.rounds; r++) {
      if (options.rounds > 1) progress(`main comparison: round ${r} of ${options.rounds}`);
      const baseline = await benchReference('baseline', options);
      const verifying = await benchReference('verifying', options);
      const round: MainResult[] = [baseline.complete, verifying.complete];
      const getRound: MainResult[] = [baseline.get, verifying.get];
      for (const kind of options.mocks) {
        if (kind === 'redis') continue;
        const mock = await benchMock(kind, options);
        round.push(mock.complete);
        if (mock.get) getRound.push(mock.get);
      }
      rounds.push(round);
      getRounds.push(getRound);
    }
  }
  const results = [...rounds.flat(), ...getRounds.flat()];
  const lastBaseline = rounds.at(-1)?.[0] ?? null;
  const redis: RedisBenchReport | null =
    !options.storedOnly && options.mocks.includes('redis') ? await benchRedis({ privateKeyPem, connections: options.connections, durationSeconds: options.durationSeconds, progress }) : null;
  const coldStart: ColdStartReport | null = options.storedOnly ? null : await benchColdStart(COLD_START_ROUNDS, progress, tempDirs);
  const stored: StoredBenchReport | null =
    options.stored.length > 0
      ? await benchStored(options.stored, { privateKeyPem, connections: options.connections, durationMs: options.durationSeconds * 1000, progress, tempDirs }, MAX_TIMED_REQUESTS)
      : null;

  const out: string[] = [''];
  rounds.forEach((round, i) => {
    if (rounds.length > 1) out.push(`round ${i + 1} of ${rounds.length}:`, '');
    out.push(formatResultsTable(round, BASELINE), '');
    if (getRounds[i]!.length > 1) out.push(formatResultsTable(getRounds[i]!, getName(BASELINE)), '');
    for (const r of round.filter((x) => x.endedBy === 'supply')) {
      out.push(`* ${r.name}: ended when its ${formatCount(r.requests)} pre-signed completes (one fresh session each) ran out, before the ${options.durationSeconds} s deadline`);
    }
    if (rounds.length > 1) out.push('');
  });
  // Each mock against bare Fastify, then against bare Fastify with the signature check (issue #8's ceiling).
  for (const [list, phase] of [[rounds, (name: string) => name], [getRounds, getName]] as const) {
    out.push(...ratioLines(list, phase(BASELINE), "the baseline's", []));
    out.push(...ratioLines(list, phase(VERIFYING), `${VERIFYING}'s`, [phase(BASELINE)]));
  }
  if (redis) out.push(...formatRedisReport(redis, lastBaseline));
  if (coldStart) out.push(formatColdStart(coldStart));
  out.push(formatMachine(host, options.connections, options.durationSeconds));
  // With several rounds, each line says which round it is from.
  const labelled = rounds.flatMap((round, i) => [...round, ...getRounds[i]!].map((r) => (rounds.length > 1 ? { ...r, name: `${r.name} (round ${i + 1})` } : r)));
  for (const r of labelled) out.push(formatServerLine(r.name, r.server));
  out.push(...formatErrors(labelled));
  if (stored) out.push(formatStoredReport(stored));
  process.stdout.write(`${out.join('\n')}\n`);
  if (options.json) {
    // Every target against a reference: each round's ratios, and with several rounds their medians.
    const against = (reference: string) => ({
      perRound: [...rounds.map((round) => compareToBaseline(round, reference)), ...getRounds.map((round) => compareToBaseline(round, getName(reference)))],
      medians: rounds.length > 1 ? [...compareRounds(rounds, reference), ...compareRounds(getRounds, getName(reference))] : null,
    });
    const { perRound: comparisons, medians } = against(BASELINE);
    const { perRound: toVerifying, medians: mediansToVerifying } = against(VERIFYING);
    const json = { machine: host, options: { durationSeconds: options.durationSeconds, connections: options.connections, rounds: options.rounds }, baseline: BASELINE, verifying: VERIFYING, results, rounds, getRounds, comparisons, medians, toVerifying, mediansToVerifying, redis, coldStart, stored };
    process.stdout.write(`${JSON.stringify(json, null, 2)}\n`);
  }
  if (results.some((r) => r.errors > 0) || (redis && 'phases' in redis && redis.phases.some((p) => p.errors > 0)) || stored?.sizes.some((s) => s.complete.errors + s.get.errors > 0)) process.exitCode = 1;
}

main().catch((err: Error) => {
  process.stderr.write(`bench failed: ${err.message}\n`);
  cleanUp();
  process.exitCode = 1;
});
