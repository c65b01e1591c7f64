import { describe, expect, it } from 'vitest';
import { parseBenchArgs } from '../../scripts/bench/args.js';
import { baselinePayload } from '../../scripts/bench/baselinePayload.js';
import { chunk } from '../../scripts/bench/presign.js';
import { mockFlags, parseTargetArgv, targetArgv } from '../../scripts/bench/protocol.js';
import { loadConfig } from '../../server/config.js';
import { formatRedisReport } from '../../scripts/bench/redisBench.js';
import { formatStoredReport, stallLine, type PhaseResult, type StoredResult } from '../../scripts/bench/storedBench.js';
import {
  compareRounds,
  compareToBaseline,
  formatCount,
  formatErrors,
  formatMachine,
  formatMs,
  formatRatio,
  formatResultsTable,
  formatRoundsLine,
  formatServerLine,
  markdownTable,
  storeDelta,
  type TargetResult,
} from '../../scripts/bench/report.js';
import { completeBody, completePath, createBody, sessionIdsOf } from '../../scripts/bench/requests.js';
import { median, percentile, plannedRequests, summarize } from '../../scripts/bench/stats.js';
import { UsageError } from '../../scripts/lib/cli.js';

describe('percentile (nearest rank)', () => {
  const oneToHundred = Float64Array.from({ length: 100 }, (_, i) => i + 1);

  it('picks the smallest value with at least p% of the sample at or below it', () => {
    expect(percentile(oneToHundred, 50)).toBe(50);
    expect(percentile(oneToHundred, 99)).toBe(99);
    expect(percentile(oneToHundred, 100)).toBe(100);
    expect(percentile(oneToHundred, 1)).toBe(1);
    expect(percentile(oneToHundred, 0.5)).toBe(1);
  });

  it('rounds the rank up on small samples', () => {
    expect(percentile([10, 20, 30], 50)).toBe(20);
    expect(percentile([10, 20, 30, 40], 50)).toBe(20);
    expect(percentile([10, 20, 30, 40], 51)).toBe(30);
    expect(percentile([10, 20, 30, 40], 99)).toBe(40);
    expect(percentile([7], 99)).toBe(7);
  });

  it('is not thrown off by floating point (0.99 * 100 is 98.999…)', () => {
    expect(percentile(Float64Array.from({ length: 1000 }, (_, i) => i + 1), 99)).toBe(990);
  });

  it('is NaN for an empty sample and rejects p outside (0, 100]', () => {
    expect(percentile([], 50)).toBeNaN();
    expect(() => percentile([1], 0)).toThrow(RangeError);
    expect(() => percentile([1], 101)).toThrow(RangeError);
    expect(() => percentile([1], Number.NaN)).toThrow(RangeError);
  });
});

describe('summarize', () => {
  it('sorts the latencies itself and computes rate, p50, p99 and max', () => {
    const latencies = Array.from({ length: 200 }, (_, i) => 200 - i); // 200 .. 1, unsorted
    const s = summarize(latencies, 3, 2000);
    expect(s).toEqual({ requests: 200, errors: 3, elapsedMs: 2000, rps: 100, p50Ms: 100, p99Ms: 198, maxMs: 200 });
  });

  it('handles an empty phase without dividing by zero', () => {
    const s = summarize([], 0, 0);
    expect(s.requests).toBe(0);
    expect(s.rps).toBe(0);
    expect(s.p99Ms).toBeNaN();
  });

  it('refuses more errors than requests', () => {
    expect(() => summarize([1, 2], 3, 10)).toThrow(RangeError);
  });
});

describe('plannedRequests', () => {
  it('covers the duration with 40% headroom', () => {
    expect(plannedRequests(1000, 8, 20_000)).toBe(11_200);
    expect(plannedRequests(333, 3, 20_000)).toBe(Math.ceil(333 * 3 * 1.4));
  });

  it('stays within floor and cap', () => {
    expect(plannedRequests(5000, 8, 20_000)).toBe(20_000);
    expect(plannedRequests(1, 1, 20_000)).toBe(200);
    expect(plannedRequests(1, 1, 20_000, 50)).toBe(50);
  });

  it('falls back to the floor for an unusable rate, and rejects a cap below the floor', () => {
    expect(plannedRequests(0, 8, 20_000)).toBe(200);
    expect(plannedRequests(Number.NaN, 8, 20_000)).toBe(200);
    expect(() => plannedRequests(1000, 8, 100)).toThrow(RangeError);
  });
});

