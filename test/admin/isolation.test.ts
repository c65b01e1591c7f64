import { generateKeyPairSync } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signRequest } from '../../server/signing/signRequest.js';
import { readySessionBody, testApp, type TestApp } from '../helpers/testApp.js';

let t: TestApp;
const other = generateKeyPairSync('rsa', { modulusLength: 2048, privateKeyEncoding: { type: 'pkcs8', format: 'pem' }, publicKeyEncoding: { type: 'spki', format: 'pem' } });
const OTHER = 'SANDBOX-SECONDMERCHANT000001';

beforeAll(async () => {
  t = await testApp();
  t.app.mock.keys.add(OTHER, other.publicKey);
});
afterAll(async () => {
  await t.close();
});

/** A call signed by the second merchant. */
function otherCall(method: string, path: string, body?: unknown) {
  const text = body === undefined ? '' : JSON.stringify(body);
  const signed = signRequest({ method, url: `https://127.0.0.1:8443${path}`, body: text, privateKey: other.privateKey, publicKeyId: OTHER, headers: method === 'POST' ? { 'x-amz-pay-idempotency-key': `o-${Math.random().toString(36).slice(2)}` } : {} });
  return t.raw({ method: method as 'GET', url: path, headers: signed.headers, payload: text || undefined });
}

describe('per-merchant isolation', () => {
  it('does not let one merchant read another\'s session', async () => {
    const id = (await t.call('POST', '/v2/checkoutSessions', readySessionBody())).body.checkoutSessionId;
    expect((await t.call('GET', `/v2/checkoutSessions/${id}`)).status).toBe(200);
    const theirs = await otherCall('GET', `/v2/checkoutSessions/${id}`);
    expect(theirs.status).toBe(404);
  });

  it('moves one merchant\'s clock without moving the other\'s', async () => {
    const mine = (await t.call('POST', '/v2/checkoutSessions', readySessionBody())).body.checkoutSessionId;
    const theirs = (await otherCall('POST', '/v2/checkoutSessions', readySessionBody())).body.checkoutSessionId;
    const moved = await t.raw({ method: 'POST', url: `/__admin/clock?merchant=${OTHER}`, payload: { advanceSeconds: 86_400 } });
    expect(moved.body.offsetSeconds).toBe(86_400);
    expect((await t.raw({ method: 'GET', url: '/__admin/clock' })).body.offsetSeconds).toBe(0);
    expect((await otherCall('GET', `/v2/checkoutSessions/${theirs}`)).body.statusDetails).toMatchObject({ state: 'Canceled', reasonCode: 'Expired' });
    expect((await t.call('GET', `/v2/checkoutSessions/${mine}`)).body.statusDetails.state).toBe('Open');
    await t.raw({ method: 'POST', url: `/__admin/reset?merchant=${OTHER}` });
    expect((await t.raw({ method: 'GET', url: `/__admin/clock?merchant=${OTHER}` })).body.offsetSeconds).toBe(0);
  });

  it('keeps each merchant\'s journal apart and clears one without the other', async () => {
    await t.raw({ method: 'DELETE', url: '/__admin/requests' });
    await t.call('GET', '/v2/checkoutSessions/nope-1');
    await otherCall('GET', '/v2/checkoutSessions/nope-2');
    const mine = (await t.raw({ method: 'GET', url: '/__admin/requests?merchant=SANDBOX-AMZNPAYMOCKDEMO000000001' })).body.requests;
    expect(mine.map((r: any) => r.path)).toEqual(['/v2/checkoutSessions/nope-1']);
    await t.raw({ method: 'DELETE', url: `/__admin/requests?merchant=${OTHER}` });
    expect((await t.raw({ method: 'GET', url: '/__admin/requests' })).body.requests).toHaveLength(1);
  });
});
