/**
 * Cold start: from fork to the first answer, bare Fastify against the mock, in interleaved rounds
 * (one start is a noisy sample; the median of a few is not). The mock starts twice per round: on a
 * fresh data directory (it makes its local CA) and again on the same one (a restart); then the
 * same twice as a user's plain start (HTTP and HTTPS, scenario files, info logging).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TargetSpec } from './protocol.js';
import { median } from './stats.js';
import { Target } from './targets.js';

export interface ColdStartReport {
  rounds: number;
  /** Median fork-to-first-answer, ms. */
  baselineMs: number;
  /** The mock on a fresh data directory. */
  mockMs: number;
  /** The mock again on the same data directory (CA and empty store in place). */
  restartMs: number;
  /** A plain start (`amazon-pay-mock` with only a data dir and free ports) on a fresh data directory, and again on it. */
  defaultMs: number;
  defaultRestartMs: number;
}

export async function benchColdStart(rounds: number, progress: (message: string) => void, tempDirs: Set<string>): Promise<ColdStartReport> {
  progress(`cold start: ${rounds} interleaved rounds of bare Fastify and the mock (benchmark settings, then a plain start), each on a fresh data directory and restarting on it`);
  const baseline: number[] = [];
  const mock: number[] = [];
  const restart: number[] = [];
  const plain: number[] = [];
  const plainRestart: number[] = [];
  /** Starts `spec` twice on one fresh data directory (a first start, then a restart); records both first answers. */
  const twice = async (spec: (dataDir: string) => TargetSpec, first: number[], second: number[]) => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'apm-bench-cold-'));
    tempDirs.add(dir);
    try {
      for (const samples of [first, second]) {
        const target = await Target.start(spec(dir));
        samples.push(target.firstAnswerMs);
        await target.stop();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true, maxRetries: 5, retryDelay: 50 });
      tempDirs.delete(dir);
    }
  };
  for (let round = 0; round < rounds; round++) {
    const base = await Target.start({ kind: 'baseline' });
    baseline.push(base.firstAnswerMs);
    await base.stop();
    await twice((dataDir) => ({ kind: 'mock', verifier: 'native', dataDir }), mock, restart);
    await twice((dataDir) => ({ kind: 'default', dataDir }), plain, plainRestart);
  }
  return { rounds, baselineMs: median(baseline), mockMs: median(mock), restartMs: median(restart), defaultMs: median(plain), defaultRestartMs: median(plainRestart) };
}

/** One line: the medians and their ratios to the baseline. */
export function formatColdStart(r: ColdStartReport): string {
  const ratio = (ms: number) => (r.baselineMs > 0 ? (ms / r.baselineMs).toFixed(2) : 'n/a');
  return (
    `cold start to first answer (median of ${r.rounds} interleaved rounds): bare Fastify ${Math.round(r.baselineMs)} ms; ` +
    `mock restarting on its data directory ${Math.round(r.restartMs)} ms (${ratio(r.restartMs)}× the baseline), on a fresh one ${Math.round(r.mockMs)} ms (${ratio(r.mockMs)}×, it makes its local CA); ` +
    `a plain start (HTTP + HTTPS, scenario files, info logging) ${Math.round(r.defaultRestartMs)} ms (${ratio(r.defaultRestartMs)}×), on a fresh data directory ${Math.round(r.defaultMs)} ms (${ratio(r.defaultMs)}×)`
  );
}
