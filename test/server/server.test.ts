import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import tls from 'node:tls';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Agent, Client, request } from 'undici';
import type { FastifyInstance } from 'fastify';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { loadConfig, type Config } from '../../server/config.js';
import { ListenError, startServer, urlHost, type RunningServer } from '../../server/server.js';
import { signRequest } from '../../server/signing/signRequest.js';
import { demoKeyIds, demoPrivateKey } from '../helpers/demoKeys.js';

// buildApp, wrapped: records the config it gets and can run a step before the real build.
const buildHook = vi.hoisted(() => ({ configs: [] as Config[], before: null as null | ((config: Config) => Promise<void>) }));
vi.mock('../../server/app.js', async (importOriginal) => {
  const original = await importOriginal<typeof import('../../server/app.js')>();
  const realBuild = original.buildApp as (...args: unknown[]) => Promise<FastifyInstance>;
  return {
    ...original,
    buildApp: async (config: Config, ...rest: unknown[]) => {
      buildHook.configs.push(config);
      if (buildHook.before) await buildHook.before(config);
      return realBuild(config, ...rest);
    },
  };
});

let dataDir: string;
const insecure = new Agent({ connect: { rejectUnauthorized: false } });
const started: RunningServer[] = [];

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'apm-server-'));
});

afterEach(async () => {
  buildHook.before = null;
  await Promise.all(started.splice(0).map((s) => s.close()));
});

afterAll(async () => {
  await insecure.close();
  await rm(dataDir, { recursive: true, force: true });
});

function config(overrides: Partial<Config> = {}): Config {
  return loadConfig([], {}, { httpPort: 0, httpsPort: 0, dataDir, logLevel: 'silent', store: 'memory', ...overrides });
}

async function start(overrides: Partial<Config> = {}, closeTimeoutMs?: number): Promise<RunningServer> {
  const running = await startServer(config(overrides), undefined, closeTimeoutMs === undefined ? {} : { closeTimeoutMs });
  started.push(running);
  return running;
}

/** Resolves true when something accepts a TCP connection on the port. */
function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** Opens a raw connection and sends a POST whose body is one byte short, so the request stays in flight. */
async function halfSentRequest(port: number): Promise<{ socket: net.Socket; finish(): void; response: Promise<string> }> {
  const socket = net.connect({ host: '127.0.0.1', port });
  await new Promise((resolve, reject) => socket.once('connect', resolve).once('error', reject));
  let data = '';
  const response = new Promise<string>((resolve) => {
    socket.on('data', (chunk) => (data += chunk.toString('latin1')));
    socket.on('close', () => resolve(data));
  });
  socket.write('POST /__test/in-flight HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{');
  // Give the server time to parse the head and start waiting for the body.
  await new Promise((r) => setTimeout(r, 100));
  return { socket, finish: () => socket.write('}'), response };
}