describe('parseBenchArgs', () => {
  it('defaults to 8 s, 32 connections, no JSON, and the stored-objects report at 1k, 100k and 1M', () => {
    expect(parseBenchArgs([])).toEqual({ durationSeconds: 8, connections: 32, json: false, help: false, stored: [1_000, 100_000, 1_000_000], storedOnly: false, mocks: ['native', 'memory', 'forge', 'redis'], rounds: 1 });
  });

  it('reads how many interleaved rounds of the main comparison to run', () => {
    expect(parseBenchArgs(['--rounds', '6']).rounds).toBe(6);
    expect(parseBenchArgs(['--rounds=1']).rounds).toBe(1);
  });

  it('reads which mocks to compare, and refuses an unknown one', () => {
    expect(parseBenchArgs(['--mocks', 'native,memory']).mocks).toEqual(['native', 'memory']);
    expect(parseBenchArgs(['--mocks', 'redis']).mocks).toEqual(['redis']);
    expect(() => parseBenchArgs(['--mocks', 'native,lowdb'])).toThrow(/unknown mock "lowdb"/);
  });

  it('reads the stored-object counts, or none', () => {
    expect(parseBenchArgs(['--stored', '10,2000', '--stored-only'])).toMatchObject({ stored: [10, 2000], storedOnly: true });
    expect(parseBenchArgs(['--stored', 'none']).stored).toEqual([]);
  });

  it('reads every option, in both --name value and --name=value forms', () => {
    expect(parseBenchArgs(['--duration', '2.5', '--connections=64', '--json'])).toMatchObject({ durationSeconds: 2.5, connections: 64, json: true, help: false });
    expect(parseBenchArgs(['-h']).help).toBe(true);
  });

  it.each([
    [['--duration', '0']],
    [['--duration', '-1']],
    [['--duration', 'ten']],
    [['--duration', '601']],
    [['--connections', '1.5']],
    [['--connections', '0']],
    [['--connections', '5000']],
    [['--unknown']],
    [['stray']],
    [['--duration']],
    [['--stored', '1.5']],
    [['--stored', '10000000']],
    [['--rounds', '0']],
    [['--rounds', '2.5']],
    [['--rounds', '21']],
    [['--rounds', 'six']],
  ])('rejects %j with a UsageError', (argv) => {
    expect(() => parseBenchArgs(argv)).toThrow(UsageError);
  });
});

function result(name: string, rps: number, p99Ms: number, extra: Partial<TargetResult> = {}): TargetResult {
  return {
    name,
    requests: Math.round(rps * 8),
    errors: 0,
    elapsedMs: 8000,
    rps,
    p50Ms: p99Ms / 4,
    p99Ms,
    maxMs: p99Ms * 2,
    serverCpuUsPerRequest: 1_000_000 / rps,
    serverLoopUsPerRequest: 600_000 / rps,
    statusCounts: { '200': Math.round(rps * 8) },
    firstError: null,
    endedBy: 'duration',
    ...extra,
  };
}

describe('compareToBaseline', () => {
  it('divides each other target by the baseline of the same run', () => {
    const results = [result('base', 20_000, 4), result('native', 5_000, 10), result('forge', 1_000, 80)];
    expect(compareToBaseline(results, 'base')).toEqual([
      { name: 'native', rpsRatio: 0.25, p99Ratio: 2.5 },
      { name: 'forge', rpsRatio: 0.05, p99Ratio: 20 },
    ]);
  });

  it('gives NaN instead of Infinity when the baseline has no throughput', () => {
    const [c] = compareToBaseline([result('base', 0, 0), result('x', 10, 1)], 'base');
    expect(c!.rpsRatio).toBeNaN();
    expect(c!.p99Ratio).toBeNaN();
  });

  it('fails loudly without the baseline', () => {
    expect(() => compareToBaseline([result('x', 1, 1)], 'base')).toThrow(/no result named base/);
  });
});

