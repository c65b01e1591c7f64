import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import { RedisStore, REDIS_DATA_VERSION } from '../../server/store/redisStore.js';
import type { DueRecord, Put } from '../../server/store/store.js';
import { describeSkippedWithoutRedis, hasRedis, redisForFile } from './redisTestServer.js';

/**
 * The Redis store's schedule per namespace (`due:<ns>`, see the layout in server/store/redisScripts.ts):
 * the check before each call reads only the caller's, every script that writes the shared schedule
 * writes it too, and data written before it existed gets it on open.
 */

const redis = redisForFile();
const open: RedisStore[] = [];
const raws: Redis[] = [];

async function opened(prefix: string, now?: () => number): Promise<RedisStore> {
  const store = new RedisStore({ url: redis.server().url, prefix, now });
  open.push(store);
  await store.open();
  return store;
}

/** A plain connection, to look at (or write) keys the way the store lays them out. */
async function rawClient(): Promise<Redis> {
  const { Redis: Client } = await import('ioredis');
  const raw = new Client(redis.server().url);
  raws.push(raw);
  return raw;
}

afterEach(async () => {
  await Promise.all(open.splice(0).map((s) => s.close()));
  for (const raw of raws.splice(0)) raw.disconnect();
});

/** Every key under the prefix whose name starts with `due:`: one per namespace with something scheduled. */
async function perNamespaceKeys(raw: Redis, prefix: string): Promise<string[]> {
  const keys: string[] = [];
  let cursor = '0';
  do {
    const [next, found] = await raw.scan(cursor, 'MATCH', `${prefix}due:*`, 'COUNT', 1000);
    keys.push(...found);
    cursor = next;
  } while (cursor !== '0');
  return keys.sort();
}

/** Asserts that each namespace's sorted set holds exactly its members (and scores) of the shared one, and that no other such set exists. */
async function expectInStep(raw: Redis, prefix: string): Promise<void> {
  const shared = await raw.zrange(`${prefix}due`, '0', '-1', 'WITHSCORES');
  const expected = new Map<string, string[]>();
  for (let i = 0; i < shared.length; i += 2) {
    const ns = shared[i]!.split('\0')[0]!;
    expected.set(ns, [...(expected.get(ns) ?? []), shared[i]!, shared[i + 1]!]);
  }
  expect(await perNamespaceKeys(raw, prefix)).toEqual([...expected.keys()].map((ns) => `${prefix}due:${ns}`).sort());
  for (const [ns, members] of expected) expect(await raw.zrange(`${prefix}due:${ns}`, '0', '-1', 'WITHSCORES')).toEqual(members);
}

const ids = (records: DueRecord[]) => records.map((r) => `${r.ns}/${r.collection}/${r.id}@${r.dueAt}`);

async function put(store: RedisStore, ns: string, puts: Put[]): Promise<void> {
  await store.transact(ns, () => ({ puts, result: null }));
}

