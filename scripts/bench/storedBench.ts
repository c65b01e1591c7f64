/**
 * The mock with 1k, 100k and 1M objects already stored (written straight into a snapshot, see
 * storedData.ts): how long it takes to start on them, what one object costs in memory and on
 * disk, how fast completes and gets run against bare Fastify, and how long a graceful stop takes.
 * Bare Fastify's complete and get are measured again for each size, just before the mock starts,
 * so a ratio compares phases seconds apart, not the mock at a million objects minutes after a
 * baseline taken when the machine may have been faster or slower. Not while the mock runs: an
 * idle mock still works in the background (it packs what went cold 30 s after it was written,
 * and V8 collects its heap once the load stops), which would slow the baseline instead.
 */
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { signRequest } from '../../server/signing/signRequest.js';
import { connectionPool, runLoad, type LoadResult, type PreparedRequest } from './load.js';
import { presign } from './presign.js';
import { completeBody, completePath, createBody, createPath, demoPublicKeyId, getPath, sessionIdsOf, signedRequest } from './requests.js';
import { recordTemplates, writeStoredData } from './storedData.js';
import { summarize } from './stats.js';
import type { CompactionStats } from './protocol.js';
import type { StallAccount } from './stallWatch.js';
import { Target } from './targets.js';

export interface PhaseResult {
  rps: number;
  p99Ms: number;
  /** Server CPU (user + system) per request, µs. */
  cpuUsPerRequest: number;
  /** Of that, on the main thread (the event loop), µs; NaN where unknown. */
  loopUsPerRequest: number;
  errors: number;
}

export interface StoredResult {
  stored: number;
  generateMs: number;
  snapshotBytes: number;
  /** Fork to listening with the store loaded, ms. */
  startMs: number;
  /** Fork to the first answer, ms: the restart time a user sees. */
  firstAnswerMs: number;
  /** Heap after a full GC, per stored object, above the same server with nothing stored. */
  memoryBytesPerObject: number;
  diskBytesPerObject: number;
  complete: PhaseResult;
  get: PhaseResult;
  /** Bare Fastify's complete and get, measured just before the mock started on this size. */
  baseline: { complete: PhaseResult; get: PhaseResult };
  /** A snapshot of everything written on request after the phases: its time and the longest event-loop stall meanwhile. */
  compaction: CompactionStats;
  /** Graceful stop after the phases, ms. */
  closeMs: number;
}

export interface StoredBenchReport {
  /** Bare Fastify's start to listening, ms. */
  baselineStartMs: number;
  emptyMockStartMs: number;
  sizes: StoredResult[];
}

interface Context {
  privateKeyPem: string;
  connections: number;
  durationMs: number;
  progress: (message: string) => void;
  tempDirs: Set<string>;
}

async function timedPhase(target: Target, ctx: Context, requests: (i: number) => PreparedRequest, count: number, expectStatus: number): Promise<PhaseResult> {
  const pool = connectionPool(target.origin, ctx.connections);
  try {
    const warm = await runLoad(pool, { connections: ctx.connections, durationMs: 1_000, count: Math.min(count, 300), request: requests, expectStatus });
    if (warm.errors > 0) throw new Error(`warm-up: ${warm.errors} errors; first: ${warm.firstError}`);
    await target.mark();
    const result: LoadResult = await runLoad(pool, { connections: ctx.connections, durationMs: ctx.durationMs, count, request: (i) => requests(i + 300), expectStatus });
    const stats = await target.stats();
    const summary = summarize(result.latenciesMs, result.errors, result.elapsedMs);
    return { rps: summary.rps, p99Ms: summary.p99Ms, cpuUsPerRequest: summary.requests > 0 ? stats.cpuUs / summary.requests : NaN, loopUsPerRequest: summary.requests > 0 && stats.mainThreadCpuUs !== null ? stats.mainThreadCpuUs / summary.requests : NaN, errors: result.errors };
  } finally {
    await pool.close();
  }
}

/** Creates `n` fresh sessions through the API (not timed) and pre-signs a complete for each. */
async function preparedCompletes(target: Target, ctx: Context, n: number): Promise<PreparedRequest[]> {
  const create = signedRequest(signRequest, { origin: target.origin, path: createPath, body: createBody, privateKey: ctx.privateKeyPem, publicKeyId: demoPublicKeyId });
  const pool = connectionPool(target.origin, ctx.connections);
  try {
    const created = await runLoad(pool, { connections: ctx.connections, durationMs: Infinity, count: n, request: () => create, expectStatus: 201, keepBodies: true });
    if (created.errors > 0) throw new Error(`creating sessions: ${created.errors} errors; first: ${created.firstError}`);
    return await presign({ origin: target.origin, body: completeBody, privateKeyPem: ctx.privateKeyPem, publicKeyId: demoPublicKeyId }, sessionIdsOf(created.bodies).map(completePath), os.availableParallelism());
  } finally {
    await pool.close();
  }
}

