import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readySessionBody, testApp, type TestApp } from '../helpers/testApp.js';

let t: TestApp;
beforeAll(async () => {
  t = await testApp({ scenariosDir: 'fixtures/scenarios' });
});
afterAll(async () => {
  await t.close();
});

async function completeWithReference(reference: string, paymentDetails: Record<string, unknown> = {}) {
  const created = await t.call(
    'POST',
    '/v2/checkoutSessions',
    readySessionBody({
      merchantMetadata: { merchantReferenceId: reference },
      paymentDetails: { paymentIntent: 'Authorize', canHandlePendingAuthorization: true, chargeAmount: { amount: '50.00', currencyCode: 'USD' }, ...paymentDetails },
    }),
  );
  const id = created.body.checkoutSessionId;
  const completed = await t.call('POST', `/v2/checkoutSessions/${id}/complete`, { chargeAmount: { amount: '50.00', currencyCode: 'USD' } });
  const session = await t.call('GET', `/v2/checkoutSessions/${id}`);
  return { completed, session: session.body };
}

describe('shipped scenario files', () => {
  it('completes with 200 for scenario:approved', async () => {
    const { completed } = await completeWithReference('scenario:approved');
    expect(completed.status).toBe(200);
  });

  it('answers 202 for scenario:pending and settles the charge to Authorized', async () => {
    const { completed } = await completeWithReference('scenario:pending');
    expect(completed.status).toBe(202);
    const charge = async () => (await t.app.mock.store.read<any>('AMZNPAYMOCKDEMO000000001', 'charges', completed.body.chargeId)).charge;
    expect((await charge()).statusDetails.state).toBe('AuthorizationInitiated');
    t.clock.advance(31_000);
    await t.app.mock.settler.settleAll();
    expect((await charge()).statusDetails.state).toBe('Authorized');
  });

  it('answers 409 AmountMismatch for scenario:amount-mismatch although the amounts agree', async () => {
    const { completed, session } = await completeWithReference('scenario:amount-mismatch');
    expect(completed.status).toBe(409);
    expect(completed.body.reasonCode).toBe('AmountMismatch');
    expect(session.statusDetails.state).toBe('Open');
  });

  it.each([
    ['scenario:declined', 'Declined', 'CheckoutSessionCanceled'],
    ['scenario:buyer-canceled', 'BuyerCanceled', 'CheckoutSessionCanceled'],
    ['scenario:expired', 'Expired', 'InvalidCheckoutSessionStatus'],
  ])('for %s cancels the session (%s) and answers 422 %s', async (reference, reason, code) => {
    const { completed, session } = await completeWithReference(reference);
    expect(completed.status).toBe(422);
    expect(completed.body.reasonCode).toBe(code);
    expect(session.statusDetails).toMatchObject({ state: 'Canceled', reasonCode: reason });
  });

  it('throttles one 13.37 USD call after a delay, then lets the retry through', async () => {
    const body = readySessionBody({ paymentDetails: { paymentIntent: 'Authorize', chargeAmount: { amount: '13.37', currencyCode: 'USD' } } });
    const started = Date.now();
    const first = await t.call('POST', '/v2/checkoutSessions', body);
    expect(Date.now() - started).toBeGreaterThanOrEqual(190);
    expect(first.status).toBe(429);
    expect(first.body.reasonCode).toBe('TooManyRequests');
    expect((await t.call('POST', '/v2/checkoutSessions', body)).status).toBe(201);
  });
});

describe('scenarios through the control API', () => {
  it('applies a posted rule the given number of times, for the merchant named only', async () => {
    const posted = await t.raw({
      method: 'POST',
      url: '/__admin/scenarios?merchant=SANDBOX-AMZNPAYMOCKDEMO000000001',
      payload: { name: 'create-fails-twice', match: { operation: 'createCheckoutSession' }, outcome: { kind: 'error', reasonCode: 'ServiceUnavailable' }, times: 2 },
    });
    expect(posted.status).toBe(201);
    expect(posted.body.rules[0]).toMatchObject({ name: 'create-fails-twice', merchant: 'AMZNPAYMOCKDEMO000000001', times: 2 });
    expect((await t.call('POST', '/v2/checkoutSessions', readySessionBody())).status).toBe(503);
    expect((await t.call('POST', '/v2/checkoutSessions', readySessionBody())).status).toBe(503);
    expect((await t.call('POST', '/v2/checkoutSessions', readySessionBody())).status).toBe(201);
  });

  it('does not apply another merchant\'s rule', async () => {
    await t.raw({ method: 'POST', url: '/__admin/scenarios?merchant=SOMEONEELSE', payload: { name: 'other', match: { operation: '*' }, outcome: { kind: 'error', reasonCode: 'ServiceUnavailable' } } });
    expect((await t.call('POST', '/v2/checkoutSessions', readySessionBody())).status).toBe(201);
  });

  it('rejects an invalid rule with 400 and adds nothing', async () => {
    const before = (await t.raw({ method: 'GET', url: '/__admin/scenarios' })).body.rules.length;
    const res = await t.raw({ method: 'POST', url: '/__admin/scenarios', payload: [{ name: 'ok', match: { operation: '*' }, outcome: { kind: 'normal' } }, { name: 'bad', match: { operation: 'fly' }, outcome: { kind: 'normal' } }] });
    expect(res.status).toBe(400);
    expect(res.body.reasonCode).toBe('InvalidParameterValue');
    expect((await t.raw({ method: 'GET', url: '/__admin/scenarios' })).body.rules.length).toBe(before);
  });

  it('clears control-API rules on reset but keeps the file rules', async () => {
    await t.raw({ method: 'POST', url: '/__admin/scenarios', payload: { name: 'temp', match: { operation: '*' }, outcome: { kind: 'normal' } } });
    await t.raw({ method: 'POST', url: '/__admin/reset' });
    const rules = (await t.raw({ method: 'GET', url: '/__admin/scenarios' })).body.rules;
    expect(rules.every((r: any) => r.source !== 'control-api')).toBe(true);
    expect(rules.length).toBeGreaterThan(0);
  });
});