describe('compareRounds', () => {
  it('divides each round by its own baseline, never by another round\'s, and takes the median of the rounds', () => {
    const rounds = [
      [result('base', 40_000, 4), result('native', 8_000, 12), result('memory', 12_000, 8)],
      // A slow round: the machine was busy, the baseline too.
      [result('base', 20_000, 8), result('native', 5_000, 20), result('memory', 6_000, 16)],
      [result('base', 30_000, 5), result('native', 6_000, 15), result('memory', 9_000, 10)],
    ];
    const [native, memory] = compareRounds(rounds, 'base');
    expect(native!.name).toBe('native');
    expect(native!.rpsRatios).toEqual([0.2, 0.25, 0.2]);
    expect(native!.medianRpsRatio).toBe(0.2);
    expect(native!.p99Ratios).toEqual([3, 2.5, 3]);
    expect(native!.medianP99Ratio).toBe(3);
    // The slow round's own baseline makes it 0.3 like the others (against the first round's it would be 0.15).
    expect(memory!.rpsRatios).toEqual([0.3, 0.3, 0.3]);
    expect(memory!.medianRpsRatio).toBe(0.3);
  });

  it('takes the mean of the middle two for an even number of rounds', () => {
    const rounds = [1, 2, 3, 4].map((k) => [result('base', 10_000, 1), result('native', 1_000 * k, 1)]);
    expect(compareRounds(rounds, 'base')[0]!.medianRpsRatio).toBeCloseTo(0.25, 12);
  });

  it('fails loudly when a mock is missing from a round', () => {
    expect(() => compareRounds([[result('base', 1, 1), result('native', 1, 1)], [result('base', 1, 1)]], 'base')).toThrow(/native is missing/);
  });

  it('prints the median and every round\'s ratio in the order they ran', () => {
    const line = formatRoundsLine({ name: 'mock, native verify, file store', rpsRatios: [0.21, 0.25, 0.22], p99Ratios: [3.5, 3.1, 4], medianRpsRatio: 0.22, medianP99Ratio: 3.5 });
    expect(line).toBe("mock, native verify, file store: 0.22× the baseline's req/s, median of 3 interleaved rounds (0.21, 0.25, 0.22); p99 3.50× (3.50, 3.10, 4.00)");
  });

  it('names the reference it divides by, when that is not the baseline', () => {
    const line = formatRoundsLine({ name: 'mock, native verify, file store, get', rpsRatios: [1.1, 1.3], p99Ratios: [0.9, 1], medianRpsRatio: 1.2, medianP99Ratio: 0.95 }, "bare Fastify 5 + one RSA-PSS verify's");
    expect(line).toBe("mock, native verify, file store, get: 1.20× bare Fastify 5 + one RSA-PSS verify's req/s, median of 2 interleaved rounds (1.10, 1.30); p99 0.95× (0.90, 1.00)");
  });
});

describe('median', () => {
  it('is the middle value, the mean of the middle two for an even count, and NaN for nothing', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBeNaN();
  });

  it('does not reorder the sample it is given', () => {
    const sample = [3, 1, 2];
    median(sample);
    expect(sample).toEqual([3, 1, 2]);
  });
});

describe('number formatting', () => {
  it('formats ratios with two decimals from 1 up and two significant digits below', () => {
    expect(formatRatio(1)).toBe('1.00');
    expect(formatRatio(12.345)).toBe('12.35');
    expect(formatRatio(0.4812)).toBe('0.48');
    expect(formatRatio(0.05678)).toBe('0.057');
    expect(formatRatio(0.0001234)).toBe('0.00012');
    expect(formatRatio(0)).toBe('0');
    expect(formatRatio(Number.NaN)).toBe('n/a');
    expect(formatRatio(Number.POSITIVE_INFINITY)).toBe('n/a');
  });

  it('formats milliseconds by magnitude', () => {
    expect(formatMs(0.914)).toBe('0.91');
    expect(formatMs(12.54)).toBe('12.5');
    expect(formatMs(2400.4)).toBe('2400');
    expect(formatMs(Number.NaN)).toBe('n/a');
  });

  it('groups thousands regardless of locale', () => {
    expect(formatCount(0)).toBe('0');
    expect(formatCount(999)).toBe('999');
    expect(formatCount(1000)).toBe('1,000');
    expect(formatCount(243_039.6)).toBe('243,040');
    expect(formatCount(1_234_567)).toBe('1,234,567');
    expect(formatCount(Number.NaN)).toBe('n/a');
  });
});

