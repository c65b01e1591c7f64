import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
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
    await first.server.close(); // keep dataDir: the second server reuses it

    const second = await liveServer({ store: 'file', dataDir });
    try {
      const got = await second.sdk().getCheckoutSession(id);
      expect(got.data.statusDetails.state).toBe('Completed');
      expect(got.data.chargeId).toBe(completed.data.chargeId);
      const store = second.server.app.mock.store;
      expect(store.get<any>('AMZNPAYMOCKDEMO000000001', 'charges', completed.data.chargeId).charge.statusDetails.state).toBe('Authorized');
      await store.flush();
    } finally {
      await second.server.close();
    }
    // A stop writes no snapshot: the session is in the write-ahead log, one JSON line per commit.
    const logs = readdirSync(dataDir).filter((name) => /^db\.json\.\d+\.log$/.test(name));
    const lines = logs.flatMap((name) => readFileSync(path.join(dataDir, name), 'utf8').trim().split('\n'));
    expect(lines.every((line) => JSON.parse(line))).toBe(true);
    expect(lines.join('\n')).toContain(id);
  });
});
