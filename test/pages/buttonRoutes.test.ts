import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AmazonPay } from '../helpers/runningServer.js';
import { demoKeyIds, demoPrivateKey } from '../helpers/demoKeys.js';
import { storeId, testApp, type TestApp } from '../helpers/testApp.js';
import type { Put } from '../../server/domain/writes.js';
import { MemoryStore } from '../../server/store/memoryStore.js';
import { submit } from './pageTestKit.js';

/** The button's POSTs at the HTTP level (the browser journey is test/e2e/checkoutButton.browser.test.ts). */

let t: TestApp;
beforeAll(async () => {
  t = await testApp();
});
afterAll(async () => {
  await t.close();
});

const algorithm = 'AMZN-PAY-RSASSA-PSS-V2';
const signer = new AmazonPay.WebStoreClient({ publicKeyId: demoKeyIds.sandbox, privateKey: demoPrivateKey, region: 'us', sandbox: true, algorithm });

/** What checkout.js posts for a button with this payload, signed by the official Node SDK. */
function buttonFields(payload: object, overrides: Record<string, string> = {}): Record<string, string> {
  const payloadJSON = JSON.stringify(payload);
  return {
    payloadJSON,
    signature: signer.generateButtonSignature(payloadJSON),
    publicKeyId: demoKeyIds.sandbox,
    algorithm,
    productType: 'PayAndShip',
    merchantId: 'A2MOCKMERCHANT',
    ledgerCurrency: 'USD',
    placement: 'Cart',
    sandbox: 'true',
    origin: 'https://shop.example/cart',
    ...overrides,
  };
}

const journal = async (operation: string) => (await t.raw({ method: 'GET', url: `/__admin/requests?operation=${operation}&limit=1` })).body.requests[0];

describe('the checkout button (POST /checkout/start)', () => {
  it('keeps a long payload in the journal cut, as it keeps API bodies, refused signature or not', async () => {
    const long = 'x'.repeat(200_000);
    const payload = { storeId, webCheckoutDetails: { checkoutReviewReturnUrl: 'https://shop.example/review' }, merchantMetadata: { customInformation: long } };
    const refused = await submit(t, '/checkout/start', { ...buttonFields(payload), signature: 'A'.repeat(200_000) });
    expect(refused.status).toBe(403);
    const entry = await journal('checkoutButton');
    expect(entry.reasonCode).toBe('InvalidRequestSignature');
    expect(entry.request.body.payloadJSON.startsWith('{"storeId"')).toBe(true);
    expect(JSON.stringify(entry).length).toBeLessThan(100_000);
    expect(entry.signature.stringToSign).toMatch(/^AMZN-PAY-RSASSA-PSS-V2\n[0-9a-f]{64}$/);
  });

  it('journals a publicKeyId that is no key id under no merchant, and keeps it cut', async () => {
    const payload = { storeId, webCheckoutDetails: { checkoutReviewReturnUrl: 'https://shop.example/review' } };
    const refused = await submit(t, '/checkout/start', buttonFields(payload, { publicKeyId: `SANDBOX-${'K'.repeat(200_000)}` }));
    expect(refused.status).toBe(401);
    const entry = await journal('checkoutButton');
    expect(entry.reasonCode).toBe('UnauthorizedAccess');
    expect(entry).toMatchObject({ merchant: null, publicKeyId: null });
    expect(JSON.stringify(entry).length).toBeLessThan(40_000);
    // A well-formed key id nobody registered is still that merchant's call.
    await submit(t, '/checkout/start', buttonFields(payload, { publicKeyId: 'SANDBOX-NOTREGISTERED01' }));
    expect(await journal('checkoutButton')).toMatchObject({ merchant: 'NOTREGISTERED01', publicKeyId: 'SANDBOX-NOTREGISTERED01', reasonCode: 'UnauthorizedAccess' });
  });
});

describe('the journal entry of a button step', () => {
  /** A memory store whose commits take `delayMs` more: a slow disk or a distant Redis. */
  class SlowStore extends MemoryStore {
    delayMs = 0;
    override async commit(ns: string, puts: readonly Put[]): Promise<void> {
      if (puts.length) await new Promise((resolve) => setTimeout(resolve, this.delayMs));
      return super.commit(ns, puts);
    }
  }

  it('records the time the step took, from the request\'s start to its answer, as API calls are timed', async () => {
    const store = new SlowStore();
    const slow = await testApp({}, { store });
    try {
      const payload = { storeId, webCheckoutDetails: { checkoutReviewReturnUrl: 'https://shop.example/review' } };
      store.delayMs = 120;
      const fields = buttonFields(payload);
      const sentAt = Date.now();
      const started = await submit(slow, '/checkout/start', fields);
      const answeredAt = Date.now();
      expect(started.status).toBe(303);
      const entry = (await slow.raw({ method: 'GET', url: '/__admin/requests?operation=checkoutButton&limit=1' })).body.requests[0];
      expect(entry.status).toBe(303);
      expect(typeof entry.durationMs).toBe('number');
      // A lower bound only: the step waited for the slow commit, however busy the machine is.
      expect(entry.durationMs).toBeGreaterThanOrEqual(100);
      // Stamped with the request's start, as API entries are: start plus duration is no later than the answer.
      expect(Date.parse(entry.time)).toBeGreaterThanOrEqual(sentAt - 1);
      expect(Date.parse(entry.time) + entry.durationMs).toBeLessThanOrEqual(answeredAt + 1);

      // A refused step is timed too.
      store.delayMs = 0;
      await submit(slow, '/checkout/start', { ...buttonFields(payload), signature: 'AAAA' });
      const refused = (await slow.raw({ method: 'GET', url: '/__admin/requests?operation=checkoutButton&limit=1' })).body.requests[0];
      expect(refused.reasonCode).toBe('InvalidRequestSignature');
      expect(refused.durationMs).toBeGreaterThanOrEqual(0);
    } finally {
      await slow.close();
    }
  });
});
