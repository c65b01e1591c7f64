import { median, type PhaseSummary } from './stats.js';

/** The timed phase of one target, as reported. */
export interface TargetResult extends PhaseSummary {
  name: string;
  /** CPU time (user + system) of the server process per request during the timed phase, µs; null if unknown. */
  serverCpuUsPerRequest: number | null;
  /** Of that, the main thread's (the event loop's) share, µs; null if unknown. The rest ran on other threads (the signature check in libuv's pool, V8's GC helpers). */
  serverLoopUsPerRequest: number | null;
  /** Responses by HTTP status, plus transport failures by error code. */
  statusCounts: Record<string, number>;
  /** The first unexpected answer or failure, for the error line. */
  firstError: string | null;
  /** What ended the phase: the deadline, or the supply of prepared (pre-signed) requests ran out. */
  endedBy: 'duration' | 'supply';
}

/** A mock configuration against the baseline of the same run. */
export interface Comparison {
  name: string;
  /** target req/s ÷ baseline req/s (below 1 = slower). */
  rpsRatio: number;
  /** target p99 ÷ baseline p99 (above 1 = slower). */
  p99Ratio: number;
}

/** The machine the numbers come from. */
export interface Machine {
  cpus: number;
  cpuModel: string;
  node: string;
  platform: string;
  arch: string;
  /** 1-minute load average when the bench started, before its own load: other work skews the numbers. */
  loadAverage: number;
}

/** Ratios of every non-baseline result to the baseline named `baselineName`. */
export function compareToBaseline(results: readonly TargetResult[], baselineName: string): Comparison[] {
  const base = results.find((r) => r.name === baselineName);
  if (!base) throw new Error(`compareToBaseline: no result named ${baselineName}`);
  return results
    .filter((r) => r !== base)
    .map((r) => ({ name: r.name, rpsRatio: ratio(r.rps, base.rps), p99Ratio: ratio(r.p99Ms, base.p99Ms) }));
}

/** A mock configuration against the baseline over interleaved rounds: each round's ratio, and their median. */
export interface RoundsComparison {
  name: string;
  rpsRatios: number[];
  p99Ratios: number[];
  medianRpsRatio: number;
  medianP99Ratio: number;
}

/**
 * Ratios over interleaved rounds: each round's results are divided by that round's own baseline
 * (never by another round's: the machine's speed drifts between them), then the median is taken.
 */
export function compareRounds(rounds: readonly (readonly TargetResult[])[], baselineName: string): RoundsComparison[] {
  const perRound = rounds.map((round) => compareToBaseline(round, baselineName));
  const names = perRound[0]?.map((c) => c.name) ?? [];
  return names.map((name) => {
    const of = perRound.map((round) => round.find((c) => c.name === name));
    if (of.some((c) => c === undefined)) throw new Error(`compareRounds: ${name} is missing from a round`);
    const rpsRatios = of.map((c) => c!.rpsRatio);
    const p99Ratios = of.map((c) => c!.p99Ratio);
    return { name, rpsRatios, p99Ratios, medianRpsRatio: median(rpsRatios), medianP99Ratio: median(p99Ratios) };
  });
}

/** One line per mock: the median ratio to `reference` (whose req/s, in words) and each round's, in the order they ran. */
export function formatRoundsLine(c: RoundsComparison, reference = "the baseline's"): string {
  const each = (xs: number[]) => xs.map(formatRatio).join(', ');
  return `${c.name}: ${formatRatio(c.medianRpsRatio)}× ${reference} req/s, median of ${c.rpsRatios.length} interleaved rounds (${each(c.rpsRatios)}); p99 ${formatRatio(c.medianP99Ratio)}× (${each(c.p99Ratios)})`;
}

function ratio(a: number, b: number): number {
  return b > 0 && Number.isFinite(a) && Number.isFinite(b) ? a / b : NaN;
}

/** A ratio for people: two decimals from 1 up, two significant digits below (0.48, 0.057). */
export function formatRatio(x: number): string {
  if (!Number.isFinite(x)) return 'n/a';
  if (x === 0) return '0';
  if (Math.abs(x) >= 1) return x.toFixed(2);
  return x.toPrecision(2);
}

/** Milliseconds with a precision that suits their size. */
export function formatMs(ms: number): string {
  if (!Number.isFinite(ms)) return 'n/a';
  if (ms >= 100) return ms.toFixed(0);
  if (ms >= 10) return ms.toFixed(1);
  return ms.toFixed(2);
}

