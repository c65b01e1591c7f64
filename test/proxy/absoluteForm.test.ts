import { generateKeyPairSync, randomUUID } from 'node:crypto';
import http, { type IncomingHttpHeaders, type IncomingMessage, type Server } from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { absoluteFormDecision } from '../../server/proxy/absoluteForm.js';
import { endToEndHeaders } from '../../server/proxy/forwardRequest.js';
import { signRequest } from '../../server/signing/signRequest.js';
import { selfSignedCertificate } from '../../server/tls/selfSignedCertificate.js';
import { demoKeyIds, demoPrivateKey } from '../helpers/demoKeys.js';
import { liveServer, type LiveServer } from '../helpers/runningServer.js';
import { createBody, parseRaw, rawExchange } from './proxyKit.js';

interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

interface ProxiedRequest {
  method?: string;
  headers?: Record<string, string>;
  /** One string is sent with a content-length; several are sent chunked, one write each. */
  body?: string | string[];
  /** Send to the HTTPS listener at `port` instead (TLS to the proxy, not verified). */
  tls?: boolean;
}

/** Sends `target` in absolute form (`GET http://host/x HTTP/1.1`) to the mock's listener on `port`, as a client with HTTP_PROXY does. */
function viaProxy(port: number, target: string, request: ProxiedRequest = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const options = { host: '127.0.0.1', port, method: request.method ?? 'GET', path: target, agent: false, headers: { host: new URL(target).host, ...request.headers } };
    const req = request.tls ? https.request({ ...options, rejectUnauthorized: false }) : http.request(options);
    req.on('error', reject);
    req.on('response', (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body }));
    });
    const chunks = typeof request.body === 'string' ? [request.body] : (request.body ?? []);
    if (typeof request.body === 'string') req.setHeader('content-length', Buffer.byteLength(request.body));
    for (const chunk of chunks) req.write(chunk);
    req.end();
  });
}

/** What an origin server on this machine received. */
interface Received {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/** A key and a self-signed certificate no client trusts, for an HTTPS origin. */
function untrustedPair(): { key: string; cert: string } {
  const key = generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  return { key, cert: selfSignedCertificate({ keyPem: key, commonName: 'origin.test', organizationName: 'amazon-pay-mock tests', validityDays: 1, keyUsage: ['digitalSignature'] }) };
}

/**
 * A tiny origin on 127.0.0.1 (HTTPS with an untrusted self-signed certificate when `tls`): records
 * every request; `/hang` is never answered, anything else gets 201 and a body.
 */
async function startOrigin(tls = false): Promise<{ port: number; received: Received[]; hanging: Promise<IncomingMessage>; close(): Promise<void> }> {
  const received: Received[] = [];
  let hung!: (req: IncomingMessage) => void;
  const hanging = new Promise<IncomingMessage>((resolve) => (hung = resolve));
  const handler: http.RequestListener = (req, res) => {
    if (req.url === '/hang') {
      hung(req);
      return;
    }
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', () => {
      received.push({ method: req.method!, url: req.url!, headers: req.headers, body });
      res.writeHead(201, 'Made Here', { 'x-origin': 'yes', 'set-cookie': ['a=1', 'b=2'], 'keep-alive': 'timeout=99', 'content-type': 'text/plain' });
      res.end(`origin got ${body}`);
    });
  };
  const server: Server = tls ? https.createServer(untrustedPair(), handler) : http.createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    received,
    hanging,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A port on 127.0.0.1 nothing listens on (it was just released). */