describe('tables', () => {
  it('aligns columns, right-aligning the ones asked for', () => {
    expect(markdownTable([['name', 'n'], ['a', '1'], ['bbbbb', '1,000']], [false, true])).toBe(
      ['| name  |     n |', '|-------|------:|', '| a     |     1 |', '| bbbbb | 1,000 |'].join('\n'),
    );
  });

  it('puts the ratios to the baseline on every row and marks phases that ran out of requests', () => {
    const table = formatResultsTable([result('base', 20_000, 4), result('native', 5_000, 10, { endedBy: 'supply' })], 'base');
    const lines = table.split('\n');
    expect(lines).toHaveLength(4);
    expect(lines[0]).toMatch(/^\| target +\| +requests \|.*\| req\/s ÷ baseline \| p99 ÷ baseline \|$/);
    const cells = (line: string) => line.split('|').slice(1, -1).map((c) => c.trim());
    expect(cells(lines[2]!)).toEqual(['base', '160,000', '8.0', '20,000', '1.00', '4.00', '8.00', '0', '50', '30', '1', '1']);
    expect(cells(lines[3]!)).toEqual(['native *', '40,000', '8.0', '5,000', '2.50', '10.0', '20.0', '0', '200', '120', '0.25', '2.50']);
    // every line as wide as the header
    expect(new Set(lines.map((l) => l.length)).size).toBe(1);
  });

  it('says n/a for the event loop\'s share where the platform does not report it', () => {
    const table = formatResultsTable([result('base', 20_000, 4, { serverLoopUsPerRequest: null })], 'base');
    const cells = table.split('\n')[2]!.split('|').slice(1, -1).map((c) => c.trim());
    expect(cells[9]).toBe('n/a');
  });

  it('explains errors per target, and says nothing when there are none', () => {
    expect(formatErrors([result('base', 10, 1)])).toEqual([]);
    const bad = result('mock', 10, 1, { errors: 2, statusCounts: { '200': 78, '500': 1, ECONNRESET: 1 }, firstError: 'HTTP 500 for POST /x: boom' });
    expect(formatErrors([bad])).toEqual(['errors in mock: 2 of 80 (200×78, 500×1, ECONNRESET×1); first: HTTP 500 for POST /x: boom']);
  });
});

describe('machine line', () => {
  const machine = { cpus: 2, cpuModel: 'AMD EPYC', node: 'v20.20.2', platform: 'linux', arch: 'x64', loadAverage: 0.12 };

  it('names the machine and the load', () => {
    expect(formatMachine(machine, 32, 8)).toBe(
      'machine: 2 CPUs (AMD EPYC), node v20.20.2, linux/x64, load average 0.12 at start; load: 32 connections, 8 s per timed phase, client and servers on 127.0.0.1',
    );
  });

  it('warns when something else was already using the machine', () => {
    expect(formatMachine({ ...machine, loadAverage: 1.7 }, 32, 8)).toContain('load average 1.70 at start (the machine was busy');
  });
});

describe('server line', () => {
  it('shows only numeric store counters that moved during the phase', () => {
    expect(storeDelta({ batches: 10, entries: 100, compactions: 1, compactionError: null }, { batches: 15, entries: 180, compactions: 2, compactionError: null })).toEqual({
      batches: 5,
      entries: 80,
      compactions: 1,
    });
    expect(storeDelta(null, null)).toEqual({});
    expect(storeDelta(null, { batches: 3 })).toEqual({ batches: 3 });
  });

  it('reads as one sentence', () => {
    const line = formatServerLine('mock', { rssMb: 600, heapUsedMb: 400, loopDelayMaxMs: 2400.2, loopDelayP99Ms: 25.04, storeAtStart: { compactions: 1 }, storeAtEnd: { compactions: 2 } });
    expect(line).toBe('mock: server RSS 600 MB (heap 400 MB) after the phase; event loop blocked up to 2400 ms (p99 25.0 ms); store during the phase: compactions +1');
    expect(formatServerLine('base', { rssMb: 80, heapUsedMb: 20, loopDelayMaxMs: 11, loopDelayP99Ms: 10.5, storeAtStart: null, storeAtEnd: null })).not.toContain('store');
  });
});