if (!hasRedis) describeSkippedWithoutRedis('RedisStore: a schedule per namespace');
else
  describe('RedisStore: a schedule per namespace', () => {
    it("answers due(now, ns) from the namespace's own schedule, without reading another's due earlier", async () => {
      const prefix = `t-${randomUUID()}:`;
      const store = await opened(prefix);
      const raw = await rawClient();
      const others: Put[] = Array.from({ length: 3000 }, (_, i) => ({ collection: 'charges', id: `S01-0000000-0000000-C${String(i).padStart(6, '0')}`, value: { i }, dueAt: 1000 + i }));
      await put(store, 'nsB', others);
      await put(store, 'nsA', [
        { collection: 'charges', id: 'a1', value: {}, dueAt: 5000 },
        { collection: 'refunds', id: 'a2', value: {}, dueAt: 9000 },
        { collection: 'charges', id: 'later', value: {}, dueAt: 2_000_000 },
      ]);
      // What the call costs the connection: the reply Redis writes (nsB's 3000 due records were ~150 KB of it).
      const outBytes = async () => Number(/total_net_output_bytes:(\d+)/.exec(await raw.info('stats'))?.[1]);
      const before = await outBytes();
      const mine = await store.due(1_000_000, 'nsA');
      const read = (await outBytes()) - before;
      expect(ids(mine)).toEqual(['nsA/charges/a1@5000', 'nsA/refunds/a2@9000']);
      expect(read).toBeLessThan(10_000);
      expect(await store.nextDue('nsA')).toBe(5000);
      expect(await raw.zcard(`${prefix}due:nsA`)).toBe(3);
      // The settler's view of every namespace is still the shared schedule.
      expect(await store.nextDue()).toBe(1000);
      expect((await store.due(1_000_000)).length).toBe(3002);
    });

    it('keeps each namespace schedule in step with the shared one through writes, deletes, resets and the retention sweep', async () => {
      const prefix = `t-${randomUUID()}:`;
      let now = Date.parse('2026-01-01T00:00:00Z');
      const store = await opened(prefix, () => now);
      const raw = await rawClient();
      await put(store, 'm1', [
        { collection: 'charges', id: 'a', value: {}, dueAt: 100 },
        { collection: 'charges', id: 'b', value: {}, dueAt: 200 },
        { collection: 'charges', id: 'c', value: {} },
      ]);
      await put(store, 'm2', [
        { collection: 'charges', id: 'x', value: {}, dueAt: 50 },
        { collection: 'refunds', id: 'y', value: {}, dueAt: 300 },
      ]);
      await expectInStep(raw, prefix);
      expect(await raw.zcard(`${prefix}due:m1`)).toBe(2);
      expect(ids(await store.due(1000, 'm1'))).toEqual(['m1/charges/a@100', 'm1/charges/b@200']);
      expect(await store.nextDue('m2')).toBe(50);

      // A record whose dueAt is cleared, one whose dueAt moves, one deleted.
      await put(store, 'm1', [
        { collection: 'charges', id: 'a', value: { done: true }, dueAt: null },
        { collection: 'charges', id: 'b', value: {}, dueAt: 250 },
      ]);
      await expectInStep(raw, prefix);
      expect(ids(await store.due(1000, 'm1'))).toEqual(['m1/charges/b@250']);
      await put(store, 'm1', [{ collection: 'charges', id: 'b', value: null }]);
      await expectInStep(raw, prefix);
      expect(await store.due(1000, 'm1')).toEqual([]);
      expect(await store.nextDue('m1')).toBeNull();

      // Reset of one namespace leaves the others' schedules.
      await put(store, 'm1', [{ collection: 'charges', id: 'd', value: {}, dueAt: 10 }]);
      await store.reset('m2');
      await expectInStep(raw, prefix);
      expect(await raw.exists(`${prefix}due:m2`)).toBe(0);
      expect(await store.due(1000, 'm2')).toEqual([]);
      expect(ids(await store.due(1000, 'm1'))).toEqual(['m1/charges/d@10']);

      // The retention sweep removes m3's record unchanged for 10 days, with its schedules; m1's rewritten one stays.
      await put(store, 'm3', [{ collection: 'charges', id: 'z', value: {}, dueAt: 20 }]);
      now += 10 * 86_400_000;
      await put(store, 'm1', [{ collection: 'charges', id: 'd', value: { v: 2 }, dueAt: 10 }]);
      expect(await store.sweepRetention(5 * 86_400_000)).toBe(3);
      await expectInStep(raw, prefix);
      expect(await raw.exists(`${prefix}due:m3`)).toBe(0);
      expect(await store.due(1000, 'm3')).toEqual([]);
      expect(ids(await store.due(1000, 'm1'))).toEqual(['m1/charges/d@10']);

      // A full reset leaves no schedule of any namespace.
      await put(store, 'm2', [{ collection: 'charges', id: 'x', value: {}, dueAt: 50 }]);
      await store.reset();
      await expectInStep(raw, prefix);
      expect(await perNamespaceKeys(raw, prefix)).toEqual([]);
      expect(await store.due(1000, 'm1')).toEqual([]);
      expect(await store.nextDue('m2')).toBeNull();
    });

    it('builds the namespace schedules once, on open, from data an earlier version wrote with the shared schedule only', async () => {
      const prefix = `t-${randomUUID()}:`;
      const raw = await rawClient();
      // The layout before this change (server/store/redisScripts.ts): records, versions, order, counts, and one shared `due`.
      const legacy = [
        { ns: 'm1', collection: 'charges', id: 'a', dueAt: 300 },
        { ns: 'm1', collection: 'refunds', id: 'r', dueAt: 100 },
        { ns: 'm2', collection: 'charges', id: 'b', dueAt: 50 },
        { ns: 'm2', collection: 'charges', id: 'far', dueAt: 9_000_000 },
      ];
      const write = raw.multi().set(`${prefix}version`, REDIS_DATA_VERSION);
      legacy.forEach(({ ns, collection, id, dueAt }, seq) => {
        write
          .hset(`${prefix}r:${ns}:${collection}`, id, '{}')
          .hset(`${prefix}v:${ns}:${collection}`, id, seq + 1)
          .zadd(`${prefix}o:${ns}:${collection}`, seq + 1, id)
          .hset(`${prefix}cv:${ns}`, collection, seq + 1)
          .hincrby(`${prefix}ns`, ns, 1)
          .zadd(`${prefix}due`, dueAt, `${ns}\0${collection}\0${id}`);
      });
      await write.set(`${prefix}seq`, legacy.length).exec();

      // Two instances starting together: one builds, the other finds it built.
      const [one, two] = await Promise.all([opened(prefix), opened(prefix)]);
      const notes = [...one.notes(), ...two.notes()];
      expect(notes).toHaveLength(1);
      expect(notes[0]!.level).toBe('info');
      expect(notes[0]!.message).toContain('4 scheduled records');
      await expectInStep(raw, prefix);
      expect(ids(await one.due(1000, 'm1'))).toEqual(['m1/refunds/r@100', 'm1/charges/a@300']);
      expect(ids(await two.due(1000, 'm2'))).toEqual(['m2/charges/b@50']);
      expect(await one.nextDue('m1')).toBe(100);

      // Built once: what changes afterwards is kept by the scripts, and another open copies nothing.
      await put(two, 'm1', [{ collection: 'refunds', id: 'r', value: null }]);
      expect(ids(await one.due(1000, 'm1'))).toEqual(['m1/charges/a@300']);
      const third = await opened(prefix);
      expect(third.notes()).toEqual([]);
      await expectInStep(raw, prefix);
    });

    it('marks a new database as built, so it never copies anything', async () => {
      const prefix = `t-${randomUUID()}:`;
      const store = await opened(prefix);
      const raw = await rawClient();
      expect(await raw.exists(`${prefix}due-by-ns`)).toBe(1);
      expect(store.notes()).toEqual([]);
    });
  });