async function closedPort(): Promise<number> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('absoluteFormDecision: what the proxy does with GET http://host:port/path', () => {
  it('leaves origin form and the Amazon hosts (any port) to the app, unchanged', () => {
    for (const target of ['/v2/checkoutSessions', '*', 'https://pay-api.amazon.eu/v2/x', 'http://PAY-API.AMAZON.COM:8443/v2/x', 'https://u@static-fe.payments-amazon.com/checkout.js']) {
      expect(absoluteFormDecision(target, 8080, 'none'), target).toEqual({ action: 'serve' });
    }
  });

  it('serves a target on the port the request arrived on, whatever its host, with the scheme\'s default port', () => {
    expect(absoluteFormDecision('http://127.0.0.1:8080/__admin/health', 8080, 'none')).toEqual({ action: 'serve' });
    expect(absoluteFormDecision('http://mock:8080/v2/x', 8080, 'none')).toEqual({ action: 'serve' });
    expect(absoluteFormDecision('http://mock/v2/x', 80, 'none')).toEqual({ action: 'serve' });
    expect(absoluteFormDecision('https://mock/v2/x', 443, 'none')).toEqual({ action: 'serve' });
    expect(absoluteFormDecision('http://mock/v2/x', 8080, 'none')).toMatchObject({ action: 'refuse', reasonCode: 'ProxyTargetNotServed' });
  });

  it('refuses any other target with the CONNECT wording, hinting at passthrough for loopback ones', () => {
    const other = absoluteFormDecision('http://Example.com/v2/checkoutSessions/x', 8080, 'none');
    expect(other).toMatchObject({ action: 'refuse', reasonCode: 'ProxyTargetNotServed' });
    expect(other.action === 'refuse' && other.message).toMatch(/^amazon-pay-mock is an offline stand-in: .* example\.com:80 is not a host it serves\. It serves pay-api\.amazon\.com, .*\(port 443\)\.$/);
    const local = absoluteFormDecision('http://localhost:3000/health', 8080, 'none');
    expect(local.action === 'refuse' && local.message).toMatch(/localhost:3000 is not a host it serves.* --proxy-passthrough loopback\.$/);
    // A name that only looks local resolves wherever its DNS says.
    expect(absoluteFormDecision('http://127.evil.example:3000/', 8080, 'loopback')).toMatchObject({ action: 'refuse', reasonCode: 'ProxyTargetNotServed' });
  });

  it('forwards loopback targets with passthrough loopback: scheme, host, port and the path with query as sent', () => {
    expect(absoluteFormDecision('http://localhost:3000/health?x=%2F', 8080, 'loopback')).toEqual({ action: 'forward', target: { scheme: 'http', host: 'localhost', port: 3000, path: '/health?x=%2F' } });
    expect(absoluteFormDecision('https://user:pw@[::1]:3443?q=1', 8080, 'loopback')).toEqual({ action: 'forward', target: { scheme: 'https', host: '[::1]', port: 3443, path: '/?q=1' } });
    expect(absoluteFormDecision('http://127.0.0.2/', 8080, 'loopback')).toEqual({ action: 'forward', target: { scheme: 'http', host: '127.0.0.2', port: 80, path: '/' } });
  });

  it('answers a target that names no usable host, port or scheme with 400 InvalidRequest', () => {
    for (const target of ['http:///x', 'http://:80/x', 'http://localhost:99999/', 'http://localhost:0/', 'http://a:b/', 'ftp://localhost/x']) {
      expect(absoluteFormDecision(target, 8080, 'loopback'), target).toMatchObject({ action: 'refuse', reasonCode: 'InvalidRequest' });
    }
  });
});

describe('endToEndHeaders', () => {
  it('drops hop-by-hop fields and the ones Connection names', () => {
    const headers = { host: 'h', connection: 'keep-alive, X-Drop', 'x-drop': '1', 'proxy-connection': 'keep-alive', 'proxy-authorization': 'Basic eA==', 'keep-alive': 'timeout=5', te: 'trailers', trailer: 'x', 'transfer-encoding': 'chunked', upgrade: 'h2c', expect: '100-continue', 'x-kept': 'yes' };
    expect(endToEndHeaders(headers, ['expect'])).toEqual({ host: 'h', 'x-kept': 'yes' });
  });
});

