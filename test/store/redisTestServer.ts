import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { redisMissingReason, redisServerBinary, startRedisServer, type RedisServer, type RedisServerOptions } from '../../scripts/lib/redisServer.js';
import { RedisStore } from '../../server/store/redisStore.js';

/** Whether redis-server is installed; Redis tests skip (saying why) when it is not. */
export const hasRedis = redisServerBinary() !== null;

/**
 * A throw-away redis-server for the test file that calls this (at its top level): started before
 * its tests, stopped and removed after them. `server()` is only valid inside tests.
 */
export function redisForFile(options: RedisServerOptions = {}): { server: () => RedisServer } {
  let server: RedisServer | null = null;
  if (hasRedis) {
    beforeAll(async () => {
      server = await startRedisServer(options);
    });
    afterAll(async () => {
      await server?.dispose();
    });
  }
  return {
    server: () => {
      if (!server) throw new Error('redis-server is not running');
      return server;
    },
  };
}

/** A RedisStore on `url` under a prefix of its own, so tests sharing one server never see each other's keys. */
export function isolatedRedisStore(url: string, prefix = `test-${randomUUID()}:`): RedisStore {
  return new RedisStore({ url, prefix });
}

/** Writes Redis made since it started (INFO persistence), to prove that reads write nothing. */
export async function redisWrites(store: RedisStore): Promise<number> {
  const info = await store.client.info('persistence');
  return Number(/rdb_changes_since_last_save:(\d+)/.exec(info)?.[1] ?? NaN);
}

/** Stands in for a Redis suite when redis-server is missing, so the skip and its reason show in the report. */
export function describeSkippedWithoutRedis(title: string): void {
  describe.skip(`${title} (skipped: ${redisMissingReason})`, () => {
    it('needs redis-server', () => {});
  });
}