describe('stored-objects report', () => {
  const phase = (rps: number, cpu = 100): PhaseResult => ({ rps, p99Ms: 5, cpuUsPerRequest: cpu, loopUsPerRequest: cpu / 2, errors: 0 });
  const size = (stored: number, complete: number, get: number, baseComplete: number, baseGet: number): StoredResult => ({
    stored,
    generateMs: 1,
    snapshotBytes: stored * 170,
    startMs: 200,
    firstAnswerMs: 210,
    memoryBytesPerObject: 320,
    diskBytesPerObject: 170,
    complete: phase(complete),
    get: phase(get),
    baseline: { complete: phase(baseComplete, 30), get: phase(baseGet, 20) },
    compaction: {
      ms: 500,
      loopDelayMaxMs: 7.25,
      records: stored,
      longestStall: { ms: 8.04, onCpuMs: 4.2, waitingForCpuMs: 2.5, stealMs: 0, minorFaults: 3, voluntarySwitches: 1, gc: { minor: 1.25 } },
      threads: { mainMs: 450, othersMs: [120, 40] },
    },
    closeMs: 15,
  });

  it('divides each size by the baseline measured next to it, and compares sizes by those ratios', () => {
    // The machine got slower between the two sizes: bare Fastify too lost a fifth of its rate.
    const report = formatStoredReport({ baselineStartMs: 190, emptyMockStartMs: 230, sizes: [size(1_000, 8_000, 16_000, 32_000, 40_000), size(1_000_000, 6_400, 12_000, 25_600, 32_000)] });
    const rows = report.split('\n').filter((line) => /^\| [\d,]+ \|/.test(line)).map((line) => line.split('|').slice(1, -1).map((c) => c.trim()));
    expect(rows.map((r) => [r[0], r[4], r[6], r[9]])).toEqual([
      ['1,000', '0.250', '0.400', '7.3'],
      ['1,000,000', '0.250', '0.375', '7.3'],
    ]);
    expect(report).toContain('1,000: 32000 POST/s (30 (15) µs CPU each), 40000 GET/s (20 (10) µs); 1,000,000: 25600 POST/s');
    expect(report).toContain('from 1,000 to 1,000,000 stored: complete ÷ baseline +0.0 %, get ÷ baseline -6.3 % (the rates alone: complete -20.0 %, get -25.0 %)');
  });

  it("says where each compaction's longest stall went: on a CPU, waiting for one, neither, and the collections in it", () => {
    const report = formatStoredReport({ baselineStartMs: 190, emptyMockStartMs: 230, sizes: [size(1_000, 8_000, 16_000, 32_000, 40_000)] });
    expect(report).toContain(
      '- 1,000: 8.0 ms: on a CPU 4.2, waiting for one 2.5, neither 1.3; V8 collections in it minor 1.3; host steal 0 ms over all CPUs; 3 page faults, 1 voluntary switches; over the whole compaction, CPU ms of the main thread 450, of the others 120, 40',
    );
    expect(stallLine({ ms: 12, onCpuMs: null, waitingForCpuMs: null, stealMs: null, minorFaults: null, voluntarySwitches: null, gc: {} })).toBe("12.0 ms (the kernel's account is not available here)");
  });
});

