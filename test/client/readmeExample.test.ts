// checkout.test.ts — the README's example, kept runnable here (test/docs checks they match).
import { createRequire } from 'node:module';
import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import { startMock, type StartedMock } from 'amazon-pay-mock';

const { WebStoreClient } = createRequire(import.meta.url)('@amazonpay/amazon-pay-api-sdk-nodejs');

let mock: StartedMock;
let client: any;

beforeAll(async () => {
  mock = await startMock({ buyerApproval: 'manual' }); // free ports, in-memory state
  client = new WebStoreClient(mock.sdkConfig); // the official SDK, pointed at the mock
});
afterAll(() => mock.close());
beforeEach(() => mock.control.reset());

async function readySession(amount = '25.00') {
  const created = await client.createCheckoutSession(
    {
      storeId: 'amzn1.application-oa2-client.0123456789abcdef0123456789abcdef',
      webCheckoutDetails: { checkoutReviewReturnUrl: 'https://shop.example/review', checkoutResultReturnUrl: 'https://shop.example/result' },
      paymentDetails: { paymentIntent: 'Authorize', canHandlePendingAuthorization: true, chargeAmount: { amount, currencyCode: 'USD' } },
    },
    { 'x-amz-pay-idempotency-key': crypto.randomUUID().replace(/-/g, '') },
  );
  return created.data.checkoutSessionId as string;
}

it('completes a checkout after the buyer pays with the default card', async () => {
  const id = await readySession();
  await mock.control.approveCheckoutSession(id, { card: '1111' });
  const done = await client.completeCheckoutSession(id, { chargeAmount: { amount: '25.00', currencyCode: 'USD' } });
  expect(done.status).toBe(200);
});

it('shows a pending authorization settling when the clock moves', async () => {
  const id = await readySession();
  await mock.control.approveCheckoutSession(id, { card: '0701' }); // pending, then authorized
  const done = await client.completeCheckoutSession(id, { chargeAmount: { amount: '25.00', currencyCode: 'USD' } });
  expect(done.status).toBe(202);
  await mock.control.advanceClock(31);
  const charge = await client.getCharge(done.data.chargeId);
  expect(charge.data.statusDetails.state).toBe('Authorized');
});

it('survives a throttled capture, as the journal shows', async () => {
  const id = await readySession();
  await mock.control.approveCheckoutSession(id);
  const { data } = await client.completeCheckoutSession(id, { chargeAmount: { amount: '25.00', currencyCode: 'USD' } });
  await mock.control.addFault({ operation: 'captureCharge', status: 429, times: 1 });
  const capture = () =>
    client.captureCharge(data.chargeId, { captureAmount: { amount: '25.00', currencyCode: 'USD' } }, { 'x-amz-pay-idempotency-key': `cap-${data.chargeId}` });
  await expect(capture()).rejects.toMatchObject({ response: { status: 429 } });
  expect((await capture()).status).toBe(200); // the retry with the same key succeeds
  const calls = await mock.control.requests({ operation: 'captureCharge' });
  expect(calls.map((c) => c.status)).toEqual([200, 429]);
});
