import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { seededRandom } from '../../server/ids/random.js';
import { RandomIdGenerator } from '../../server/ids/randomIdGenerator.js';
import { IpnService } from '../../server/ipn/ipnService.js';
import type { RedisStore } from '../../server/store/redisStore.js';
import type { Put } from '../../server/store/store.js';
import { notify } from '../ipn/notify.js';
import { chargeRecord } from '../ipn/records.js';
import { closedPortUrl, startReceiver } from '../ipn/receiver.js';
import { describeSkippedWithoutRedis, hasRedis, isolatedRedisStore, redisForFile } from './redisTestServer.js';

/** The IPN outbox in Redis: what one instance caused, any instance delivers, each attempt once. */

const redis = redisForFile();
const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** Two instances' stores (connections, leases) on one Redis under one prefix. */
async function twoStores(): Promise<[RedisStore, RedisStore]> {
  const prefix = `test-${randomUUID()}:`;
  const stores = [isolatedRedisStore(redis.server().url, prefix), isolatedRedisStore(redis.server().url, prefix)] as [RedisStore, RedisStore];
  for (const store of stores) {
    await store.open();
    cleanups.push(() => store.close());
  }
  return stores;
}

function instance(store: RedisStore, url: string, seed: string): IpnService {
  const ipn = new IpnService({ store, runner: store.lease, ids: new RandomIdGenerator(seededRandom(seed)), publicUrl: () => 'http://127.0.0.1:9', defaultUrls: [url], retryDelaysMs: [300, 300], timeoutMs: 2000, pollMs: 20 });
  cleanups.push(() => ipn.close());
  return ipn;
}

const captured = (n: number): Put[] => Array.from({ length: n }, (_, i) => ({ collection: 'charges', id: `S01-1111111-2222222-C00000${i}`, value: chargeRecord(`S01-1111111-2222222-C00000${i}`, 'Captured') }));

if (!hasRedis) describeSkippedWithoutRedis('the IPN outbox on one Redis');
else
  describe('the IPN outbox on one Redis', () => {
    it('a delivery instance A caused while the receiver was down is delivered by instance B after A stops', async () => {
      const url = await closedPortUrl();
      const [storeA, storeB] = await twoStores();
      const a = instance(storeA, url, 'a');
      const b = instance(storeB, url, 'b');
      const [queued] = await notify(a, storeA, 'DEMO', { puts: captured(1), before: () => undefined });
      await vi.waitFor(async () => expect((await b.deliveries())[0]?.attempts).toHaveLength(1));
      a.close();
      await storeA.close(); // gives the lease up

      const receiver = await startReceiver(() => 200, Number(new URL(url).port));
      cleanups.push(() => receiver.close());
      await b.start();
      await vi.waitFor(async () => expect((await b.deliveries())[0]?.status).toBe('delivered'), { timeout: 10_000 });
      expect(receiver.received).toHaveLength(1);
      expect(receiver.received[0]!.headers['x-amz-sns-message-id']).toBe(queued!.envelope.MessageId);
      expect((await b.deliveries())[0]).toMatchObject({ id: queued!.id, attempts: [{ error: expect.stringMatching(/ECONNREFUSED/) }, { status: 200 }] });
    });

    it('with two instances running and both looking for due deliveries, each notification reaches the receiver exactly once', async () => {
      const receiver = await startReceiver(() => 200);
      cleanups.push(() => receiver.close());
      const [storeA, storeB] = await twoStores();
      const a = instance(storeA, receiver.url, 'a');
      const b = instance(storeB, receiver.url, 'b');
      await Promise.all([a.start(), b.start()]);
      const queued = await notify(a, storeA, 'DEMO', { puts: captured(8), before: () => undefined });
      expect(queued).toHaveLength(8);
      // Both make every due attempt they see while flushing, so both race for each one.
      await Promise.all([a.flush(), b.flush()]);
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(receiver.received).toHaveLength(8);
      expect(new Set(receiver.received.map((r) => r.headers['x-amz-sns-message-id'])).size).toBe(8);
      const listed = await b.deliveries();
      expect(listed.map((d) => d.status)).toEqual(Array(8).fill('delivered'));
      expect(listed.every((d) => d.attempts.length === 1)).toBe(true);
    });

    it('clearing through one instance clears the outbox for both', async () => {
      const url = await closedPortUrl();
      const [storeA, storeB] = await twoStores();
      const a = instance(storeA, url, 'a');
      const b = instance(storeB, url, 'b');
      await notify(a, storeA, 'DEMO', { puts: captured(2), before: () => undefined });
      expect(await a.deliveries()).toHaveLength(2);
      expect(await b.clearDeliveries('DEMO')).toBe(2);
      expect(await a.deliveries()).toEqual([]);
    });
  });
