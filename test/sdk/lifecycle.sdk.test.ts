import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sdkError, useLiveServer } from '../helpers/runningServer.js';
import {
  advanceClock,
  authorizedCharge,
  capturedCharge,
  chargeablePermission,
  chargeStatus,
  checkout,
  DEMO_NS,
  idem,
  permissionStatus,
  usd,
} from './flows.js';

const PENDING_DELAY = 30;

const suite = useLiveServer({ pendingDelaySeconds: PENDING_DELAY });

describe('official Node SDK: authorize -> capture -> refund', () => {
  it('drives a OneTime order from completion to a settled refund', async () => {
    const { completed, chargePermissionId, chargeId } = await checkout(suite.client, { intent: 'Authorize', amount: '100.00' });
    expect(completed.status).toBe(200);
    expect(chargeId).toMatch(new RegExp(`^${chargePermissionId}-C\\d{6}$`));

    // The permission is busy while the authorization is open.
    const busy = await permissionStatus(suite.client, chargePermissionId);
    expect(busy.state).toBe('NonChargeable');
    expect(busy.reasons?.map((r) => r.reasonCode)).toEqual(['ChargeInProgress']);
    expect(busy.limits).toEqual({ amountLimit: usd('100.00'), amountBalance: usd('100.00') });

    const authorized = await suite.client.getCharge(chargeId);
    expect(authorized.status).toBe(200);
    expect(authorized.data).toMatchObject({
      chargeId,
      chargePermissionId,
      chargeAmount: usd('100.00'),
      captureAmount: null,
      refundedAmount: null,
      statusDetails: { state: 'Authorized', reasonCode: null },
      releaseEnvironment: 'Sandbox',
    });

    const captured = await suite.client.captureCharge(chargeId, { captureAmount: usd('60.00') }, idem());
    expect(captured.status).toBe(200);
    expect(captured.data.statusDetails.state).toBe('Captured');
    expect(captured.data.captureAmount).toEqual(usd('60.00'));
    expect(captured.data.refundedAmount).toEqual(usd('0.00'));

    const afterCapture = await permissionStatus(suite.client, chargePermissionId);
    expect(afterCapture.state).toBe('Chargeable');
    expect(afterCapture.reasons).toBeNull();
    expect(afterCapture.limits).toEqual({ amountLimit: usd('100.00'), amountBalance: usd('40.00') });

    const refund = await suite.client.createRefund({ chargeId, refundAmount: usd('25.00') }, idem());
    expect(refund.status).toBe(201);
    expect(refund.data.refundId).toMatch(new RegExp(`^${chargePermissionId}-R\\d{6}$`));
    expect(refund.data).toMatchObject({ chargeId, refundAmount: usd('25.00'), statusDetails: { state: 'RefundInitiated' }, releaseEnvironment: 'Sandbox' });

    // Refunds are asynchronous: nothing moves until the pending delay has passed.
    expect((await suite.client.getRefund(refund.data.refundId)).data.statusDetails.state).toBe('RefundInitiated');
    expect((await suite.client.getCharge(chargeId)).data.refundedAmount).toEqual(usd('0.00'));

    await advanceClock(suite.live, PENDING_DELAY);
    const settled = await suite.client.getRefund(refund.data.refundId);
    expect(settled.status).toBe(200);
    expect(settled.data.statusDetails).toMatchObject({ state: 'Refunded', reasonCode: null });
    const charge = await suite.client.getCharge(chargeId);
    expect(charge.data.refundedAmount).toEqual(usd('25.00'));
    expect(charge.data.captureAmount).toEqual(usd('60.00'));
    expect(charge.data.statusDetails.state).toBe('Captured');
  });

  it('updates refundedAmount when the refund settles, even if nobody polls the refund', async () => {
    const { chargeId } = await capturedCharge(suite.client, '40.00');
    const refund = await suite.client.createRefund({ chargeId, refundAmount: usd('10.00') }, idem());
    expect(refund.status).toBe(201);
    await advanceClock(suite.live, PENDING_DELAY + 1);
    expect((await suite.client.getCharge(chargeId)).data.refundedAmount).toEqual(usd('10.00'));
    expect((await suite.client.getRefund(refund.data.refundId)).data.statusDetails.state).toBe('Refunded');
  });
});