describe('startServer', () => {
  it('serves the same app over HTTP and HTTPS on free ports', async () => {
    const running = await start();
    expect(running.http?.port).toBeGreaterThan(0);
    expect(running.https?.port).toBeGreaterThan(0);
    expect(running.http?.url).toBe(`http://127.0.0.1:${running.http?.port}`);
    expect(running.https?.url).toBe(`https://127.0.0.1:${running.https?.port}`);
    expect(running.certificate).toEqual({ source: 'ca', file: path.join(dataDir, 'tls', 'ca.pem'), names: ['localhost', '127.0.0.1', '::1'] });
    expect(running.ca).toMatchObject({ file: path.join(dataDir, 'tls', 'ca.pem'), source: expect.stringMatching(/^(generated|reused)$/) });

    const overHttp = await request(`${running.http!.url}/__admin/health`);
    expect(overHttp.statusCode).toBe(200);
    expect(await overHttp.body.json()).toMatchObject({ status: 'ok' });

    const overHttps = await request(`${running.https!.url}/__admin/health`, { dispatcher: insecure });
    expect(overHttps.statusCode).toBe(200);
    expect(await overHttps.body.json()).toMatchObject({ status: 'ok' });
  });

  it('presents a certificate that verifies for 127.0.0.1 and localhost when trusted', async () => {
    const running = await start({ http: false });
    expect(running.http).toBeNull();
    const port = running.https!.port;
    const trusting = new Agent({ connect: { ca: readFileSync(running.ca.file, 'utf8') } });
    try {
      for (const host of ['127.0.0.1', 'localhost']) {
        const res = await request(`https://${host}:${port}/__admin/health`, { dispatcher: trusting });
        expect(res.statusCode).toBe(200);
        await res.body.dump();
      }
    } finally {
      await trusting.close();
    }
  });

  it('serves only HTTP when HTTPS is off (the CA is still made, for the proxy)', async () => {
    const running = await start({ https: false, dataDir: path.join(dataDir, 'no-tls') });
    expect(running.https).toBeNull();
    expect(running.certificate).toBeNull();
    const res = await request(`${running.http!.url}/__admin/health`);
    expect(res.statusCode).toBe(200);
    await res.body.dump();
  });

  it('close() resolves promptly despite idle keep-alive connections, frees both ports and closes the app', async () => {
    const running = await start();
    const { http, https } = running;
    const keepAlive = new Client(running.http!.url, { keepAliveTimeout: 60_000 });
    const res = await keepAlive.request({ path: '/__admin/health', method: 'GET' });
    await res.body.dump();
    const res2 = await request(`${https!.url}/__admin/health`, { dispatcher: insecure });
    await res2.body.dump();

    const t0 = Date.now();
    await running.close();
    expect(Date.now() - t0).toBeLessThan(1_000);
    expect(await accepts(http!.port)).toBe(false);
    expect(await accepts(https!.port)).toBe(false);
    // The app (and with it the store, through its onClose hooks) is closed too.
    await expect(running.app.inject('/__admin/health')).rejects.toMatchObject({ code: 'FST_ERR_REOPENED_CLOSE_SERVER' });
    await expect(running.close()).resolves.toBeUndefined();
    await keepAlive.close();
  });

  it('close() lets a request that is in flight finish, while refusing new connections', async () => {
    const running = await start({ https: false });
    const port = running.http!.port;
    const inFlight = await halfSentRequest(port);

    let closed = false;
    const closing = running.close().then(() => (closed = true));
    await new Promise((r) => setTimeout(r, 200));
    expect(closed).toBe(false);
    expect(await accepts(port)).toBe(false);

    inFlight.finish();
    const response = await inFlight.response;
    expect(response).toMatch(/^HTTP\/1\.1 \d{3} /);
    expect(response.toLowerCase()).toContain('connection: close');
    await closing;
    expect(closed).toBe(true);
  });

  it('answers a request sent before the client shut down its side of the connection (half-close), then closes, over HTTP, HTTPS and a proxy tunnel', async () => {
    const running = await start();
    // The answer must come after the client's FIN: every lookup is held back 150 ms.
    const fault = await request(`${running.http!.url}/__admin/faults`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ operation: 'getCheckoutSession', latencyMs: 150 }) });
    expect(fault.statusCode).toBeLessThan(300);
    await fault.body.dump();

    /** Sends one signed lookup, half-closes (FIN after its last byte), and reads everything until the server closes. */
    const halfClosedExchange = async (socket: net.Socket, origin: string) => {
      const signed = signRequest({ method: 'GET', url: `${origin}/v2/checkoutSessions/nope`, privateKey: demoPrivateKey, publicKeyId: demoKeyIds.sandbox, algorithm: 'AMZN-PAY-RSASSA-PSS-V2' });
      const target = new URL(signed.url);
      const head = [`GET ${target.pathname}${target.search} HTTP/1.1`, `Host: ${target.host}`, ...Object.entries(signed.headers).map(([name, value]) => `${name}: ${value}`)].join('\r\n');
      let data = '';
      const closed = new Promise<string>((resolve, reject) => {
        socket.on('data', (chunk: Buffer) => (data += chunk.toString('latin1')));
        socket.on('close', () => resolve(data));
        socket.on('error', reject);
      });
      socket.end(`${head}\r\n\r\n`);
      return closed;
    };
    const connected = <S extends net.Socket>(socket: S, event: 'connect' | 'secureConnect') => new Promise<S>((resolve, reject) => socket.once(event, () => resolve(socket)).once('error', reject));

    const plain = await halfClosedExchange(await connected(net.connect({ host: '127.0.0.1', port: running.http!.port }), 'connect'), running.http!.url);
    const secure = await halfClosedExchange(await connected(tls.connect({ host: '127.0.0.1', port: running.https!.port, rejectUnauthorized: false }), 'secureConnect'), running.https!.url);
    // Through the intercepting proxy: CONNECT, then TLS inside the tunnel.
    const raw = await connected(net.connect({ host: '127.0.0.1', port: running.http!.port }), 'connect');
    raw.write('CONNECT pay-api.amazon.com:443 HTTP/1.1\r\nHost: pay-api.amazon.com:443\r\n\r\n');
    await new Promise<void>((resolve) => raw.once('data', () => resolve()));
    const tunnelled = await halfClosedExchange(await connected(tls.connect({ socket: raw, servername: 'pay-api.amazon.com', rejectUnauthorized: false }), 'secureConnect'), 'https://pay-api.amazon.com');

    for (const answer of [plain, secure, tunnelled]) {
      // The whole answer: the lookup's Amazon-shaped 404, with its request id and body.
      expect(answer).toMatch(/^HTTP\/1\.1 404 /);
      expect(answer.toLowerCase()).toMatch(/\r\nx-amz-pay-request-id: \S+\r\n/);
      expect(answer).toMatch(/\r\n\r\n\{"reasonCode":"ResourceNotFound","message":"[^"]+"\}$/);
    }
  });

  it('close() is prompt after clients that hung up before or during the TLS handshake', async () => {
    const running = await start({ http: false });
    const port = running.https!.port;
    // One sends nothing and half-closes; one starts a handshake, then half-closes.
    const silent = net.connect({ host: '127.0.0.1', port });
    await new Promise((r) => silent.once('connect', r));
    silent.end();
    const halfway = net.connect({ host: '127.0.0.1', port });
    await new Promise((r) => halfway.once('connect', r));
    halfway.end(Buffer.from('16030100', 'hex')); // the first bytes of a TLS record, then the FIN
    await new Promise((r) => setTimeout(r, 100));
    const t0 = Date.now();
    await running.close();
    expect(Date.now() - t0).toBeLessThan(2_000);
    silent.destroy();
    halfway.destroy();
  });

  it('close() cuts a request that does not finish within the timeout', async () => {
    const running = await start({ https: false }, 300);
    const stuck = await halfSentRequest(running.http!.port);
    const t0 = Date.now();
    await running.close();
    const waited = Date.now() - t0;
    expect(waited).toBeGreaterThanOrEqual(250);
    expect(waited).toBeLessThan(3_000);
    await stuck.response;
    expect(stuck.socket.destroyed).toBe(true);
  });

  it('builds the app with the ports the listeners really got', async () => {
    const running = await start();
    const config = buildHook.configs.at(-1)!;
    expect(config.httpPort).toBe(running.http!.port);
    expect(config.httpsPort).toBe(running.https!.port);
  });

  it('holds a request that arrives while the app is being built until it is ready', async () => {
    let early: Promise<number> | undefined;
    buildHook.before = async (config) => {
      early = request(`http://127.0.0.1:${config.httpPort}/__admin/health`).then(async (res) => {
        await res.body.dump();
        return res.statusCode;
      });
      await new Promise((r) => setTimeout(r, 150));
    };
    await start({ https: false });
    expect(await early).toBe(200);
  });

  it('releases the ports when the app cannot be built', async () => {
    let ports: number[] = [];
    buildHook.before = async (config) => {
      ports = [config.httpPort, config.httpsPort];
      throw new Error('store is locked');
    };
    await expect(startServer(config())).rejects.toThrow('store is locked');
    expect(ports.every((p) => p > 0)).toBe(true);
    for (const port of ports) expect(await accepts(port)).toBe(false);
  });

  it('names the port and the flag when the HTTP port is taken', async () => {
    const blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as net.AddressInfo).port;
    try {
      const attempt = startServer(config({ httpPort: port, https: false }));
      await expect(attempt).rejects.toBeInstanceOf(ListenError);
      await expect(attempt).rejects.toThrow(new RegExp(`HTTP port ${port} on 127\\.0\\.0\\.1 is already in use; choose another with --http-port`));
      await expect(attempt).rejects.toMatchObject({ code: 'EADDRINUSE', port });
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
    }
  });

  it('closes the HTTP listener again when the HTTPS port is taken', async () => {
    const blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as net.AddressInfo).port;
    const httpPort = await freePort();
    try {
      await expect(startServer(config({ httpPort, httpsPort: port }))).rejects.toThrow(new RegExp(`HTTPS port ${port} .*--https-port`));
      expect(await accepts(httpPort)).toBe(false);
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
    }
  });
});

describe('urlHost', () => {
  it('maps wildcard binds to loopback and brackets IPv6', () => {
    expect(urlHost('0.0.0.0')).toBe('127.0.0.1');
    expect(urlHost('127.0.0.1')).toBe('127.0.0.1');
    expect(urlHost('::')).toBe('[::1]');
    expect(urlHost('::1')).toBe('[::1]');
    expect(urlHost('fd00::2')).toBe('[fd00::2]');
    expect(urlHost('localhost')).toBe('localhost');
  });
});

async function freePort(): Promise<number> {
  const probe = net.createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const port = (probe.address() as net.AddressInfo).port;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}
