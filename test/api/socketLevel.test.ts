import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signRequest } from '../../server/signing/signRequest.js';
import { demoKeyIds, demoPrivateKey } from '../helpers/demoKeys.js';
import { liveServer, type LiveServer } from '../helpers/runningServer.js';
import { readySessionBody } from '../helpers/testApp.js';

let live: LiveServer;
beforeAll(async () => {
  live = await liveServer();
});
afterAll(async () => {
  await live?.close();
});

/** Writes a raw HTTP/1.1 request on a fresh socket and returns the status and parsed body. */
function rawHttp(port: number, head: string, body: string): Promise<{ status: number; body: any }> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    let data = '';
    socket.on('data', (chunk) => (data += chunk.toString('utf8')));
    socket.on('error', reject);
    socket.on('end', () => {
      const [headPart, ...rest] = data.split('\r\n\r\n');
      const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(headPart!)?.[1]);
      const text = rest.join('\r\n\r\n');
      resolve({ status, body: text ? JSON.parse(text) : null });
    });
    socket.write(`${head}\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`);
  });
}

describe('request targets in absolute form (what an SDK sends through an HTTP proxy)', () => {
  it('routes and verifies POST https://pay-api.amazon.com/v2/checkoutSessions like the path alone', async () => {
    const body = JSON.stringify(readySessionBody());
    const signed = signRequest({ method: 'POST', url: 'https://pay-api.amazon.com/v2/checkoutSessions', body, privateKey: demoPrivateKey, publicKeyId: demoKeyIds.sandbox, headers: { 'x-amz-pay-idempotency-key': 'abs-form-post' } });
    const headers = Object.entries(signed.headers).map(([k, v]) => `${k}: ${v}`).join('\r\n');
    const res = await rawHttp(live.server.http!.port, `POST https://pay-api.amazon.com/v2/checkoutSessions HTTP/1.1\r\nhost: pay-api.amazon.com\r\n${headers}`, body);
    expect(res.status).toBe(201);
    expect(res.body.statusDetails.state).toBe('Open');
  });

  it('routes GET http://pay-api.amazon.com/sandbox/v2/... with the unprefixed key', async () => {
    const created = await live.sdk().createCheckoutSession(readySessionBody(), { 'x-amz-pay-idempotency-key': 'abs-form-1' });
    const id = created.data.checkoutSessionId;
    const signed = signRequest({ method: 'GET', url: `https://pay-api.amazon.com/sandbox/v2/checkoutSessions/${id}`, privateKey: demoPrivateKey, publicKeyId: demoKeyIds.unprefixed });
    const headers = Object.entries(signed.headers).map(([k, v]) => `${k}: ${v}`).join('\r\n');
    const res = await rawHttp(live.server.http!.port, `GET http://pay-api.amazon.com/sandbox/v2/checkoutSessions/${id} HTTP/1.1\r\nhost: pay-api.amazon.com\r\n${headers}`, '');
    expect(res.status).toBe(200);
    expect(res.body.checkoutSessionId).toBe(id);
  });

  it('answers garbage after the headers with an Amazon-shaped error, not a crash', async () => {
    const res = await rawHttp(live.server.http!.port, 'POST /v2/checkoutSessions HTTP/1.1\r\nhost: x\r\ncontent-type: application/json', '\u0000\u0001not json');
    expect(res.status).toBe(400);
    expect(Object.keys(res.body)).toEqual(['reasonCode', 'message']);
    const health = await live.admin('GET', '/__admin/health');
    expect(health.status).toBe(200);
  });
});