async function presignedGets(target: Target, ctx: Context, ids: readonly string[]): Promise<PreparedRequest[]> {
  return presign({ origin: target.origin, body: '', privateKeyPem: ctx.privateKeyPem, publicKeyId: demoPublicKeyId, method: 'GET' }, ids.map(getPath), os.availableParallelism());
}

/**
 * Runs the whole stored-objects report. `completes` bounds the fresh sessions prepared per size:
 * the complete phase ends when they run out, so too few make it a fraction of a second, which one
 * compaction (due every twice as many commits as there are records) can dominate or miss.
 */
export async function benchStored(sizes: readonly number[], ctx: Context, completes = 20_000): Promise<StoredBenchReport> {
  ctx.progress('stored objects: starting bare Fastify (its phases run again before each size)');
  // Kept running (bare Fastify does nothing between requests) for a baseline next to each size.
  const base = await Target.start({ kind: 'baseline' });
  try {
    const post = signedRequest(signRequest, { origin: base.origin, path: completePath('baseline'), body: completeBody, privateKey: ctx.privateKeyPem, publicKeyId: demoPublicKeyId });
    const get = signedRequest(signRequest, { origin: base.origin, path: getPath('baseline'), body: '', privateKey: ctx.privateKeyPem, publicKeyId: demoPublicKeyId, method: 'GET' });
    const baselinePhase = (request: PreparedRequest) => timedPhase(base, ctx, () => request, Infinity, 200);

    const templates = await recordTemplates(ctx.privateKeyPem);
    const emptyDir = mkdtempSync(path.join(os.tmpdir(), 'apm-bench-empty-'));
    ctx.tempDirs.add(emptyDir);
    const empty = await Target.start({ kind: 'mock', verifier: 'native', dataDir: emptyDir });
    const emptyHeap = (await empty.stats({ collect: true })).heapUsedBytes;
    const emptyMockStartMs = empty.startMs;
    await empty.stop();

    const results: StoredResult[] = [];
    for (const stored of sizes) {
      const dir = mkdtempSync(path.join(os.tmpdir(), `apm-bench-${stored}-`));
      ctx.tempDirs.add(dir);
      try {
        ctx.progress(`stored objects: writing ${stored} objects`);
        const data = await writeStoredData(dir, stored, templates);
        // The local CA the empty mock made: a restart finds its CA in place (making one is RSA key
        // generation, up to seconds, and would blur the time the store takes to load).
        cpSync(path.join(emptyDir, 'tls'), path.join(dir, 'tls'), { recursive: true });
        ctx.progress(`stored objects: ${stored} written in ${(data.ms / 1000).toFixed(1)} s (${Math.round(data.bytes / 2 ** 20)} MiB); bare Fastify's complete and get`);
        const baseline = { complete: await baselinePhase(post), get: await baselinePhase(get) };
        ctx.progress(`stored objects: ${stored}: starting the mock on them`);
        const target = await Target.start({ kind: 'mock', verifier: 'native', dataDir: dir }, 600_000);
        try {
          const memory = (await target.stats({ collect: true })).heapUsedBytes;
          const completesNeeded = Math.min(completes, 300 + Math.round(ctx.durationMs * 4));
          const prepared = await preparedCompletes(target, ctx, completesNeeded);
          const complete = await timedPhase(target, ctx, (i) => prepared[i % prepared.length]!, prepared.length - 300, 200);
          const gets = await presignedGets(target, ctx, data.sessionIds.slice(0, 5_000));
          const getPhase = await timedPhase(target, ctx, (i) => gets[i % gets.length]!, Infinity, 200);
          ctx.progress(`stored objects: ${stored}: compacting (a full snapshot) with the event loop watched`);
          const compaction = await target.compact();
          const closeMs = await target.close();
          results.push({
            stored,
            generateMs: data.ms,
            snapshotBytes: data.bytes,
            startMs: target.startMs,
            firstAnswerMs: target.firstAnswerMs,
            memoryBytesPerObject: (memory - emptyHeap) / stored,
            diskBytesPerObject: data.bytes / stored,
            complete,
            get: getPhase,
            baseline,
            compaction,
            closeMs,
          });
          ctx.progress(`stored objects: ${stored} done (start ${Math.round(target.startMs)} ms)`);
        } finally {
          await target.stop();
        }
      } finally {
        rmSync(dir, { recursive: true, force: true, maxRetries: 5, retryDelay: 50 });
        ctx.tempDirs.delete(dir);
      }
    }
    return { baselineStartMs: base.startMs, emptyMockStartMs, sizes: results };
  } finally {
    await base.stop();
  }
}

