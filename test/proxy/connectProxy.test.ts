import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import tls from 'node:tls';
import { Agent, ProxyAgent, request } from 'undici';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { amazonHosts } from '../../server/domain/amazonHosts.js';
import { signRequest } from '../../server/signing/signRequest.js';
import { demoKeyIds, demoPrivateKey } from '../helpers/demoKeys.js';
import { liveServer, type LiveServer } from '../helpers/runningServer.js';
import { createBody, hasCommand, parseRaw, rawExchange, signedCreate } from './proxyKit.js';

let live: LiveServer;
let proxyUrl: string;
let caPem: string;

beforeAll(async () => {
  live = await liveServer();
  proxyUrl = live.server.http!.url;
  caPem = readFileSync(live.server.ca.file, 'utf8');
});

afterAll(async () => {
  await live?.close();
});

// The Node SDK turns TLS verification off process-wide when it is given overrideServiceUrl; these
// tests are about certificates, so make sure nothing in this worker left it off.
beforeEach(() => {
  delete process.env.NODE_TLS_REJECT_UNAUTHORIZED;
});

const regions = { 'pay-api.amazon.com': 'na', 'pay-api.amazon.eu': 'eu', 'pay-api.amazon.jp': 'jp' } as const;

async function journal(query: string): Promise<any[]> {
  const { body } = await live.admin('GET', `/__admin/requests?${query}`);
  return body.requests ?? body;
}

