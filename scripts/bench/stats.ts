/**
 * The p-th percentile (0 < p <= 100) of ascending `sorted` by the nearest-rank method: the smallest
 * value such that at least p% of the sample is at or below it. NaN for an empty sample.
 */
export function percentile(sorted: ArrayLike<number>, p: number): number {
  if (!(p > 0 && p <= 100)) throw new RangeError(`percentile: p must be in (0, 100], got ${p}`);
  const n = sorted.length;
  if (n === 0) return NaN;
  const rank = Math.ceil((p / 100) * n - 1e-9); // 1e-9: 0.99 * 100 is 98.99999999999999 in floating point
  return sorted[Math.min(Math.max(rank, 1), n) - 1]!;
}

/** The median of a sample (the mean of the middle two for an even count); NaN for an empty one. */
export function median(values: readonly number[]): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Latencies (ms) sorted ascending, as a new array. */
export function sortedLatencies(latencies: ArrayLike<number>): Float64Array {
  return Float64Array.from(latencies).sort();
}

/** One timed phase, reduced to the numbers the report shows. */
export interface PhaseSummary {
  requests: number;
  errors: number;
  elapsedMs: number;
  /** Completed requests (errors included) per second of the phase. */
  rps: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
}

/** Summarizes one phase: `latencies` holds one entry per completed request (any status), in ms. */
export function summarize(latencies: ArrayLike<number>, errors: number, elapsedMs: number): PhaseSummary {
  if (errors < 0 || errors > latencies.length) throw new RangeError(`summarize: ${errors} errors out of ${latencies.length} requests`);
  const sorted = sortedLatencies(latencies);
  const n = sorted.length;
  return {
    requests: n,
    errors,
    elapsedMs,
    rps: elapsedMs > 0 ? (n * 1000) / elapsedMs : 0,
    p50Ms: percentile(sorted, 50),
    p99Ms: percentile(sorted, 99),
    maxMs: n === 0 ? NaN : sorted[n - 1]!,
  };
}

/**
 * How many requests to prepare for a phase of `durationSeconds` at `rate` req/s: 40% headroom (a
 * short calibration underrates a server still warming up) so the deadline, not the supply, usually
 * ends the phase; at least `floor`, at most `cap` (pre-signing costs client CPU, so the cap keeps it
 * bounded and the phase may then end early).
 */
export function plannedRequests(rate: number, durationSeconds: number, cap: number, floor = 200): number {
  if (!(cap >= floor)) throw new RangeError(`plannedRequests: cap ${cap} is below floor ${floor}`);
  if (!Number.isFinite(rate) || rate <= 0) return floor;
  return Math.min(cap, Math.max(floor, Math.ceil(rate * durationSeconds * 1.4)));
}