describe('absolute-form requests on the listeners (passthrough none)', () => {
  let live: LiveServer;
  beforeAll(async () => {
    live = await liveServer();
  });
  afterAll(async () => {
    await live?.close();
  });

  const createCount = async () => (await live.admin('GET', '/__admin/requests?limit=10000')).body.requests.length as number;

  it('refuses a signed create addressed to another host with 403 ProxyTargetNotServed; nothing runs and nothing is recorded', async () => {
    const before = await createCount();
    // Signed for the host it names, so the mock would verify it and create a session if it served it.
    const signed = signRequest({ method: 'POST', url: 'http://example.com/v2/checkoutSessions', body: createBody, headers: { 'x-amz-pay-idempotency-key': randomUUID().replace(/-/g, '') }, privateKey: demoPrivateKey, publicKeyId: demoKeyIds.sandbox, algorithm: 'AMZN-PAY-RSASSA-PSS-V2' });
    const res = await viaProxy(live.server.http!.port, 'http://example.com/v2/checkoutSessions', { method: 'POST', headers: signed.headers, body: createBody });
    expect(res.status).toBe(403);
    expect(res.headers['x-amz-pay-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    const body = JSON.parse(res.body);
    expect(Object.keys(body)).toEqual(['reasonCode', 'message']);
    expect(body.reasonCode).toBe('ProxyTargetNotServed');
    expect(body.message).toMatch(/offline stand-in.*example\.com:80 is not a host it serves/);
    expect(body.message).not.toMatch(/passthrough/);
    expect(await createCount()).toBe(before);
  });

  it('gives a loopback target the same message as CONNECT gives it, with the hint about --proxy-passthrough loopback', async () => {
    const port = live.server.http!.port;
    const res = await viaProxy(port, 'http://127.0.0.1:9/health');
    expect(res.status).toBe(403);
    const body = JSON.parse(res.body);
    expect(body.reasonCode).toBe('ProxyTargetNotServed');
    expect(body.message).toMatch(/--proxy-passthrough loopback/);
    const connect = parseRaw(await rawExchange(port, 'CONNECT 127.0.0.1:9 HTTP/1.1\r\nHost: 127.0.0.1:9\r\n\r\n'));
    expect(JSON.parse(connect.body).message).toBe(body.message);
  });

  it('keeps the connection usable after a refusal', async () => {
    const port = live.server.http!.port;
    const head = (target: string) => `GET ${target} HTTP/1.1\r\nhost: x\r\n\r\n`;
    const raw = await rawExchange(port, head('http://example.com/x') + head(`http://127.0.0.1:${port}/__admin/health`).replace('\r\n\r\n', '\r\nconnection: close\r\n\r\n'));
    expect(raw.match(/HTTP\/1\.1 \d{3}/g)).toEqual(['HTTP/1.1 403', 'HTTP/1.1 200']);
  });

  it('serves a target on its own port as a direct request, whatever the host name (http://mock:8080 in Docker)', async () => {
    const port = live.server.http!.port;
    for (const target of [`http://127.0.0.1:${port}/__admin/health`, `http://mock:${port}/__admin/health`, `https://localhost:${port}/__admin/health`]) {
      const res = await viaProxy(port, target);
      expect(res.status, target).toBe(200);
      expect(res.headers['x-amz-pay-request-id'], target).toBeTruthy();
    }
  });

  it('still serves an Amazon host in absolute form (here the checkout.js host)', async () => {
    const res = await viaProxy(live.server.http!.port, 'https://static-eu.payments-amazon.com/checkout.js');
    expect(res.status).toBe(200);
    expect(res.body).toContain('amazon-pay-mock checkout.js');
  });

  it('decides the same way on the HTTPS listener', async () => {
    const port = live.server.https!.port;
    expect((await viaProxy(port, `https://127.0.0.1:${port}/__admin/health`, { tls: true })).status).toBe(200);
    const refused = await viaProxy(port, 'http://example.com/x', { tls: true });
    expect([refused.status, JSON.parse(refused.body).reasonCode]).toEqual([403, 'ProxyTargetNotServed']);
  });
});

describe('absolute-form requests with --proxy-passthrough loopback', () => {
  let passing: LiveServer;
  let origin: Awaited<ReturnType<typeof startOrigin>>;
  beforeAll(async () => {
    passing = await liveServer({ proxyPassthrough: 'loopback' });
    origin = await startOrigin();
  });
  afterAll(async () => {
    await passing?.close();
    await origin?.close();
  });

  it('forwards method, path and query, headers (hop-by-hop removed) and a streamed body to a loopback origin, and streams its answer back', async () => {
    const target = `http://127.0.0.1:${origin.port}/echo?a=1&b=%2F`;
    const res = await viaProxy(passing.server.http!.port, target, {
      method: 'PUT',
      headers: { 'x-custom': 'kept', 'proxy-connection': 'keep-alive', 'proxy-authorization': 'Basic eDp5', connection: 'keep-alive, x-drop', 'x-drop': '1', 'keep-alive': 'timeout=5', te: 'trailers', 'content-type': 'text/plain' },
      body: ['hello ', 'world'],
    });
    expect(res.status).toBe(201);
    expect(res.body).toBe('origin got hello world');
    expect(res.headers['x-origin']).toBe('yes');
    expect(res.headers['set-cookie']).toEqual(['a=1', 'b=2']);
    expect(res.headers['keep-alive']).not.toBe('timeout=99');
    const got = origin.received.at(-1)!;
    expect(got).toMatchObject({ method: 'PUT', url: '/echo?a=1&b=%2F', body: 'hello world' });
    expect(got.headers).toMatchObject({ host: `127.0.0.1:${origin.port}`, 'x-custom': 'kept', 'content-type': 'text/plain' });
    for (const name of ['proxy-connection', 'proxy-authorization', 'x-drop', 'keep-alive', 'te']) expect(got.headers[name], name).toBeUndefined();
    expect(got.headers.connection ?? '').not.toMatch(/x-drop/);
  });

  it('forwards https:// targets over TLS without verifying the origin\'s certificate', async () => {
    const secure = await startOrigin(true);
    try {
      const res = await viaProxy(passing.server.http!.port, `https://127.0.0.1:${secure.port}/over-tls`, { method: 'POST', body: 'secret' });
      expect([res.status, res.body]).toEqual([201, 'origin got secret']);
      expect(secure.received).toEqual([expect.objectContaining({ method: 'POST', url: '/over-tls', body: 'secret' })]);
    } finally {
      await secure.close();
    }
  });

  it('answers 503 ServiceUnavailable when the origin cannot be reached, and keeps serving', async () => {
    const port = await closedPort();
    const res = await viaProxy(passing.server.http!.port, `http://127.0.0.1:${port}/x`, { method: 'POST', body: 'lost' });
    expect(res.status).toBe(503);
    expect(res.headers['x-amz-pay-request-id']).toBeTruthy();
    expect(JSON.parse(res.body)).toEqual({ reasonCode: 'ServiceUnavailable', message: expect.stringMatching(new RegExp(`^Could not reach 127\\.0\\.0\\.1:${port} on this machine \\(ECONNREFUSED\\)\\.$`)) });
    expect((await passing.admin('GET', '/__admin/health')).status).toBe(200);
  });

  it('still refuses targets off this machine', async () => {
    const res = await viaProxy(passing.server.http!.port, 'http://example.com/x');
    expect(res.status).toBe(403);
    expect(JSON.parse(res.body).message).not.toMatch(/passthrough/);
  });

  it('ends the upstream request when the client goes away mid-forward', async () => {
    const client = http.request({ host: '127.0.0.1', port: passing.server.http!.port, path: `http://127.0.0.1:${origin.port}/hang`, agent: false });
    client.on('error', () => undefined);
    client.end();
    const upstream = await origin.hanging;
    const upstreamClosed = new Promise<void>((resolve) => upstream.socket.once('close', () => resolve()));
    client.destroy();
    await upstreamClosed;
    expect(upstream.socket.destroyed).toBe(true);
  });
});