/** A whole number with thousands separators, independent of the machine's locale. */
export function formatCount(n: number): string {
  if (!Number.isFinite(n)) return 'n/a';
  return Math.round(n)
    .toString()
    .replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** Rows of cells as an aligned Markdown table (first row is the header; numbers right-aligned). */
export function markdownTable(rows: readonly (readonly string[])[], rightAligned: readonly boolean[] = []): string {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((row) => (row[c] ?? '').length), 3));
  const cell = (text: string, c: number) => (rightAligned[c] ? text.padStart(widths[c]!) : text.padEnd(widths[c]!));
  const line = (row: readonly string[]) => `| ${row.map((text, c) => cell(text, c)).join(' | ')} |`;
  const rule = `|${widths.map((w, c) => (rightAligned[c] ? `${'-'.repeat(w + 1)}:` : `${'-'.repeat(w + 2)}`)).join('|')}|`;
  return [line(rows[0]!), rule, ...rows.slice(1).map(line)].join('\n');
}

/** The results table, each row with its ratios to `baselineName` measured in the same run. */
export function formatResultsTable(results: readonly TargetResult[], baselineName: string): string {
  const comparisons = new Map(compareToBaseline(results, baselineName).map((c) => [c.name, c]));
  const header = ['target', 'requests', 'secs', 'req/s', 'p50 ms', 'p99 ms', 'max ms', 'errors', 'server CPU µs/req', 'of it on the event loop', 'req/s ÷ baseline', 'p99 ÷ baseline'];
  const rows = results.map((r) => {
    const c = comparisons.get(r.name);
    return [
      r.endedBy === 'supply' ? `${r.name} *` : r.name,
      formatCount(r.requests),
      (r.elapsedMs / 1000).toFixed(1),
      formatCount(r.rps),
      formatMs(r.p50Ms),
      formatMs(r.p99Ms),
      formatMs(r.maxMs),
      formatCount(r.errors),
      r.serverCpuUsPerRequest === null ? 'n/a' : formatCount(r.serverCpuUsPerRequest),
      r.serverLoopUsPerRequest === null ? 'n/a' : formatCount(r.serverLoopUsPerRequest),
      c ? formatRatio(c.rpsRatio) : '1',
      c ? formatRatio(c.p99Ratio) : '1',
    ];
  });
  return markdownTable([header, ...rows], header.map((_, i) => i > 0));
}

/** One line naming the machine and the load, with a warning when the machine was already busy. */
export function formatMachine(machine: Machine, connections: number, durationSeconds: number): string {
  const busy = machine.loadAverage >= 0.5 ? ' (the machine was busy: numbers vary from run to run, compare ratios within one run)' : '';
  return (
    `machine: ${machine.cpus} CPUs (${machine.cpuModel}), node ${machine.node}, ${machine.platform}/${machine.arch}, load average ${machine.loadAverage.toFixed(2)} at start${busy}; ` +
    `load: ${connections} connections, ${durationSeconds} s per timed phase, client and servers on 127.0.0.1`
  );
}

/** Lines explaining every error, one per target that had some; empty when there were none. */
export function formatErrors(results: readonly TargetResult[]): string[] {
  return results
    .filter((r) => r.errors > 0)
    .map((r) => {
      const counts = Object.entries(r.statusCounts)
        .map(([status, n]) => `${status}×${n}`)
        .join(', ');
      return `errors in ${r.name}: ${r.errors} of ${r.requests} (${counts}); first: ${r.firstError ?? 'unknown'}`;
    });
}

/** What the server saw of its timed phase. */
export interface ServerView {
  rssMb: number;
  heapUsedMb: number;
  loopDelayMaxMs: number;
  loopDelayP99Ms: number;
  storeAtStart: unknown;
  storeAtEnd: unknown;
}

/** Store counters that changed during the phase, as `name +delta` (numbers only). */
export function storeDelta(start: unknown, end: unknown): Record<string, number> {
  const out: Record<string, number> = {};
  if (end === null || typeof end !== 'object') return out;
  const before = (start !== null && typeof start === 'object' ? start : {}) as Record<string, unknown>;
  for (const [key, value] of Object.entries(end as Record<string, unknown>)) {
    const was = before[key];
    if (typeof value === 'number') out[key] = value - (typeof was === 'number' ? was : 0);
  }
  return out;
}

/** One line per target: memory, event-loop stalls and store activity during its timed phase. */
export function formatServerLine(name: string, s: ServerView): string {
  const delta = storeDelta(s.storeAtStart, s.storeAtEnd);
  const store = Object.keys(delta).length ? `; store during the phase: ${Object.entries(delta).map(([k, v]) => `${k} +${formatCount(v)}`).join(', ')}` : '';
  return `${name}: server RSS ${s.rssMb} MB (heap ${s.heapUsedMb} MB) after the phase; event loop blocked up to ${formatMs(s.loopDelayMaxMs)} ms (p99 ${formatMs(s.loopDelayP99Ms)} ms)${store}`;
}
