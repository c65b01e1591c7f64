import { it } from 'vitest';
import { expectClean, fuzzLiveServer } from './fuzzSuite.js';

// `npm run fuzz`: FUZZ_REQUESTS (default 20,000) requests, seed FUZZ_SEED (default 1).
const requests = Number(process.env.FUZZ_REQUESTS ?? 20_000);
const seed = Number(process.env.FUZZ_SEED ?? 1);

it(`answers ${requests} fuzzed requests cleanly and gives memory back`, async () => {
  const report = await fuzzLiveServer(requests, seed);
  console.log(JSON.stringify({ fuzz: { requests: report.requests, seed, durationMs: report.durationMs, byStatus: report.byStatus, byKind: report.byKind, slowestMs: Math.round(report.slowest), heapGrowthMb: report.heapGrowthMb } }));
  expectClean(report, requests);
}, 3_600_000);
