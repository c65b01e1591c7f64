import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AmazonPay, useLiveServer } from '../helpers/runningServer.js';
import { demoKeyIds, demoPrivateKey } from '../helpers/demoKeys.js';
import { createBody } from '../proxy/proxyKit.js';

const suite = useLiveServer();
const saved = { HTTPS_PROXY: process.env.HTTPS_PROXY, NO_PROXY: process.env.NO_PROXY, no_proxy: process.env.no_proxy };

// What `amazon-pay-mock env` prints; axios (inside the SDK) reads it on every request.
beforeEach(() => {
  process.env.HTTPS_PROXY = suite.live.server.http!.url;
  delete process.env.NO_PROXY;
  delete process.env.no_proxy;
});

afterEach(() => {
  for (const [name, value] of Object.entries(saved)) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
});

describe('the official Node SDK through HTTPS_PROXY, with no overrideServiceUrl', () => {
  for (const [region, host] of [
    ['us', 'pay-api.amazon.com'],
    ['eu', 'pay-api.amazon.eu'],
    ['jp', 'pay-api.amazon.jp'],
  ] as const) {
    it(`reaches ${host} for region ${region}: create and get a checkout session, journaled with the host`, async () => {
      const client = new AmazonPay.WebStoreClient({ publicKeyId: demoKeyIds.sandbox, privateKey: demoPrivateKey, region, algorithm: 'AMZN-PAY-RSASSA-PSS-V2' });
      const created = await client.createCheckoutSession(JSON.parse(createBody), { 'x-amz-pay-idempotency-key': `proxy-sdk-${region}-${Date.now()}` });
      expect(created.status).toBe(201);
      const id = created.data.checkoutSessionId as string;
      const fetched = await client.getCheckoutSession(id);
      expect(fetched.data.checkoutSessionId).toBe(id);
      const journal = await suite.live.admin('GET', `/__admin/requests?objectId=${id}`);
      const entries = journal.body.requests ?? journal.body;
      expect(entries.map((e: any) => [e.operation, e.proxy])).toEqual([
        ['getCheckoutSession', { host, mode: 'absolute-form' }],
        ['createCheckoutSession', { host, mode: 'absolute-form' }],
      ]);
      // The SDK signed the real host, as it would for Amazon.
      expect(entries[1].request.headers['x-amz-pay-host']).toBe(host);
    });
  }
});
