import { expect } from 'vitest';
import { liveServer } from '../helpers/runningServer.js';
import { readySessionBody } from '../helpers/testApp.js';
import { runFuzz, type FuzzReport } from './fuzzer.js';

const gc = (globalThis as { gc?: () => void }).gc;

function heapAfterGc(): number {
  gc?.();
  gc?.();
  return process.memoryUsage().heapUsed;
}

/**
 * Starts a real server (file store, HTTP on a free port), fuzzes it with `requests` requests,
 * and asserts the fuzz invariants plus memory back near its baseline once state is reset.
 */
export async function fuzzLiveServer(requests: number, seed: number): Promise<FuzzReport & { heapGrowthMb: number | null }> {
  const live = await liveServer({ store: 'file', logLevel: 'silent' });
  try {
    const origin = live.server.http!.url;
    const sdk = await live.admin('GET', '/__admin/health');
    expect(sdk.status).toBe(200);
    const created = await fetchSession(live);
    const baseline = heapAfterGc();
    const report = await runFuzz(origin, { requests, seed, concurrency: 8, sessionId: created });
    await live.admin('POST', '/__admin/reset');
    await live.admin('DELETE', '/__admin/requests');
    const heapGrowthMb = gc ? Math.round(((heapAfterGc() - baseline) / 2 ** 20) * 10) / 10 : null;
    return { ...report, heapGrowthMb };
  } finally {
    await live.close();
  }
}

async function fetchSession(live: Awaited<ReturnType<typeof liveServer>>): Promise<string> {
  const { signRequest } = await import('../../server/signing/signRequest.js');
  const { demoKeyIds, demoPrivateKey } = await import('../helpers/demoKeys.js');
  const body = JSON.stringify(readySessionBody());
  const url = `${live.server.http!.url}/v2/checkoutSessions`;
  const signed = signRequest({ method: 'POST', url, body, privateKey: demoPrivateKey, publicKeyId: demoKeyIds.sandbox, headers: { 'x-amz-pay-idempotency-key': 'fuzz-base' } });
  const res = await fetch(url, { method: 'POST', headers: signed.headers, body });
  const json = (await res.json()) as { checkoutSessionId: string };
  return json.checkoutSessionId;
}

/** The invariants every fuzz run must meet. */
export function expectClean(report: FuzzReport & { heapGrowthMb: number | null }, requests: number): void {
  expect(report.failures).toEqual([]);
  expect(report.requests).toBe(requests);
  expect(Object.keys(report.byStatus).filter((s) => Number(s) >= 500)).toEqual([]);
  if (report.heapGrowthMb !== null) expect(report.heapGrowthMb).toBeLessThan(64);
}