describe('official Node SDK: partial refunds up to captured + min(15 %, 75 USD)', () => {
  it.each([
    // captured, refunds that reach the limit exactly, the limit
    { captured: '100.00', refunds: ['50.00', '40.00', '25.00'], limit: '115.00' }, // 15 % = 15.00 < 75
    { captured: '1000.00', refunds: ['600.00', '400.00', '75.00'], limit: '1075.00' }, // 15 % = 150.00 > 75
  ])('refunds $captured captured in parts up to $limit, then answers 400 TransactionAmountExceeded', async ({ captured, refunds, limit }) => {
    const chargePermissionId = await chargeablePermission(suite.client, captured);
    const created = await suite.client.createCharge({ chargePermissionId, chargeAmount: usd(captured), captureNow: true }, idem());
    expect(created.status).toBe(201);
    expect(created.data.statusDetails.state).toBe('Captured');
    const chargeId = created.data.chargeId;

    const refundIds: string[] = [];
    for (const amount of refunds) {
      const refund = await suite.client.createRefund({ chargeId, refundAmount: usd(amount) }, idem());
      expect(refund.status).toBe(201);
      expect(refund.data.statusDetails.state).toBe('RefundInitiated');
      refundIds.push(refund.data.refundId);
    }
    expect(new Set(refundIds).size).toBe(refunds.length);

    const over = await sdkError(suite.client.createRefund({ chargeId, refundAmount: usd('0.01') }, idem()));
    expect(over.status).toBe(400);
    expect(over.body.reasonCode).toBe('TransactionAmountExceeded');

    await advanceClock(suite.live, PENDING_DELAY);
    for (const id of refundIds) expect((await suite.client.getRefund(id)).data.statusDetails.state).toBe('Refunded');
    expect((await suite.client.getCharge(chargeId)).data.refundedAmount).toEqual(usd(limit));
    // Still nothing more once they have all settled.
    const after = await sdkError(suite.client.createRefund({ chargeId, refundAmount: usd('0.01') }, idem()));
    expect(after.status).toBe(400);
    expect(after.body.reasonCode).toBe('TransactionAmountExceeded');
  });

  it('bases the allowance on the captured amount, not the authorized one', async () => {
    const { chargeId } = await authorizedCharge(suite.client, '100.00');
    await suite.client.captureCharge(chargeId, { captureAmount: usd('40.00') }, idem());
    const over = await sdkError(suite.client.createRefund({ chargeId, refundAmount: usd('46.01') }, idem()));
    expect(over.status).toBe(400);
    expect(over.body.reasonCode).toBe('TransactionAmountExceeded');
    expect((await suite.client.createRefund({ chargeId, refundAmount: usd('46.00') }, idem())).status).toBe(201);
  });

  it('refuses a single refund above the allowance without creating anything', async () => {
    const { chargeId } = await capturedCharge(suite.client, '100.00');
    const err = await sdkError(suite.client.createRefund({ chargeId, refundAmount: usd('115.01') }, idem()));
    expect(err.status).toBe(400);
    expect(err.body.reasonCode).toBe('TransactionAmountExceeded');
    const exact = await suite.client.createRefund({ chargeId, refundAmount: usd('115.00') }, idem());
    expect(exact.status).toBe(201);
  });
});

describe('official Node SDK: cancel charge', () => {
  it('cancels an Authorized charge (Canceled/MerchantCanceled) and the permission becomes Chargeable again', async () => {
    const { chargePermissionId, chargeId } = await authorizedCharge(suite.client, '30.00');
    expect((await permissionStatus(suite.client, chargePermissionId)).state).toBe('NonChargeable');

    const canceled = await suite.client.cancelCharge(chargeId, { cancellationReason: 'Out of stock' });
    expect(canceled.status).toBe(200);
    expect(canceled.data.chargeId).toBe(chargeId);
    expect(canceled.data.statusDetails).toMatchObject({ state: 'Canceled', reasonCode: 'MerchantCanceled' });
    expect(canceled.data.captureAmount).toBeNull();
    expect((await chargeStatus(suite.client, chargeId)).state).toBe('Canceled');

    const permission = await permissionStatus(suite.client, chargePermissionId);
    expect(permission.state).toBe('Chargeable');
    expect(permission.reasons).toBeNull();
    // Nothing was captured, so the whole limit is still there for a new charge.
    expect(permission.limits.amountBalance).toEqual(usd('30.00'));
    const again = await suite.client.createCharge({ chargePermissionId, chargeAmount: usd('30.00') }, idem());
    expect(again.status).toBe(201);
    expect(again.data.statusDetails.state).toBe('Authorized');
  });

  it('refuses to cancel a Captured charge with 422 InvalidChargeStatus', async () => {
    const { chargeId } = await capturedCharge(suite.client, '12.00');
    const err = await sdkError(suite.client.cancelCharge(chargeId, { cancellationReason: 'too late' }));
    expect(err.status).toBe(422);
    expect(err.body.reasonCode).toBe('InvalidChargeStatus');
    expect((await chargeStatus(suite.client, chargeId)).state).toBe('Captured');
  });

  it('refuses to cancel a Canceled charge with 422 InvalidChargeStatus', async () => {
    const { chargeId } = await authorizedCharge(suite.client, '12.00');
    await suite.client.cancelCharge(chargeId, {});
    const err = await sdkError(suite.client.cancelCharge(chargeId, {}));
    expect(err.status).toBe(422);
    expect(err.body.reasonCode).toBe('InvalidChargeStatus');
  });
});

