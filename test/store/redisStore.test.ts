import { randomUUID } from 'node:crypto';
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { RedisJournal } from '../../server/journal/redisJournal.js';
import { StoreOpenError, StoreUnavailableError } from '../../server/store/errors.js';
import { RedisLease } from '../../server/store/redisLease.js';
import { RedisStore, REDIS_DATA_VERSION } from '../../server/store/redisStore.js';
import type { JournalEntry } from '../../server/journal/journal.js';
import { describeSkippedWithoutRedis, hasRedis, redisForFile } from './redisTestServer.js';

/** What the contract suite cannot say about the Redis store: several connections at once, start-up checks, outages, sweeps. */

const redis = redisForFile();
const open: RedisStore[] = [];

async function opened(options: { prefix?: string; now?: () => number; retentionMs?: number } = {}): Promise<RedisStore> {
  const store = new RedisStore({ url: redis.server().url, prefix: options.prefix ?? `t-${randomUUID()}:`, now: options.now, retentionMs: options.retentionMs });
  open.push(store);
  await store.open();
  return store;
}

afterEach(async () => {
  await Promise.all(open.splice(0).map((s) => s.close()));
});

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

function entry(merchant: string | null, operation: string, time = new Date().toISOString()): Omit<JournalEntry, 'id'> {
  return { time, merchant, publicKeyId: null, operation, method: 'GET', path: '/v2/x', status: 200, durationMs: 1, reasonCode: null, scenario: null, replayed: false, objectIds: [], request: { headers: {}, body: null }, response: { body: null }, proxy: null, signature: null };
}

