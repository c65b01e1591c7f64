import { generateKeyPairSync } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SERVER_NAMESPACE } from '../../server/store/serverState.js';
import { testApp, type TestApp } from '../helpers/testApp.js';
import { expectAmazonAnswer } from '../helpers/amazonError.js';

let t: TestApp;
const second = generateKeyPairSync('rsa', { modulusLength: 2048, publicKeyEncoding: { type: 'spki', format: 'pem' }, privateKeyEncoding: { type: 'pkcs8', format: 'pem' } });

beforeAll(async () => {
  t = await testApp();
  expect((await t.raw({ method: 'POST', url: '/__admin/publicKeys', payload: { publicKeyId: 'SANDBOX-SECONDMERCHANT01', publicKey: second.publicKey } })).status).toBe(201);
  expect((await t.raw({ method: 'POST', url: '/__admin/clock', payload: { advanceSeconds: 3600 } })).status).toBe(200);
});
afterAll(() => t.close());

/** What the server keeps for itself: registered keys and the saved server clock. */
async function serverState() {
  const store = t.app.mock.store;
  return { keys: await store.readAll(SERVER_NAMESPACE, 'publicKeys'), settings: await store.readAll(SERVER_NAMESPACE, 'settings') };
}

// `SANDBOX-` / `LIVE-` alone leave no merchant; `~server` is where the server keeps its own state.
const notMerchants = ['SANDBOX-', 'LIVE-', 'sandbox-', SERVER_NAMESPACE, `SANDBOX-${SERVER_NAMESPACE}`, 'a b', 'x/y'];

describe('?merchant= names a merchant, or the request is refused and changes nothing', () => {
  it.each(notMerchants)('refuses merchant=%s on every control route that takes it with 400 InvalidParameterValue', async (value) => {
    const before = await serverState();
    const q = `merchant=${encodeURIComponent(value)}`;
    const requests = [
      { method: 'POST', url: `/__admin/reset?${q}` },
      { method: 'POST', url: `/__admin/clock?${q}`, payload: { advanceSeconds: 86_400 } },
      { method: 'GET', url: `/__admin/clock?${q}` },
      { method: 'POST', url: `/__admin/ipn?${q}`, payload: { urls: ['http://127.0.0.1:9/ipn'] } },
      { method: 'POST', url: `/__admin/buyers?${q}`, payload: {} },
      { method: 'GET', url: `/__admin/requests?${q}` },
      { method: 'DELETE', url: `/__admin/scenarios?${q}` },
    ] as const;
    for (const request of requests) {
      const res = await t.raw(request);
      expectAmazonAnswer(res, 400, 'InvalidParameterValue', `${request.method} ${request.url}`);
    }
    expect(await serverState()).toEqual(before);
    expect((await t.raw({ method: 'GET', url: '/__admin/clock' })).body.offsetSeconds).toBe(3600);
    expect(t.app.mock.clocks.for('')).toBe(t.app.mock.clocks.global); // no clock was made for an empty namespace
  });

  it('still takes every form of a key id', async () => {
    for (const value of ['SANDBOX-SECONDMERCHANT01', 'LIVE-SECONDMERCHANT01', 'SECONDMERCHANT01']) {
      expect((await t.raw({ method: 'GET', url: `/__admin/clock?merchant=${value}` })).status, value).toBe(200);
    }
  });
});
