import { describe, expect, it } from 'vitest';
import { readySessionBody } from '../helpers/testApp.js';
import { sdkError, useLiveServer } from '../helpers/runningServer.js';
import { idem } from './flows.js';

/** Amazon's Charge and Refund pages: softDescriptor is not supported in JP. */
const suite = useLiveServer();
const jpy = (amount: string) => ({ amount, currencyCode: 'JPY' });

async function jpPermission(client: any, amount: string, intent = 'Confirm') {
  const created = await client.createCheckoutSession(readySessionBody({ paymentDetails: { paymentIntent: intent, chargeAmount: jpy(amount) } }), idem());
  const done = await client.completeCheckoutSession(created.data.checkoutSessionId, { chargeAmount: jpy(amount) });
  expect(done.status).toBe(200);
  return done.data as { chargePermissionId: string; chargeId: string | null };
}

describe('softDescriptor is refused in JP (Charge, Refund)', () => {
  it('createCharge with captureNow and a softDescriptor: 400 InvalidParameterValue in JP, accepted in NA', async () => {
    const jp = suite.live.sdk({ region: 'jp' });
    const { chargePermissionId } = await jpPermission(jp, '5000');
    const refused = await sdkError(jp.createCharge({ chargePermissionId, chargeAmount: jpy('5000'), captureNow: true, softDescriptor: 'SHOP' }, idem()));
    expect(refused.status).toBe(400);
    expect(refused.body.reasonCode).toBe('InvalidParameterValue');
    expect(refused.body.message).toContain('softDescriptor');
    const plain = await jp.createCharge({ chargePermissionId, chargeAmount: jpy('5000'), captureNow: true }, idem());
    expect(plain.status).toBe(201);
    expect(plain.data.softDescriptor).toBeNull();
  });

  it('captureCharge and createRefund with a softDescriptor are refused in JP', async () => {
    const jp = suite.live.sdk({ region: 'jp' });
    const { chargeId } = await jpPermission(jp, '3000', 'Authorize');
    const capture = await sdkError(jp.captureCharge(chargeId!, { captureAmount: jpy('3000'), softDescriptor: 'SHOP' }, idem()));
    expect(capture.body.reasonCode).toBe('InvalidParameterValue');
    expect((await jp.getCharge(chargeId!)).data.statusDetails.state).toBe('Authorized');
    await jp.captureCharge(chargeId!, { captureAmount: jpy('3000') }, idem());
    const refund = await sdkError(jp.createRefund({ chargeId, refundAmount: jpy('100'), softDescriptor: 'SHOP' }, idem()));
    expect(refund.body.reasonCode).toBe('InvalidParameterValue');
  });

  it('is accepted in the US', async () => {
    const created = await suite.client.createCheckoutSession(readySessionBody({ paymentDetails: { paymentIntent: 'Authorize', chargeAmount: { amount: '9.00', currencyCode: 'USD' } } }), idem());
    const done = await suite.client.completeCheckoutSession(created.data.checkoutSessionId, { chargeAmount: { amount: '9.00', currencyCode: 'USD' } });
    const captured = await suite.client.captureCharge(done.data.chargeId, { captureAmount: { amount: '9.00', currencyCode: 'USD' }, softDescriptor: 'SHOP' }, idem());
    expect(captured.data.softDescriptor).toBe('SHOP');
  });
});
