import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { Agent } from 'undici';
import type { SessionRecord } from '../../server/domain/checkoutSession/sessionRecord.js';
import { liveServer } from '../helpers/runningServer.js';
import { sendSigned } from '../helpers/signedSend.js';
import { readySessionBody } from '../helpers/testApp.js';
import { DEMO_NS, newKey } from '../sdk/flows.js';
import { describeSkippedWithoutRedis, hasRedis, redisForFile } from './redisTestServer.js';

/**
 * Redis killed and started again while clients keep writing. A Redis store is as durable as Redis's
 * persistence: this server runs with appendonly yes and appendfsync always, so an acknowledged
 * write is on disk before the mock answers.
 */

const redis = redisForFile({ durable: true });
const WRITERS = 4;

if (!hasRedis) describeSkippedWithoutRedis('a Redis stopped and restarted under load');
else
  describe('a Redis stopped and restarted under load', () => {
    it('loses no acknowledged write, answers 503 while Redis is down, and recovers without restarting the mock', async () => {
      const live = await liveServer({ store: 'redis', redisUrl: redis.server().url });
      const agent = new Agent({ connections: WRITERS });
      const acknowledged: string[] = [];
      const refused: string[] = [];
      const unexpected: string[] = [];
      let running = true;
      const writer = async () => {
        while (running) {
          const body = readySessionBody({ merchantMetadata: { merchantReferenceId: randomUUID(), merchantStoreName: 'Demo Store' } });
          const r = await sendSigned(live.server.http!.url, agent, 'POST', '/v2/checkoutSessions', body, { 'x-amz-pay-idempotency-key': newKey() });
          if (r.status === 201) acknowledged.push(r.body.checkoutSessionId);
          else if (r.status === 503 && r.body?.reasonCode === 'ServiceUnavailable' && typeof r.body.message === 'string') refused.push(r.body.message);
          else unexpected.push(`${r.status} ${JSON.stringify(r.body)}`);
          // While Redis is down answers come at once: pace the loop so it does not spin.
          if (r.status !== 201) await new Promise((resolve) => setTimeout(resolve, 10));
        }
      };
      const writers = Array.from({ length: WRITERS }, writer);
      try {
        await expect.poll(() => acknowledged.length, { timeout: 20_000 }).toBeGreaterThanOrEqual(30);
        await redis.server().stop('SIGKILL');
        await expect.poll(() => refused.length, { timeout: 10_000 }).toBeGreaterThanOrEqual(10);
        const health = await live.admin('GET', '/__admin/health');
        expect(health.status).toBe(200);
        expect(health.body.status).toBe('degraded');
        expect(health.body.store.error).toMatch(/^Redis at redis:\/\/127\.0\.0\.1:\d+\/0 is /);
        const beforeRestart = acknowledged.length;
        await redis.server().start();
        await expect.poll(() => acknowledged.length, { timeout: 20_000 }).toBeGreaterThanOrEqual(beforeRestart + 30);
      } finally {
        running = false;
        await Promise.all(writers);
      }
      expect(unexpected).toEqual([]);
      expect((await live.admin('GET', '/__admin/health')).body).toEqual({ status: 'ok' });
      const stored = new Set((await live.server.app.mock.store.readAll<SessionRecord>(DEMO_NS, 'checkoutSessions')).map((r) => r.session.checkoutSessionId));
      expect(acknowledged.filter((id) => !stored.has(id))).toEqual([]);
      // And through the API, as a client would check.
      const sample = [acknowledged[0]!, acknowledged[Math.floor(acknowledged.length / 2)]!, acknowledged.at(-1)!];
      for (const id of sample) expect((await sendSigned(live.server.http!.url, agent, 'GET', `/v2/checkoutSessions/${id}`, undefined)).status).toBe(200);
      await agent.close();
      await live.close();
    }, 90_000);
  });
