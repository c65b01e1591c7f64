import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { buildApp } from '../../server/app.js';
import { logsRequests } from '../../server/http/requestLog.js';
import { MemoryStore } from '../../server/store/memoryStore.js';
import { testConfig } from '../helpers/testApp.js';

function lineCollector(): { lines: { msg: string; level: number }[]; stream: Writable } {
  const lines: { msg: string; level: number }[] = [];
  const stream = new Writable({
    write(chunk, _enc, done) {
      for (const line of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(line));
      done();
    },
  });
  return { lines, stream };
}

describe('request log', () => {
  it('writes one info line per request with status and reasonCode', async () => {
    const { lines, stream } = lineCollector();
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

  it('is written at info, debug and trace only', () => {
    expect((['trace', 'debug', 'info'] as const).map(logsRequests)).toEqual([true, true, true]);
    expect((['warn', 'error', 'fatal', 'silent'] as const).map(logsRequests)).toEqual([false, false, false, false]);
  });

  it('writes no request lines at warn, while warnings still go out', async () => {
    const { lines, stream } = lineCollector();
    const app = await buildApp(testConfig({ logLevel: 'warn' }), { store: new MemoryStore(), logStream: stream });
    try {
      await app.inject({ method: 'GET', url: '/__admin/health' });
      app.log.warn('a warning');
      expect(lines.filter((l) => l.msg === 'request')).toHaveLength(0);
      expect(lines.filter((l) => l.msg === 'a warning')).toHaveLength(1);
    } finally {
      await app.close();
    }
  });
});
