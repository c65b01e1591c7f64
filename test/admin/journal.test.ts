import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoKeyIds, demoPrivateKey } from '../helpers/demoKeys.js';
import { readySessionBody, testApp, type TestApp } from '../helpers/testApp.js';
import { signRequest } from '../../server/signing/signRequest.js';

let t: TestApp;
beforeAll(async () => {
  t = await testApp({ journalSize: 5 });
});
afterAll(async () => {
  await t.close();
});

const journal = async (query = '') => (await t.raw({ method: 'GET', url: `/__admin/requests${query}` })).body.requests as any[];

describe('request journal', () => {
  it('records each call with operation, status, shortened signature, bodies and the object ids', async () => {
    await t.raw({ method: 'DELETE', url: '/__admin/requests' });
    const created = await t.call('POST', '/v2/checkoutSessions', readySessionBody());
    const [entry] = await journal();
    expect(entry).toMatchObject({
      merchant: 'AMZNPAYMOCKDEMO000000001',
      publicKeyId: demoKeyIds.sandbox,
      operation: 'createCheckoutSession',
      method: 'POST',
      path: '/v2/checkoutSessions',
      status: 201,
      reasonCode: null,
      replayed: false,
      objectIds: [created.body.checkoutSessionId],
      signature: null,
    });
    expect(entry.request.headers.authorization).toMatch(/Signature=\S{12}…$/);
    expect(entry.request.body.storeId).toBe(readySessionBody().storeId);
    expect(entry.response.body.checkoutSessionId).toBe(created.body.checkoutSessionId);
    expect(entry.durationMs).toBeGreaterThanOrEqual(0);
  });

  it('keeps the canonical request and string to sign the server computed for a signature failure', async () => {
    const signed = signRequest({ method: 'GET', url: 'https://127.0.0.1:8443/v2/checkoutSessions/abc', privateKey: demoPrivateKey, publicKeyId: demoKeyIds.sandbox });
    await t.raw({ method: 'GET', url: '/v2/checkoutSessions/abd', headers: signed.headers });
    const [entry] = await journal('?status=403');
    expect(entry.reasonCode).toBe('InvalidRequestSignature');
    expect(entry.merchant).toBe('AMZNPAYMOCKDEMO000000001');
    expect(entry.signature.canonicalRequest).toContain('GET\n/v2/checkoutSessions/abd\n');
    expect(entry.signature.stringToSign).toMatch(/^AMZN-PAY-RSASSA-PSS\n[0-9a-f]{64}$/);
  });

  it('filters by operation, object id and time, newest first, within a limit', async () => {
    const id = (await t.call('POST', '/v2/checkoutSessions', readySessionBody())).body.checkoutSessionId;
    const since = new Date().toISOString();
    await t.call('GET', `/v2/checkoutSessions/${id}`);
    expect((await journal(`?objectId=${id}`)).map((e) => e.operation)).toEqual(['getCheckoutSession', 'createCheckoutSession']);
    expect((await journal(`?operation=getCheckoutSession&since=${encodeURIComponent(since)}`)).every((e) => e.operation === 'getCheckoutSession')).toBe(true);
    expect(await journal('?limit=1')).toHaveLength(1);
  });

  it('drops the oldest entries beyond its size', async () => {
    for (let i = 0; i < 7; i++) await t.call('GET', `/v2/checkoutSessions/n${i}`);
    const entries = await journal('?limit=100');
    expect(entries).toHaveLength(5);
    expect(entries[0].path).toBe('/v2/checkoutSessions/n6');
  });

  it('does not record control-API calls', async () => {
    await t.raw({ method: 'DELETE', url: '/__admin/requests' });
    await t.raw({ method: 'GET', url: '/__admin/clock' });
    expect(await journal()).toHaveLength(0);
  });

  it.each(['?status=abc', '?since=yesterday', '?colour=red', '?limit=-1'])('answers a bad filter %s with 400', async (query) => {
    const res = await t.raw({ method: 'GET', url: `/__admin/requests${query}` });
    expect(res.status).toBe(400);
  });
});

describe('request journal times', () => {
  it('stamps entries with the app\'s real-time source, not the process clock', async () => {
    // Four minutes ahead: still within the signature's allowed clock skew.
    const ahead = 4 * 60_000;
    const shifted = await testApp({}, { wallTime: () => Date.now() + ahead });
    try {
      await shifted.call('POST', '/v2/checkoutSessions', readySessionBody());
      const [entry] = (await shifted.raw({ method: 'GET', url: '/__admin/requests' })).body.requests as any[];
      expect(Date.parse(entry.time) - Date.now()).toBeGreaterThan(ahead - 30_000);
    } finally {
      await shifted.close();
    }
  });
});