const ratio = (a: number, b: number) => (b > 0 ? (a / b).toFixed(3) : 'n/a');

const ms1 = (n: number | null) => (n === null ? '?' : n.toFixed(1));

/** One stall's account in words: see StallAccount. */
export function stallLine(s: StallAccount): string {
  if (s.onCpuMs === null || s.waitingForCpuMs === null) return `${ms1(s.ms)} ms (the kernel's account is not available here)`;
  const elsewhere = Math.max(0, s.ms - s.onCpuMs - s.waitingForCpuMs);
  return (
    `${ms1(s.ms)} ms: on a CPU ${ms1(s.onCpuMs)}, waiting for one ${ms1(s.waitingForCpuMs)}, neither ${ms1(elsewhere)}; ` +
    `V8 collections in it ${Object.entries(s.gc).map(([kind, ms]) => `${kind} ${ms.toFixed(1)}`).join(', ') || 'none'}; ` +
    `host steal ${s.stealMs ?? '?'} ms over all CPUs; ${s.minorFaults ?? '?'} page faults, ${s.voluntarySwitches ?? '?'} voluntary switches`
  );
}

/** The report as a Markdown table plus a few lines. */
export function formatStoredReport(report: StoredBenchReport): string {
  const sizes = report.sizes;
  const lines = [
    '',
    `| stored objects | first answer ms | heap B/object | disk B/object | complete ÷ baseline | CPU µs/complete (event loop) | get ÷ baseline | CPU µs/get (event loop) | compaction ms | longest stall ms | stop ms |`,
    '| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...sizes.map(
      (r) =>
        `| ${r.stored.toLocaleString('en-US')} | ${Math.round(r.firstAnswerMs)} | ${Math.round(r.memoryBytesPerObject)} | ${Math.round(r.diskBytesPerObject)} | ${ratio(r.complete.rps, r.baseline.complete.rps)} | ${cpuCell(r.complete)} | ${ratio(r.get.rps, r.baseline.get.rps)} | ${cpuCell(r.get)} | ${Math.round(r.compaction.ms)} | ${r.compaction.loopDelayMaxMs.toFixed(1)} | ${Math.round(r.closeMs)} |`,
    ),
    '',
    `bare Fastify, measured again before each size (start ${Math.round(report.baselineStartMs)} ms): ` +
      sizes
        .map((r) => `${r.stored.toLocaleString('en-US')}: ${Math.round(r.baseline.complete.rps)} POST/s (${cpuCell(r.baseline.complete)} µs CPU each), ${Math.round(r.baseline.get.rps)} GET/s (${cpuCell(r.baseline.get)} µs)`)
        .join('; '),
    '',
    'where the longest stall of each compaction went (main thread, by the kernel; a 1 ms timer sees it, so it can read 1 ms over the column):',
    ...sizes.map(
      (r) =>
        `- ${r.stored.toLocaleString('en-US')}: ${stallLine(r.compaction.longestStall)}; over the whole compaction, CPU ms of the main thread ${r.compaction.threads.mainMs}, of the others ${r.compaction.threads.othersMs.join(', ') || 'none'}`,
    ),
  ];
  if (sizes.length > 1) {
    const first = sizes[0]!;
    const last = sizes.at(-1)!;
    const change = (a: number, z: number) => `${z >= a ? '+' : ''}${((100 * (z - a)) / a).toFixed(1)} %`;
    // Each rate divided by its own baseline: what the mock lost, not what the machine did meanwhile.
    const relative = (r: StoredResult, phase: 'complete' | 'get') => r[phase].rps / r.baseline[phase].rps;
    lines.push(
      `from ${first.stored.toLocaleString('en-US')} to ${last.stored.toLocaleString('en-US')} stored: ` +
        `complete ÷ baseline ${change(relative(first, 'complete'), relative(last, 'complete'))}, get ÷ baseline ${change(relative(first, 'get'), relative(last, 'get'))} ` +
        `(the rates alone: complete ${change(first.complete.rps, last.complete.rps)}, get ${change(first.get.rps, last.get.rps)})`,
    );
  }
  for (const r of sizes) {
    if (r.complete.errors + r.get.errors > 0) lines.push(`${r.stored}: ${r.complete.errors} complete and ${r.get.errors} get errors`);
  }
  return lines.join('\n');
}

/** CPU per request, with the event loop's share in parentheses when known: `485 (310)`. */
function cpuCell(phase: PhaseResult): string {
  const all = Math.round(phase.cpuUsPerRequest);
  return Number.isFinite(phase.loopUsPerRequest) ? `${all} (${Math.round(phase.loopUsPerRequest)})` : `${all}`;
}