describe('requests and plumbing', () => {
  it('answers the baseline with about 1.2 KB of JSON', () => {
    const size = Buffer.byteLength(JSON.stringify(baselinePayload));
    expect(size).toBeGreaterThan(1100);
    expect(size).toBeLessThan(1300);
  });

  it('completes with the amount the created session asks for', () => {
    const created = JSON.parse(createBody);
    expect(JSON.parse(completeBody)).toEqual({ chargeAmount: created.paymentDetails.chargeAmount });
    expect(completePath('a b/c')).toBe('/v2/checkoutSessions/a%20b%2Fc/complete');
  });

  it('reads session ids from create answers, and fails on an answer without one', () => {
    expect(sessionIdsOf(['{"checkoutSessionId":"s1"}', '{"checkoutSessionId":"s2","x":1}'])).toEqual(['s1', 's2']);
    expect(() => sessionIdsOf(['{"reasonCode":"X"}'])).toThrow(/create #0: no checkoutSessionId/);
    expect(() => sessionIdsOf([undefined])).toThrow(/create #0/);
  });

  it('splits signing work into near-equal contiguous chunks', () => {
    expect(chunk([1, 2, 3, 4, 5], 2)).toEqual([[1, 2, 3], [4, 5]]);
    expect(chunk([1, 2], 8)).toEqual([[1], [2]]);
    expect(chunk([], 2)).toEqual([]);
    expect(chunk([1, 2, 3], 0)).toEqual([[1, 2, 3]]);
  });

  it('round-trips a target spec through argv', () => {
    for (const spec of [{ kind: 'baseline' } as const, { kind: 'verifying' } as const, { kind: 'default', dataDir: '/tmp/x' } as const, { kind: 'mock', verifier: 'forge', dataDir: '/tmp/x' } as const, { kind: 'mock', verifier: 'native', dataDir: '/tmp/x', store: 'memory' } as const, { kind: 'mock', verifier: 'native', dataDir: '/tmp/x', store: 'redis', redisUrl: 'redis://127.0.0.1:6390/0' } as const]) {
      expect(parseTargetArgv(targetArgv(spec))).toEqual(spec);
    }
    expect(() => parseTargetArgv(['mock', 'openssl', '/tmp/x'])).toThrow(/expected/);
    expect(() => parseTargetArgv(['mock', 'native', '/tmp/x', 'redis'])).toThrow(/expected/);
    expect(() => parseTargetArgv(['mock', 'native'])).toThrow(/expected/);
    expect(() => parseTargetArgv(['default'])).toThrow(/expected/);
    expect(() => parseTargetArgv(['verifying', '/tmp/x'])).toThrow(/expected/);
  });

  it('starts a default target with the configuration a plain start gets, only on free ports', () => {
    const config = loadConfig(mockFlags({ kind: 'default', dataDir: '/tmp/x' }), {});
    expect(config).toEqual({ ...loadConfig([], {}), dataDir: '/tmp/x', httpPort: 0, httpsPort: 0 });
  });

  it('starts a mock target through the command line with only the documented departures from the defaults', () => {
    const config = loadConfig(mockFlags({ kind: 'mock', verifier: 'forge', dataDir: '/tmp/x', store: 'memory' }), {});
    const departures = Object.fromEntries(Object.entries(config).filter(([key, value]) => JSON.stringify(value) !== JSON.stringify(loadConfig([], {})[key as keyof typeof config])));
    expect(departures).toEqual({ dataDir: '/tmp/x', httpPort: 0, https: false, verifier: 'forge', store: 'memory', logLevel: 'silent', scenariosDir: null, idempotencyKey: 'optional' });
    expect(loadConfig(mockFlags({ kind: 'mock', verifier: 'native', dataDir: '/tmp/x', store: 'redis', redisUrl: 'redis://127.0.0.1:6390/0' }), {})).toMatchObject({ store: 'redis', redisUrl: 'redis://127.0.0.1:6390/0' });
  });
});

describe('formatRedisReport', () => {
  const phase = (instances: number, rps: number) => ({ instances, rps, p99Ms: 12.34, p50Ms: 5, maxMs: 20, requests: 1000, errors: 0, elapsedMs: 1000, statusCounts: { '200': 1000 }, firstError: null });

  it('gives each Redis phase as a ratio to the baseline of the same run', () => {
    expect(formatRedisReport({ phases: [phase(1, 500), phase(2, 750)] }, { rps: 10_000, p99Ms: 3 })).toEqual([
      "mock on Redis, 1 instance: 500 completes/s, 0.050× the baseline's req/s; p99 12.3 ms (1000 requests)",
      "mock on Redis, 2 instances: 750 completes/s, 0.075× the baseline's req/s; p99 12.3 ms (1000 requests)",
    ]);
  });

  it('says why the phase was skipped', () => {
    expect(formatRedisReport({ skipped: 'redis-server is not installed' }, null)).toEqual(['Redis phase skipped: redis-server is not installed']);
  });
});

describe('mainThreadCpuUs', () => {
  it.runIf(process.platform === 'linux')('counts CPU spent on this thread and not CPU spent in the thread pool', async () => {
    const { mainThreadCpuUs } = await import('../../scripts/bench/mainThreadCpu.js');
    const { pbkdf2 } = await import('node:crypto');
    // Busy on this thread until its counter has moved 50 ms (wall time depends on the machine's load).
    const before = mainThreadCpuUs()!;
    const deadline = performance.now() + 10_000;
    while (mainThreadCpuUs()! - before < 50_000 && performance.now() < deadline);
    const afterBusy = mainThreadCpuUs()!;
    expect(afterBusy - before).toBeGreaterThanOrEqual(50_000);
    // Work in libuv's pool, awaited without spinning, until the process has spent 100 ms of CPU on
    // it: an amount, not a count of iterations, so a fast machine does the same test as a slow one.
    // The thread's counter moves in 10 ms ticks, so the loop's share is compared with room for that.
    const cpuBefore = process.cpuUsage();
    const poolDeadline = performance.now() + 10_000;
    let pooledUs = 0;
    while (pooledUs < 100_000 && performance.now() < poolDeadline) {
      await new Promise((resolve, reject) => pbkdf2('x', 'y', 20_000, 32, 'sha256', (err) => (err ? reject(err) : resolve(null))));
      const pooled = process.cpuUsage(cpuBefore);
      pooledUs = pooled.user + pooled.system;
    }
    const loopShare = mainThreadCpuUs()! - afterBusy;
    expect(pooledUs).toBeGreaterThanOrEqual(100_000);
    expect(loopShare).toBeLessThan(pooledUs / 2);
  });
});