describe('official Node SDK: close charge permission', () => {
  it('closes with cancelPendingCharges: open charge Canceled/ChargePermissionCanceled, permission Closed/MerchantClosed', async () => {
    const { chargePermissionId, chargeId } = await authorizedCharge(suite.client, '45.00');
    const closed = await suite.client.closeChargePermission(chargePermissionId, { closureReason: 'Order canceled by the buyer', cancelPendingCharges: true });
    expect(closed.status).toBe(200);
    expect(closed.data.chargePermissionId).toBe(chargePermissionId);
    expect(closed.data.statusDetails.state).toBe('Closed');
    expect(closed.data.statusDetails.reasons).toEqual([{ reasonCode: 'MerchantClosed', reasonDescription: 'Order canceled by the buyer' }]);

    expect(await chargeStatus(suite.client, chargeId)).toMatchObject({ state: 'Canceled', reasonCode: 'ChargePermissionCanceled' });
    const got = await permissionStatus(suite.client, chargePermissionId);
    expect(got.state).toBe('Closed');
    expect(got.reasons).toEqual([{ reasonCode: 'MerchantClosed', reasonDescription: 'Order canceled by the buyer' }]);

    const update = await sdkError(suite.client.updateChargePermission(chargePermissionId, { merchantMetadata: { merchantReferenceId: 'order-new' } }));
    expect(update.status).toBe(422);
    expect(update.body.reasonCode).toBe('ChargePermissionNotModifiable');

    const charge = await sdkError(suite.client.createCharge({ chargePermissionId, chargeAmount: usd('1.00') }, idem()));
    expect(charge.status).toBe(422);
    expect(charge.body.reasonCode).toBe('InvalidChargePermissionStatus');

    const again = await sdkError(suite.client.closeChargePermission(chargePermissionId, { closureReason: 'twice' }));
    expect(again.status).toBe(422);
    expect(again.body.reasonCode).toBe('InvalidChargePermissionStatus');
  });

  it('cancels a pending (AuthorizationInitiated) charge on close with cancelPendingCharges; it never settles afterwards', async () => {
    const chargePermissionId = await chargeablePermission(suite.client, '20.00');
    const pending = await suite.client.createCharge(
      { chargePermissionId, chargeAmount: usd('20.00'), canHandlePendingAuthorization: true },
      idem({ 'x-amz-pay-simulation-code': 'AuthorizationInitiated' }),
    );
    expect(pending.data.statusDetails.state).toBe('AuthorizationInitiated');
    await suite.client.closeChargePermission(chargePermissionId, { closureReason: 'buyer left', cancelPendingCharges: true });
    expect(await chargeStatus(suite.client, pending.data.chargeId)).toMatchObject({ state: 'Canceled', reasonCode: 'ChargePermissionCanceled' });
    await advanceClock(suite.live, PENDING_DELAY);
    expect(await chargeStatus(suite.client, pending.data.chargeId)).toMatchObject({ state: 'Canceled', reasonCode: 'ChargePermissionCanceled' });
    expect((await permissionStatus(suite.client, chargePermissionId)).state).toBe('Closed');
  });

  it('closes without cancelPendingCharges: the open charge stays Authorized but can no longer be captured', async () => {
    const { chargePermissionId, chargeId } = await authorizedCharge(suite.client, '45.00');
    const closed = await suite.client.closeChargePermission(chargePermissionId, { closureReason: 'done' });
    expect(closed.status).toBe(200);
    expect((await chargeStatus(suite.client, chargeId)).state).toBe('Authorized');
    const err = await sdkError(suite.client.captureCharge(chargeId, { captureAmount: usd('45.00') }, idem()));
    expect(err.status).toBe(422);
    expect(err.body.reasonCode).toBe('InvalidChargePermissionStatus');
  });

  it('updates merchantMetadata of an open permission (200) and keeps the other fields', async () => {
    const chargePermissionId = await chargeablePermission(suite.client, '10.00');
    const updated = await suite.client.updateChargePermission(chargePermissionId, { merchantMetadata: { merchantReferenceId: 'order-renamed' } });
    expect(updated.status).toBe(200);
    expect(updated.data.merchantMetadata.merchantReferenceId).toBe('order-renamed');
    expect(updated.data.merchantMetadata.merchantStoreName).toBe('Demo Store');
    expect(updated.data.statusDetails.state).toBe('Chargeable');
  });

  it('keeps exactly one stored charge per createCharge', async () => {
    const chargePermissionId = await chargeablePermission(suite.client, '10.00');
    await suite.client.createCharge({ chargePermissionId, chargeAmount: usd('10.00') }, idem());
    const charges = (await suite.live.server.app.mock.store.readAll<any>(DEMO_NS, 'charges')).filter((c) => c.charge.chargePermissionId === chargePermissionId);
    expect(charges).toHaveLength(1);
  });
});
