import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { liveServer, type LiveServer } from '../helpers/runningServer.js';

let live: LiveServer;
beforeAll(async () => {
  live = await liveServer();
});
afterAll(async () => {
  await live?.close();
});

/** Writes raw bytes on a fresh socket; resolves with what came back before the server closed it. */
function rawExchange(bytes: string): Promise<{ status: number; headers: string; body: any }> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(live.server.http!.port, '127.0.0.1');
    let data = '';
    socket.on('data', (chunk) => (data += chunk.toString('latin1')));
    socket.on('error', reject);
    socket.on('close', () => {
      const [head, ...rest] = data.split('\r\n\r\n');
      const text = rest.join('\r\n\r\n');
      let body: unknown = text;
      try {
        body = JSON.parse(text);
      } catch {
        /* left as text for the assertion to show */
      }
      resolve({ status: Number(/^HTTP\/1\.1 (\d{3})/.exec(head ?? '')?.[1]), headers: (head ?? '').toLowerCase(), body });
    });
    socket.end(bytes);
  });
}

function expectAmazonShaped(res: { status: number; headers: string; body: any }, status: number, reasonCode: string) {
  expect(res.status).toBe(status);
  expect(res.body).toMatchObject({ reasonCode });
  expect(Object.keys(res.body)).toEqual(['reasonCode', 'message']);
  expect(res.headers).toMatch(/\r\nx-amz-pay-request-id: [0-9a-f-]{36}/);
  expect(res.headers).toContain('content-type: application/json');
}

describe('requests Node refuses before any handler runs', () => {
  it('answers an unknown method with Amazon-shaped 400 InvalidRequest', async () => {
    expectAmazonShaped(await rawExchange('FROB /v2/checkoutSessions HTTP/1.1\r\nhost: x\r\n\r\n'), 400, 'InvalidRequest');
  });

  it('answers contradictory framing (Content-Length and chunked) with 400 InvalidRequest', async () => {
    const res = await rawExchange('POST /v2/checkoutSessions HTTP/1.1\r\nhost: x\r\ncontent-length: 5\r\ntransfer-encoding: chunked\r\n\r\n0\r\n\r\n');
    expectAmazonShaped(res, 400, 'InvalidRequest');
  });

  it('answers a broken chunk size with 400 InvalidRequest', async () => {
    const res = await rawExchange('POST /v2/checkoutSessions HTTP/1.1\r\nhost: x\r\ntransfer-encoding: chunked\r\n\r\nzz\r\nabc\r\n0\r\n\r\n');
    expectAmazonShaped(res, 400, 'InvalidRequest');
  });

  it('answers headers over 16 KB with 431 RequestHeaderFieldsTooLarge', async () => {
    const res = await rawExchange(`GET /v2/checkoutSessions/x HTTP/1.1\r\nhost: x\r\nx-big: ${'a'.repeat(20_000)}\r\n\r\n`);
    expectAmazonShaped(res, 431, 'RequestHeaderFieldsTooLarge');
  });

  it('answers garbage that is not HTTP at all with 400 InvalidRequest', async () => {
    expectAmazonShaped(await rawExchange('\u0000\u0001\u0002 hello\r\n\r\n'), 400, 'InvalidRequest');
  });

  it('answers an Expect other than 100-continue with Amazon-shaped 417 ExpectationFailed, running nothing', async () => {
    const before = (await live.admin('GET', '/__admin/clock')).body.offsetSeconds;
    const body = JSON.stringify({ advanceSeconds: 3600 });
    const res = await rawExchange(`POST /__admin/clock HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\nexpect: something-else\r\ncontent-length: ${body.length}\r\n\r\n${body}`);
    expectAmazonShaped(res, 417, 'ExpectationFailed');
    expect((await live.admin('GET', '/__admin/clock')).body.offsetSeconds).toBe(before);
  });

  it('keeps serving afterwards', async () => {
    expect((await live.admin('GET', '/__admin/health')).status).toBe(200);
  });
});

describe('keep-alive', () => {
  it('reuses one socket after 6 s of idleness (Node\'s default would have closed it)', async () => {
    const socket = net.connect(live.server.http!.port, '127.0.0.1');
    const responses: string[] = [];
    let closed = false;
    socket.on('data', (chunk) => responses.push(chunk.toString()));
    socket.on('close', () => (closed = true));
    await new Promise((r) => socket.once('connect', r));
    socket.write('GET /__admin/health HTTP/1.1\r\nhost: x\r\n\r\n');
    await new Promise((r) => setTimeout(r, 6_000));
    expect(closed).toBe(false);
    socket.write('GET /__admin/health HTTP/1.1\r\nhost: x\r\n\r\n');
    await new Promise((r) => setTimeout(r, 300));
    socket.destroy();
    expect(responses.join('').match(/HTTP\/1\.1 200/g)).toHaveLength(2);
  }, 15_000);
});