if (!hasRedis) describeSkippedWithoutRedis('RedisStore');
else
  describe('RedisStore', () => {
    describe('start-up', () => {
      it('refuses to open when Redis is unreachable, naming the URL (without its password) and what to do', async () => {
        const port = await freePort();
        const store = new RedisStore({ url: `redis://user:secret@127.0.0.1:${port}/0` });
        const failure = await store.open().catch((err: unknown) => err);
        expect(failure).toBeInstanceOf(StoreOpenError);
        expect((failure as Error).message).toMatch(new RegExp(`^cannot reach Redis at redis://user:\\*\\*\\*@127\\.0\\.0\\.1:${port}/0 \\(.*ECONNREFUSED.*\\); start Redis or fix --redis-url$`));
        expect((failure as Error).message).not.toContain('secret');
        await store.close();
      });

      it('refuses to open on data of another layout version, and leaves that data alone', async () => {
        const prefix = `t-${randomUUID()}:`;
        const first = await opened({ prefix });
        await first.client.set(`${prefix}version`, '999');
        const store = new RedisStore({ url: redis.server().url, prefix });
        const failure = await store.open().catch((err: unknown) => err);
        expect(failure).toBeInstanceOf(StoreOpenError);
        expect((failure as Error).message).toContain(`holds amazon-pay-mock data of layout version "999"`);
        expect((failure as Error).message).toContain(`this version reads only ${REDIS_DATA_VERSION}`);
        expect((failure as Error).message).toContain('FLUSHDB');
        expect(await first.client.get(`${prefix}version`)).toBe('999');
        await store.close();
      });

      it('marks an empty database with its layout version, and opens again on it', async () => {
        const prefix = `t-${randomUUID()}:`;
        const store = await opened({ prefix });
        expect(await store.client.get(`${prefix}version`)).toBe(REDIS_DATA_VERSION);
        await opened({ prefix });
      });
    });

    describe('transactions across connections', () => {
      it('never loses an update when two connections read-modify-write one record at once', async () => {
        const prefix = `t-${randomUUID()}:`;
        const [one, two] = [await opened({ prefix }), await opened({ prefix })];
        const increment = (store: RedisStore) =>
          store.transact('m1', (view) => {
            const n = view.get<{ n: number }>('settings', 'counter')?.n ?? 0;
            return { puts: [{ collection: 'settings', id: 'counter', value: { n: n + 1 } }], result: n };
          });
        const seen = await Promise.all(Array.from({ length: 60 }, (_, i) => increment(i % 2 ? one : two)));
        expect(await one.read('m1', 'settings', 'counter')).toEqual({ n: 60 });
        expect(new Set(seen).size).toBe(60);
      });

      it('runs a transaction again when a record is added to a collection it listed', async () => {
        const prefix = `t-${randomUUID()}:`;
        const [one, two] = [await opened({ prefix }), await opened({ prefix })];
        let runs = 0;
        const total = await one.transact('m1', (view) => {
          runs++;
          const charges = view.list<{ amount: number }>('charges');
          return { puts: [{ collection: 'settings', id: 'total', value: charges.length }], result: charges.reduce((sum, c) => sum + c.amount, 0) };
        });
        expect(total).toBe(0);
        let added = false;
        const after = await one.transact('m1', (view) => {
          runs++;
          const charges = view.list<{ amount: number }>('charges');
          // Between this run's fetch and its commit another process adds a charge: the commit must not go through.
          if (charges.length === 0 && !added) {
            added = true;
            void two.transact('m1', () => ({ puts: [{ collection: 'charges', id: 'C1', value: { amount: 5 } }], result: null }));
          }
          return { puts: [{ collection: 'settings', id: 'total', value: charges.length }], result: charges.length };
        });
        await two.flush();
        expect(await one.read('m1', 'settings', 'total')).toBe(after);
        expect(await one.readAll('m1', 'charges')).toHaveLength(after);
        expect(runs).toBeGreaterThanOrEqual(3);
      });

      it.each(['answer', 'refusal'] as const)('decides (%s) on one moment\'s state, though its reads took two round trips', async (kind) => {
        const store = await opened();
        const put = (v: number) => store.transact('m1', () => ({ puts: [{ collection: 'charges', id: 'A', value: { v, next: 'B' } }, { collection: 'charges', id: 'B', value: { v } }], result: null }));
        await put(1);
        let changed: Promise<unknown> | null = null;
        const decided = store
          .transact('m1', (view) => {
            const a = view.get<{ v: number; next: string }>('charges', 'A');
            if (!a) return { puts: [], result: null };
            // Between the fetch of A and the fetch of B (B is fetched once this run returns), both change.
            // Sent on the same connection, so Redis applies the change before it answers the fetch of B.
            if (!changed) changed = put(2);
            const b = view.get<{ v: number }>('charges', a.next);
            if (!b) return { puts: [], result: null };
            if (kind === 'refusal' && a.v !== b.v) throw new Error(`decided on A v${a.v} with B v${b.v}`);
            return { puts: [], result: [a.v, b.v] };
          })
          .catch((err: Error) => err.message);
        await changed;
        expect(await decided).toEqual([2, 2]);
      });
    });

    describe('a reset that keeps records', () => {
      const keep = [
        { ns: 'server', collection: 'publicKeys' as const },
        { ns: 'server', collection: 'settings' as const, id: 'signing' },
      ];

      it('keeps a key another instance registered just before it or while it ran', async () => {
        const prefix = `t-${randomUUID()}:`;
        const [one, two] = [await opened({ prefix }), await opened({ prefix })];
        const register = (id: string) => two.transact('server', () => ({ puts: [{ collection: 'publicKeys', id, value: { id } }], result: null }));
        await register('before');
        await Promise.all([register('meanwhile'), one.reset(undefined, keep)]);
        expect(await one.readAll('server', 'publicKeys')).toEqual([{ id: 'before' }, { id: 'meanwhile' }]);
      });

      it('fails a transaction that read a cleared record before it, and lets one that read only kept records commit', async () => {
        const store = await opened();
        await store.transact('server', () => ({
          puts: [
            { collection: 'publicKeys', id: 'K1', value: { k: 1 } },
            { collection: 'settings', id: 'rules', value: { r: 1 } },
          ],
          result: null,
        }));
        // The reset goes out on the same connection as the commit and before it, so Redis applies it between the fetch and the commit.
        const resetWhileCommitting = async (collection: 'settings' | 'publicKeys', id: string, field: string, writeId: string) => {
          let reset: Promise<void> | null = null;
          let runs = 0;
          const seen = await store.transact('server', (view) => {
            runs++;
            const value = view.get<Record<string, number>>(collection, id)?.[field] ?? null;
            if (value !== null) reset ??= store.reset(undefined, keep);
            return { puts: [{ collection: 'settings', id: writeId, value: { from: value } }], result: value };
          });
          await reset;
          return { seen, runs };
        };
        // Run 1 asked for the rule, run 2 saw it and lost its commit to the reset, run 3 saw it gone.
        expect(await resetWhileCommitting('settings', 'rules', 'r', 'derived')).toEqual({ seen: null, runs: 3 });
        // Run 1 asked for the key, run 2 saw it and committed: the reset left the key and its version alone.
        expect(await resetWhileCommitting('publicKeys', 'K1', 'k', 'signing')).toEqual({ seen: 1, runs: 2 });
        expect(await store.read('server', 'settings', 'signing')).toEqual({ from: 1 });
        expect(await store.read('server', 'settings', 'derived')).toBeUndefined();
      });
    });

    describe('a lost connection', () => {
      it('answers StoreUnavailableError at once while Redis is down, reports degraded, and recovers by itself', async () => {
        const server = redis.server();
        const store = await opened();
        await store.transact('m1', () => ({ puts: [{ collection: 'charges', id: 'C1', value: { n: 1 } }], result: null }));
        await server.stop();
        try {
          await expect.poll(() => store.status().status).toBe('degraded');
          expect(store.status().error).toMatch(/^Redis at redis:\/\/127\.0\.0\.1:\d+\/0 is \w+/);
          // Rejected while Redis is still down: nothing waits for the reconnection (it would hang here until the restart below).
          await expect(store.read('m1', 'charges', 'C1')).rejects.toBeInstanceOf(StoreUnavailableError);
          await expect(store.transact('m1', () => ({ puts: [{ collection: 'charges', id: 'C2', value: {} }], result: null }))).rejects.toBeInstanceOf(StoreUnavailableError);
        } finally {
          await server.start();
        }
        await expect.poll(() => store.status().status, { timeout: 5000 }).toBe('ok');
        // Not durable (this server keeps nothing across a restart): the store works again, on whatever Redis holds.
        await store.transact('m1', () => ({ puts: [{ collection: 'charges', id: 'C3', value: { n: 3 } }], result: null }));
        expect(await store.read('m1', 'charges', 'C3')).toEqual({ n: 3 });
      });
    });

    describe('retention', () => {
      it('removes records unchanged for the retention period and their schedules, and keeps the rest', async () => {
        let now = Date.parse('2026-01-01T00:00:00Z');
        const store = await opened({ now: () => now });
        await store.transact('m1', () => ({ puts: [{ collection: 'charges', id: 'old', value: {}, dueAt: 5 }, { collection: 'charges', id: 'touched', value: { v: 1 } }], result: null }));
        now += 10 * 86_400_000;
        await store.transact('m1', () => ({ puts: [{ collection: 'charges', id: 'touched', value: { v: 2 } }, { collection: 'refunds', id: 'new', value: {} }], result: null }));
        now += 1;
        expect(await store.sweepRetention(5 * 86_400_000)).toBe(1);
        expect(await store.readAll('m1', 'charges')).toEqual([{ v: 2 }]);
        expect(await store.read('m1', 'refunds', 'new')).toEqual({});
        expect(await store.due(10)).toEqual([]);
        expect(await store.sweepRetention(5 * 86_400_000)).toBe(0);
      });
    });

    describe('retention and configuration', () => {
      it('never removes settings or registered keys, and lets go of those an older version put in the retention index', async () => {
        let now = Date.parse('2026-01-01T00:00:00Z');
        const prefix = `t-${randomUUID()}:`;
        const store = await opened({ prefix, now: () => now });
        await store.transact('m1', () => ({
          puts: [
            { collection: 'settings', id: 'clock', value: { frozen: true } },
            { collection: 'publicKeys', id: 'KEY1', value: { pem: 'x' } },
            { collection: 'charges', id: 'old', value: {} },
          ],
          result: null,
        }));
        // What a version before this rule left: configuration in the retention index.
        const { Redis } = await import('ioredis');
        const raw = new Redis(redis.server().url);
        try {
          await raw.zadd(`${prefix}changed`, now, 'm1\0settings\0legacy');
          await raw.hset(`${prefix}r:m1:settings`, 'legacy', '{"kept":true}');
          now += 400 * 86_400_000;
          expect(await store.sweepRetention(86_400_000)).toBe(1);
          expect(await store.read('m1', 'charges', 'old')).toBeUndefined();
          expect(await store.read('m1', 'settings', 'clock')).toEqual({ frozen: true });
          expect(await store.read('m1', 'publicKeys', 'KEY1')).toEqual({ pem: 'x' });
          expect(await store.read('m1', 'settings', 'legacy')).toEqual({ kept: true });
          expect(await raw.zcard(`${prefix}changed`)).toBe(0);
        } finally {
          raw.disconnect();
        }
      });
    });

    describe('the sweep lease', () => {
      /** Two processes' leases on one key of a fresh store. */
      const twoLeases = async (ttlMs: number) => {
        const store = await opened();
        const key = `${store.prefix}lease:test`;
        return [new RedisLease(store.client, key, { ttlMs }), new RedisLease(store.client, key, { ttlMs })] as const;
      };

      it('is held by one holder at a time, and passes on when the holder gives it up', async () => {
        const [one, two] = await twoLeases(2000);
        expect(await one.renew()).toBe(true);
        expect(await two.renew()).toBe(false);
        expect(await one.renew()).toBe(true);
        expect([one.held, two.held]).toEqual([true, false]);
        await one.stop();
        expect(one.held).toBe(false);
        expect(await two.renew()).toBe(true);
        await two.stop();
      });

      it('passes on when the holder stops renewing (a process that died)', async () => {
        const [dead, alive] = await twoLeases(150);
        expect(await dead.renew()).toBe(true);
        expect(await alive.renew()).toBe(false);
        await expect.poll(() => alive.renew(), { interval: 50, timeout: 2000 }).toBe(true);
        expect(dead.held).toBe(false);
      });
    });

    describe('the shared journal', () => {
      it('keeps each merchant\'s last N calls from every process, newest first, and clears or trims them', async () => {
        const store = await opened();
        const [one, two] = [new RedisJournal(store.client, store.prefix, 3), new RedisJournal(store.client, store.prefix, 3)];
        for (let i = 1; i <= 4; i++) (i % 2 ? one : two).record(entry('m1', `op${i}`));
        one.record(entry('m2', 'other', '2020-01-01T00:00:00.000Z'));
        two.record(entry(null, 'unsigned'));
        const m1 = await two.query({ merchant: 'm1' });
        expect(m1.map((e) => e.operation)).toEqual(['op4', 'op3', 'op2']);
        expect(m1[0]!.id).toBeGreaterThan(m1[1]!.id);
        expect((await one.query()).map((e) => e.operation)).toEqual(['unsigned', 'other', 'op4', 'op3', 'op2']);
        expect((await one.query({ operation: 'op3' })).map((e) => e.operation)).toEqual(['op3']);
        expect((await two.merchants()).sort()).toEqual(['m1', 'm2']);
        expect(await one.clear('m2')).toBe(1);
        expect(await two.merchants()).toEqual(['m1']);
        expect((await two.query()).map((e) => e.operation)).toEqual(['unsigned', 'op4', 'op3', 'op2']);
        expect(await two.clear()).toBe(4);
        expect(await one.query()).toEqual([]);
      });

      it('drops entries older than the retention cutoff', async () => {
        const store = await opened();
        const journal = new RedisJournal(store.client, store.prefix, 10);
        journal.record(entry('m1', 'first'));
        await journal.query();
        expect(await journal.dropBefore(Date.now() - 60_000)).toBe(0);
        expect(await journal.dropBefore(Date.now() + 60_000)).toBe(1);
        expect(await journal.query()).toEqual([]);
      });
    });
  });
