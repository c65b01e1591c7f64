import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { EmbeddedStore, FileStore } from '../../server/store/index.js';
import { liveServer } from '../helpers/runningServer.js';
import { readySessionBody } from '../helpers/testApp.js';

const dataDir = mkdtempSync(path.join(os.tmpdir(), 'apm-restart-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe('state survives a restart', () => {
  it('reads back a completed session, its permission and charge after stopping and starting on the same data file', async () => {
    const first = await liveServer({ store: 'file', dataDir });
    const client = first.sdk();
    const id = (await client.createCheckoutSession(readySessionBody(), { 'x-amz-pay-idempotency-key': 'restart-1' })).data.checkoutSessionId;
    const completed = await client.completeCheckoutSession(id, { chargeAmount: { amount: '50.00', currencyCode: 'USD' } });
    expect(completed.status).toBe(200);
    const before = await client.getCheckoutSession(id);
    await first.server.close(); // keep dataDir: the second server reuses it

    const second = await liveServer({ store: 'file', dataDir });
    try {
      const got = await second.sdk().getCheckoutSession(id);
      expect(got.data.statusDetails.state).toBe('Completed');
      expect(got.data.chargeId).toBe(completed.data.chargeId);
      // Rebuilt from the patch the complete logged: the same answer, field order included.
      expect(JSON.stringify(got.data)).toBe(JSON.stringify(before.data));
      const store = second.server.app.mock.store;
      expect((await store.read<any>('AMZNPAYMOCKDEMO000000001', 'charges', completed.data.chargeId)).charge.statusDetails.state).toBe('Authorized');
      await store.flush();
    } finally {
      await second.server.close();
    }
    // A stop writes no snapshot: the session is in the write-ahead log, one JSON line per commit.
    const logs = readdirSync(dataDir).filter((name) => /^db\.json\.\d+\.log$/.test(name));
    const lines = logs.flatMap((name) => readFileSync(path.join(dataDir, name), 'utf8').trim().split('\n'));
    expect(lines.every((line) => JSON.parse(line))).toBe(true);
    expect(lines.join('\n')).toContain(id);
    const sessionPuts = lines.flatMap((line) => (JSON.parse(line) as { puts?: { collection: string; id: string; patch?: unknown }[] }).puts ?? []).filter((p) => p.collection === 'checkoutSessions' && p.id === id);
    expect(sessionPuts.some((p) => p.patch !== undefined)).toBe(true);
  });
});

describe('reads write nothing', () => {
  it('GETs and a replayed POST append nothing to the file store log and wait for no fsync', async () => {
    const live = await liveServer({ store: 'file' });
    try {
      const client = live.sdk();
      const body = readySessionBody();
      const id = (await client.createCheckoutSession(body, { 'x-amz-pay-idempotency-key': 'reads-1' })).data.checkoutSessionId;
      const store = live.server.app.mock.store;
      const engine = (store as unknown as { inner: EmbeddedStore }).inner.engine as FileStore;
      await store.flush();
      const before = engine.stats();
      const logBefore = logBytes(live.dataDir);
      for (let i = 0; i < 3; i++) expect((await client.getCheckoutSession(id)).status).toBe(200);
      const replayed = await client.createCheckoutSession(body, { 'x-amz-pay-idempotency-key': 'reads-1' });
      expect(replayed.data.checkoutSessionId).toBe(id);
      await store.flush();
      expect(engine.stats()).toMatchObject({ batches: before.batches, entries: before.entries });
      expect(logBytes(live.dataDir)).toBe(logBefore);
    } finally {
      await live.server.close();
      rmSync(live.dataDir, { recursive: true, force: true });
    }
  });
});

/** Total size of the write-ahead log files in a data directory. */
function logBytes(dir: string): number {
  return readdirSync(dir)
    .filter((name) => name.endsWith('.log'))
    .reduce((sum, name) => sum + statSync(path.join(dir, name)).size, 0);
}