function runCurl(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn('curl', args);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => (stdout += c));
    child.stderr.on('data', (c) => (stderr += c));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('the intercepting HTTPS proxy on the HTTP listener', () => {
  it.skipIf(!hasCommand('curl'))('serves curl --proxy --cacert for pay-api.amazon.eu in-process, and the journal records the proxy and the host', async () => {
    const { url, headers } = signedCreate('pay-api.amazon.eu', 'eu');
    const args = ['-sS', '--proxy', proxyUrl, '--cacert', live.server.ca.file, '-X', 'POST', url, '--data-binary', createBody, '-w', '\n%{http_code}'];
    for (const [name, value] of Object.entries(headers)) args.push('-H', `${name}: ${value}`);
    const result = await runCurl(args);
    expect(result.stderr).toBe('');
    const [body, status] = result.stdout.split('\n');
    expect(status).toBe('201');
    const session = JSON.parse(body!);
    const [entry] = await journal(`objectId=${session.checkoutSessionId}`);
    expect(entry).toMatchObject({ operation: 'createCheckoutSession', status: 201, proxy: { host: 'pay-api.amazon.eu', mode: 'connect' } });
  });

  it('serves undici ProxyAgent (CONNECT + TLS trusting only the CA) for all three API hosts, each a signed call', async () => {
    const agent = new ProxyAgent({ uri: proxyUrl, requestTls: { ca: caPem } });
    try {
      for (const [host, region] of Object.entries(regions)) {
        const { url, headers } = signedCreate(host, region);
        const res = await request(url, { method: 'POST', headers, body: createBody, dispatcher: agent });
        const body = (await res.body.json()) as { checkoutSessionId: string };
        expect(res.statusCode, host).toBe(201);
        expect(res.headers['x-amz-pay-request-id']).toBeTruthy();
        const [entry] = await journal(`objectId=${body.checkoutSessionId}`);
        expect(entry.proxy).toEqual({ host, mode: 'connect' });
      }
    } finally {
      await agent.close();
    }
  });

  it('lets the host decide the region, whatever x-amz-pay-region says (sign-request.js defaults it to na)', async () => {
    const agent = new ProxyAgent({ uri: proxyUrl, requestTls: { ca: caPem } });
    const priced = (currencyCode: string, amount: string) =>
      JSON.stringify({ ...JSON.parse(createBody), paymentDetails: { paymentIntent: 'Authorize', chargeAmount: { amount, currencyCode } } });
    try {
      // An eu and a jp merchant's own currencies, each refused in na (USD only).
      for (const [host, body] of [['pay-api.amazon.eu', priced('EUR', '10.00')], ['pay-api.amazon.jp', priced('JPY', '500')]] as const) {
        const signed = signRequest({ method: 'POST', url: `https://${host}/v2/checkoutSessions`, body, headers: { 'x-amz-pay-idempotency-key': randomUUID().replace(/-/g, '') }, privateKey: demoPrivateKey, publicKeyId: demoKeyIds.sandbox, region: 'na' });
        const res = await request(signed.url, { method: 'POST', headers: signed.headers, body, dispatcher: agent });
        const answer = (await res.body.json()) as { checkoutSessionId: string };
        expect([host, res.statusCode, answer]).toEqual([host, 201, expect.objectContaining({ checkoutSessionId: expect.any(String) })]);
      }
    } finally {
      await agent.close();
    }
  });

  it('serves checkout.js for static-na|eu|fe.payments-amazon.com through the same app', async () => {
    const agent = new ProxyAgent({ uri: proxyUrl, requestTls: { ca: caPem } });
    try {
      for (const host of Object.keys(amazonHosts).filter((h) => h.startsWith('static-'))) {
        const res = await request(`https://${host}/checkout.js`, { dispatcher: agent });
        expect(res.statusCode, host).toBe(200);
        expect(res.headers['content-type']).toMatch(/javascript/);
        expect(await res.body.text()).toContain('amazon-pay-mock checkout.js');
        expect(res.headers['x-amz-pay-request-id']).toBeTruthy();
      }
    } finally {
      await agent.close();
    }
  });

  it('keeps serving absolute-form requests (what axios sends through HTTPS_PROXY), recorded as such', async () => {
    const { url, headers } = signedCreate('pay-api.amazon.jp', 'jp');
    const head = Object.entries({ ...headers, host: 'pay-api.amazon.jp', 'content-length': String(Buffer.byteLength(createBody)), connection: 'close' })
      .map(([k, v]) => `${k}: ${v}\r\n`)
      .join('');
    const res = parseRaw(await rawExchange(live.server.http!.port, `POST ${url} HTTP/1.1\r\n${head}\r\n${createBody}`));
    expect(res.status).toBe(201);
    const body = JSON.parse(res.body) as { checkoutSessionId: string };
    const [entry] = await journal(`objectId=${body.checkoutSessionId}`);
    expect(entry.proxy).toEqual({ host: 'pay-api.amazon.jp', mode: 'absolute-form' });
    expect(entry.path).toBe('/v2/checkoutSessions');
  });

  it('records direct calls with no proxy', async () => {
    const { headers } = signedCreate('pay-api.amazon.com', 'na');
    const trusting = new Agent({ connect: { ca: caPem } });
    const res = await request(`${live.server.https!.url}/v2/checkoutSessions`, { method: 'POST', headers, body: createBody, dispatcher: trusting });
    expect(res.statusCode).toBe(201);
    const body = (await res.body.json()) as { checkoutSessionId: string };
    await trusting.close();
    const [entry] = await journal(`objectId=${body.checkoutSessionId}`);
    expect(entry.proxy).toBeNull();
  });

  it('refuses any other CONNECT target with 403 ProxyTargetNotServed, naming the hosts it serves', async () => {
    const port = live.server.http!.port;
    for (const [target, why] of [
      ['example.com:443', /offline stand-in.*example\.com:443 is not a host it serves/],
      ['pay-api.amazon.com:8443', /pay-api\.amazon\.com is served on port 443 only, not 8443/],
      [`127.0.0.1:${live.server.https!.port}`, /--proxy-passthrough loopback/],
    ] as const) {
      const answer = parseRaw(await rawExchange(port, `CONNECT ${target} HTTP/1.1\r\nHost: ${target}\r\n\r\n`));
      expect(answer.status, target).toBe(403);
      expect(answer.headers['x-amz-pay-request-id']).toBeTruthy();
      const body = JSON.parse(answer.body);
      expect(body.reasonCode).toBe('ProxyTargetNotServed');
      expect(body.message).toMatch(why);
      for (const host of Object.keys(amazonHosts)) expect(body.message).toContain(host);
    }
  });

  it('answers a CONNECT it serves with 200 and an x-amz-pay-request-id, like every other answer', async () => {
    const opened = parseRaw(await rawExchange(live.server.http!.port, 'CONNECT pay-api.amazon.com:443 HTTP/1.1\r\nhost: pay-api.amazon.com:443\r\n\r\n', 300));
    expect(opened.status).toBe(200);
    expect(opened.headers['x-amz-pay-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(opened.headers['content-length']).toBeUndefined();
  });

  it('answers malformed CONNECT lines with 400 and keeps listening', async () => {
    const port = live.server.http!.port;
    for (const target of ['garbage', 'pay-api.amazon.com', ':443', 'pay-api.amazon.com:99999', 'pay-api.amazon.com:0', 'a b:443']) {
      const answer = parseRaw(await rawExchange(port, `CONNECT ${target} HTTP/1.1\r\nHost: x\r\n\r\n`));
      expect(answer.status, target).toBe(400);
      if (answer.body) expect(JSON.parse(answer.body).reasonCode, target).toBe('InvalidRequest');
    }
    // Not even a request line.
    expect(parseRaw(await rawExchange(port, 'CONNECT\r\n\r\n')).status).toBe(400);
    const health = await request(`${proxyUrl}/__admin/health`);
    expect(health.statusCode).toBe(200);
    await health.body.dump();
  });

  it('survives a client that does not trust the CA (the handshake fails on the client side), and one that hangs up mid-tunnel', async () => {
    // Trusts the public roots only, as a client does before it is given the CA.
    const distrustful = new ProxyAgent({ uri: proxyUrl, requestTls: { ca: [...tls.rootCertificates] } });
    await expect(request('https://pay-api.amazon.com/v2/checkoutSessions', { dispatcher: distrustful })).rejects.toThrow(/certificate/i);
    await distrustful.close();
    const port = live.server.http!.port;
    const partial = await rawExchange(port, 'CONNECT pay-api.amazon.com:443 HTTP/1.1\r\n\r\n\x16\x03\x01garbage', 500);
    expect(parseRaw(partial).status).toBe(200);
    const health = await request(`${proxyUrl}/__admin/health`);
    expect(health.statusCode).toBe(200);
    await health.body.dump();
  });

  it('answers a TLS handshake for a name it does not serve with the default certificate, whose names the client error lists', async () => {
    const error = await new Promise<Error>((resolve) => {
      // What a client that resolved unknown.test to this machine checks.
      const checkServerIdentity = (_host: string, cert: tls.PeerCertificate) => tls.checkServerIdentity('unknown.test', cert);
      const socket = tls.connect({ host: '127.0.0.1', port: live.server.https!.port, servername: 'unknown.test', ca: caPem, checkServerIdentity }, () =>
        resolve(new Error('connected')),
      );
      socket.on('error', (err) => {
        socket.destroy();
        resolve(err);
      });
    });
    expect(error.message).toMatch(/Host: unknown\.test\. is not in the cert's altnames: DNS:localhost, IP Address:127\.0\.0\.1/);
    // A served name gets its own leaf, trusted through the CA.
    const served = await new Promise<string>((resolve, reject) => {
      const socket = tls.connect({ host: '127.0.0.1', port: live.server.https!.port, servername: 'pay-api.amazon.jp', ca: caPem }, () => {
        resolve(socket.getPeerX509Certificate()!.subject);
        socket.destroy();
      });
      socket.on('error', reject);
    });
    expect(served).toContain('CN=pay-api.amazon.jp');
  });
});

describe('--proxy-passthrough loopback', () => {
  let passing: LiveServer;
  beforeAll(async () => {
    passing = await liveServer({ proxyPassthrough: 'loopback' });
  });
  afterAll(async () => {
    await passing?.close();
  });

  it('tunnels CONNECT to a loopback target unchanged (here: the mock\'s own HTTPS listener)', async () => {
    const ca = readFileSync(passing.server.ca.file, 'utf8');
    const agent = new ProxyAgent({ uri: passing.server.http!.url, requestTls: { ca } });
    try {
      const res = await request(`https://127.0.0.1:${passing.server.https!.port}/__admin/health`, { dispatcher: agent });
      expect(res.statusCode).toBe(200);
      await res.body.dump();
    } finally {
      await agent.close();
    }
    const refused = parseRaw(await rawExchange(passing.server.http!.port, 'CONNECT example.com:443 HTTP/1.1\r\n\r\n'));
    expect(refused.status).toBe(403);
    const closedPort = parseRaw(await rawExchange(passing.server.http!.port, 'CONNECT 127.0.0.1:1 HTTP/1.1\r\n\r\n'));
    expect(closedPort.status).toBe(503);
    expect(JSON.parse(closedPort.body).message).toMatch(/Could not reach 127\.0\.0\.1:1/);
  });

  it('closes promptly with a tunnel still open', async () => {
    const other = await liveServer({ proxyPassthrough: 'loopback' });
    const ca = readFileSync(other.server.ca.file, 'utf8');
    const agent = new ProxyAgent({ uri: other.server.http!.url, requestTls: { ca } });
    const res = await request('https://pay-api.amazon.com/__admin/health', { dispatcher: agent });
    await res.body.dump();
    const t0 = Date.now();
    await other.close();
    expect(Date.now() - t0).toBeLessThan(5000);
    await agent.close();
  });
});
