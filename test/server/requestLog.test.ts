import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { buildApp } from '../../server/app.js';
import { MemoryStore } from '../../server/store/memoryStore.js';
import { testConfig } from '../helpers/testApp.js';

describe('request log', () => {
  it('writes one info line per request with status and reasonCode', async () => {
    const lines: any[] = [];
    const stream = new Writable({
      write(chunk, _enc, done) {
        for (const line of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(line));
        done();
      },
    });
    const app = await buildApp(testConfig({ logLevel: 'info' }), { store: new MemoryStore(), logStream: stream });
    try {
      await app.inject({ method: 'GET', url: '/__admin/health' });
      await app.inject({ method: 'GET', url: '/v2/checkoutSessions/x' });
      const requests = lines.filter((l) => l.msg === 'request');
      expect(requests).toHaveLength(2);
      expect(requests[0]).toMatchObject({ level: 30, method: 'GET', url: '/__admin/health', status: 200 });
      expect(requests[1]).toMatchObject({ status: 400, reasonCode: 'MissingHeader' });
      expect(lines.filter((l) => l.msg === 'incoming request' || l.msg === 'request completed')).toHaveLength(0);
    } finally {
      await app.close();
    }
  });
});
