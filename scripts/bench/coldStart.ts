/**
 * Cold start: from fork to the first answer, bare Fastify against the mock, in interleaved rounds
 * (one start is a noisy sample; the median of a few is not). The mock starts twice per round: on a
 * fresh data directory (it makes its local CA) and again on the same one (a restart).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Target } from './targets.js';

export interface ColdStartReport {
  rounds: number;
  /** Median fork-to-first-answer, ms. */
  baselineMs: number;
  /** The mock on a fresh data directory. */
  mockMs: number;
  /** The mock again on the same data directory (CA and empty store in place). */
  restartMs: number;
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

export async function benchColdStart(rounds: number, progress: (message: string) => void, tempDirs: Set<string>): Promise<ColdStartReport> {
  progress(`cold start: ${rounds} interleaved rounds of bare Fastify and the mock on a fresh data directory`);
  const baseline: number[] = [];
  const mock: number[] = [];
  const restart: number[] = [];
  for (let round = 0; round < rounds; round++) {
    const base = await Target.start({ kind: 'baseline' });
    baseline.push(base.firstAnswerMs);
    await base.stop();
    const dir = mkdtempSync(path.join(os.tmpdir(), 'apm-bench-cold-'));
    tempDirs.add(dir);
    try {
      const target = await Target.start({ kind: 'mock', verifier: 'native', dataDir: dir });
      mock.push(target.firstAnswerMs);
      await target.stop();
      const again = await Target.start({ kind: 'mock', verifier: 'native', dataDir: dir });
      restart.push(again.firstAnswerMs);
      await again.stop();
    } finally {
      rmSync(dir, { recursive: true, force: true, maxRetries: 5, retryDelay: 50 });
      tempDirs.delete(dir);
    }
  }
  return { rounds, baselineMs: median(baseline), mockMs: median(mock), restartMs: median(restart) };
}

/** One line: the medians and their ratios to the baseline. */
export function formatColdStart(r: ColdStartReport): string {
  const ratio = (ms: number) => (r.baselineMs > 0 ? (ms / r.baselineMs).toFixed(2) : 'n/a');
  return (
    `cold start to first answer (median of ${r.rounds} interleaved rounds): bare Fastify ${Math.round(r.baselineMs)} ms; ` +
    `mock restarting on its data directory ${Math.round(r.restartMs)} ms (${ratio(r.restartMs)}× the baseline), on a fresh one ${Math.round(r.mockMs)} ms (${ratio(r.mockMs)}×, it makes its local CA)`
  );
}
