import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MockControl, MockControlError } from '../../server/client/mockControl.js';
import { demoKeys, startMock, type StartedMock } from '../../server/testing/startMock.js';
import { AmazonPay } from '../helpers/runningServer.js';
import { readySessionBody } from '../helpers/testApp.js';

let mock: StartedMock;
let client: any;
const idem = () => ({ 'x-amz-pay-idempotency-key': `mc${Math.random().toString(36).slice(2)}` });

beforeAll(async () => {
  mock = await startMock({ buyerApproval: 'manual', ipnRetryDelaysMs: [] });
  client = new AmazonPay.WebStoreClient(mock.sdkConfig);
});
afterAll(async () => {
  await mock?.close();
});

describe('startMock', () => {
  it('starts HTTPS and HTTP listeners on free ports with the demo keys and a ready SDK configuration', async () => {
    expect(mock.overrideServiceUrl).toMatch(/^127\.0\.0\.1:\d+$/);
    expect(mock.sdkConfig).toMatchObject({ publicKeyId: demoKeys.publicKeyId, overrideServiceUrl: mock.overrideServiceUrl, region: 'us' });
    expect(mock.privateKey).toContain('PRIVATE KEY');
    expect((await mock.control.health()).status).toBe('ok');
  });

  it('removes the data dir it made when the start fails, and reports why', async () => {
    const tmp = mkdtempSync(path.join(os.tmpdir(), 'startmock-fail-'));
    const saved = process.env.TMPDIR;
    process.env.TMPDIR = tmp; // where startMock makes its own data dir
    try {
      await expect(startMock({ httpsPort: 70_000 })).rejects.toThrow(/httpsPort: 70000 is not a TCP port/);
      await expect(startMock({ https: false })).rejects.toThrow(/needs both listeners/);
      const taken = http.createServer();
      await new Promise<void>((r) => taken.listen(0, '127.0.0.1', r));
      try {
        await expect(startMock({ httpPort: (taken.address() as AddressInfo).port })).rejects.toThrow(/already in use/);
      } finally {
        await new Promise((r) => taken.close(r));
      }
      expect(readdirSync(tmp)).toEqual([]);
    } finally {
      if (saved === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = saved;
      rmSync(tmp, { recursive: true, force: true });
    }
  });
});

describe('MockControl', () => {
  it('approves a session, moves the clock, lists the journal and resets its merchant', async () => {
    const id = (await client.createCheckoutSession(readySessionBody(), idem())).data.checkoutSessionId;
    const approved = await mock.control.approveCheckoutSession(id, { card: '4444', buyer: { name: 'Grace Hopper' } });
    expect((approved.buyer as any).name).toBe('Grace Hopper');
    const clock = await mock.control.advanceClock(3600);
    expect(clock.offsetSeconds).toBe(3600);
    expect((await mock.control.forMerchant('SOMEONE-ELSE').clock()).offsetSeconds).toBe(0);
    const calls = await mock.control.requests({ objectId: id });
    expect(calls.map((c) => c.operation)).toContain('createCheckoutSession');
    await mock.control.reset();
    expect((await mock.control.clock()).offsetSeconds).toBe(0);
    expect(await mock.control.requests()).toHaveLength(0);
  });

  it('sets, freezes and thaws the clock', async () => {
    const control = mock.control.forMerchant('CLOCK-TEST');
    const set = await control.setClock('2031-05-01T00:00:00Z', { frozen: true });
    expect(set).toMatchObject({ now: '2031-05-01T00:00:00.000Z', frozen: true });
    await new Promise((r) => setTimeout(r, 20));
    expect((await control.clock()).now).toBe('2031-05-01T00:00:00.000Z');
    expect((await control.thawClock()).frozen).toBe(false);
    expect((await control.freezeClock()).frozen).toBe(true);
    expect((await control.setClock(new Date('2032-01-01T00:00:00Z'))).frozen).toBe(true);
    await control.reset();
  });

  it('scripts outcomes and faults, then clears them', async () => {
    await mock.control.addScenarios({ name: 'decline-next', match: { operation: 'createCheckoutSession' }, outcome: { kind: 'error', reasonCode: 'InvalidRequest' }, times: 1 });
    await expect(client.createCheckoutSession(readySessionBody(), idem())).rejects.toMatchObject({ response: { status: 400 } });
    await mock.control.addFault({ operation: 'getCheckoutSession', status: 503 });
    expect((await mock.control.listFaults()).faults).toHaveLength(1);
    await mock.control.clearFaults();
    await mock.control.clearScenarios();
    expect((await mock.control.listScenarios()).rules.every((r: any) => r.source !== 'control-api')).toBe(true);
  });

  it('issues buyer tokens that getBuyer resolves', async () => {
    const { buyerToken } = await mock.control.issueBuyerToken({ buyer: { name: 'Ada' } });
    const buyer = await client.getBuyer(buyerToken);
    expect(buyer.data.name).toBe('Ada');
  });

  it('registers a key and lists it', async () => {
    const { generateKeyPairSync } = await import('node:crypto');
    const { publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048, publicKeyEncoding: { type: 'spki', format: 'pem' }, privateKeyEncoding: { type: 'pkcs8', format: 'pem' } });
    await mock.control.registerPublicKey('SANDBOX-CLIENTKEY00000000001', publicKey);
    expect((await mock.control.listPublicKeys()).publicKeys.map((k) => k.publicKeyId)).toContain('SANDBOX-CLIENTKEY00000000001');
  });

  it('configures IPN endpoints and reads the outbox', async () => {
    const received: string[] = [];
    const receiver = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c)).on('end', () => {
        received.push(body);
        res.end();
      });
    });
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
    try {
      const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/ipn`;
      await mock.control.setIpnEndpoints({ urls: [url], signed: false });
      const id = (await client.createCheckoutSession(readySessionBody(), idem())).data.checkoutSessionId;
      await mock.control.approveCheckoutSession(id);
      await client.completeCheckoutSession(id, { chargeAmount: { amount: '50.00', currencyCode: 'USD' } });
      await mock.server.app.mock.ipn.flush();
      const deliveries = await mock.control.ipnDeliveries({ status: 'delivered' });
      expect(deliveries.length).toBeGreaterThan(0);
      expect(received).toHaveLength(deliveries.length);
      expect(JSON.parse(received[0]!).Signature).toBe('');
    } finally {
      await new Promise((r) => receiver.close(r));
    }
  });

  it('throws MockControlError with Amazon\'s reasonCode', async () => {
    const err = await mock.control.approveCheckoutSession('no-such-session').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MockControlError);
    expect(err).toMatchObject({ status: 404, reasonCode: 'ResourceNotFound' });
  });

  it('replaces a registered key only when asked to (the route\'s "replace": true)', async () => {
    const { generateKeyPairSync } = await import('node:crypto');
    const pem = () => generateKeyPairSync('rsa', { modulusLength: 2048, publicKeyEncoding: { type: 'spki', format: 'pem' }, privateKeyEncoding: { type: 'pkcs8', format: 'pem' } }).publicKey;
    const id = 'SANDBOX-CLIENTKEYREPLACE0000001';
    await mock.control.registerPublicKey(id, pem());
    const second = pem();
    await expect(mock.control.registerPublicKey(id, second)).rejects.toMatchObject({ status: 409, reasonCode: 'PublicKeyIdInUse' });
    const replaced = await mock.control.registerPublicKey(id, second, { replace: true });
    expect((await mock.control.listPublicKeys()).publicKeys).toContainEqual({ publicKeyId: id, fingerprint: replaced.fingerprint });
  });

  it('throws MockControlError, not a JSON SyntaxError, when something other than the mock answers (a proxy\'s 502 page)', async () => {
    const proxy = http.createServer((req, res) => {
      const ok = req.url!.includes('health');
      res.writeHead(ok ? 200 : 502, { 'content-type': 'text/html' }).end(ok ? '<html>welcome</html>' : '<html><h1>502 Bad Gateway</h1></html>');
    });
    await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r));
    try {
      const control = new MockControl({ baseUrl: `http://127.0.0.1:${(proxy.address() as AddressInfo).port}` });
      const failed = await control.reset().catch((e: unknown) => e);
      expect(failed).toBeInstanceOf(MockControlError);
      expect(failed).toMatchObject({ status: 502, message: expect.stringContaining('502 Bad Gateway') });
      const notJson = await control.health().catch((e: unknown) => e);
      expect(notJson).toBeInstanceOf(MockControlError);
      expect(notJson).toMatchObject({ status: 200, message: expect.stringMatching(/not JSON.*welcome/) });
    } finally {
      await new Promise((r) => proxy.close(r));
    }
  });

  it('sends the bearer token when the server requires one', async () => {
    const locked = await startMock({ adminToken: 'tok' });
    try {
      await expect(new MockControl({ baseUrl: locked.httpUrl }).clock()).rejects.toMatchObject({ status: 401 });
      expect((await locked.control.clock()).frozen).toBe(false);
    } finally {
      await locked.close();
    }
  });
});
