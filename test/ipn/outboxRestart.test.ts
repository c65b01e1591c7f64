import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { seededRandom } from '../../server/ids/random.js';
import { RandomIdGenerator } from '../../server/ids/randomIdGenerator.js';
import { IpnService } from '../../server/ipn/ipnService.js';
import { createStore } from '../../server/store/createStore.js';
import type { Store } from '../../server/store/store.js';
import { tempDirs } from '../store/tempDir.js';
import { notify } from './notify.js';
import { chargeRecord } from './records.js';
import { closedPortUrl, startReceiver } from './receiver.js';

const CH = 'S01-1111111-2222222-C000001';
const dirs = tempDirs();
const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
  await dirs.cleanup();
});

async function openFileStore(file: string): Promise<Store> {
  const store = createStore('file', file);
  await store.open();
  cleanups.push(() => store.close());
  return store;
}

function service(store: Store, url: string): IpnService {
  const ipn = new IpnService({ store, ids: new RandomIdGenerator(seededRandom('restart')), publicUrl: () => 'http://127.0.0.1:9', defaultUrls: [url], retryDelaysMs: [300, 300], timeoutMs: 2000, pollMs: 50 });
  cleanups.push(() => ipn.close());
  return ipn;
}

describe('IPN outbox on the file store', () => {
  it('a delivery pending when the process stops (receiver down) is delivered after a restart, once the receiver is up', async () => {
    const file = path.join(await dirs.make(), 'db.json');
    const url = await closedPortUrl();
    const before = await openFileStore(file);
    const first = service(before, url);
    const [queued] = await notify(first, before, 'DEMO', { puts: [{ collection: 'charges', id: CH, value: chargeRecord(CH, 'Captured') }], before: () => undefined });
    await vi.waitFor(async () => expect((await first.deliveries())[0]?.attempts).toHaveLength(1));
    first.close();
    await before.close();

    const port = Number(new URL(url).port);
    const receiver = await startReceiver(() => 200, port);
    cleanups.push(() => receiver.close());
    const after = await openFileStore(file);
    const [left] = await service(after, url).deliveries();
    expect(left).toMatchObject({ id: queued!.id, status: 'pending', attempts: [{ error: expect.stringMatching(/ECONNREFUSED/) }] });
    const second = service(after, url);
    await second.start();
    await vi.waitFor(async () => expect((await second.deliveries())[0]?.status).toBe('delivered'), { timeout: 5000 });
    expect(receiver.received).toHaveLength(1);
    expect(receiver.received[0]!.headers['x-amz-sns-message-id']).toBe(queued!.envelope.MessageId);
    expect((await second.deliveries())[0]!.attempts.map((a) => a.status ?? 'error')).toEqual(['error', 200]);
  });
});
