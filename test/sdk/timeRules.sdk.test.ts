import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sdkError, useLiveServer } from '../helpers/runningServer.js';
import {
  advanceClock,
  authorizedCharge,
  chargeablePermission,
  chargeStatus,
  checkout,
  DAY_SECONDS,
  idem,
  permissionStatus,
  simulate,
  usd,
} from './flows.js';

/**
 * The time rules of "Charge" and "Charge Permission", driven through the SDK with the server clock moved by
 * the control API. The clock is shared by the whole file, so every test makes its own objects.
 */

const PENDING_DELAY = 30;

const suite = useLiveServer({ pendingDelaySeconds: PENDING_DELAY });

/** "YYYYMMDDTHHMMSSZ" -> ms since the epoch. */
function parseAmazonTimestamp(ts: string): number {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(ts);
  if (!m) throw new Error(`not an Amazon timestamp: ${ts}`);
  return Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6]));
}

/** The same UTC wall time `months` calendar months later (day clamped to the month's end). */
function addCalendarMonths(ms: number, months: number): number {
  const d = new Date(ms);
  const firstOfTarget = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + months, 1));
  const lastDay = new Date(Date.UTC(firstOfTarget.getUTCFullYear(), firstOfTarget.getUTCMonth() + 1, 0)).getUTCDate();
  return Date.UTC(firstOfTarget.getUTCFullYear(), firstOfTarget.getUTCMonth(), Math.min(d.getUTCDate(), lastDay), d.getUTCHours(), d.getUTCMinutes(), d.getUTCSeconds());
}

describe('30-day authorization validity', () => {
  it('keeps a charge Authorized just short of 30 days, then Canceled/ExpiredUnused and the permission Chargeable', async () => {
    const { chargePermissionId, chargeId } = await authorizedCharge(suite.client, '20.00');
    const charge = (await suite.client.getCharge(chargeId)).data;
    expect(parseAmazonTimestamp(charge.expirationTimestamp) - parseAmazonTimestamp(charge.creationTimestamp)).toBe(30 * DAY_SECONDS * 1000);

    await advanceClock(suite.live, 30 * DAY_SECONDS - 60);
    expect((await chargeStatus(suite.client, chargeId)).state).toBe('Authorized');

    await advanceClock(suite.live, 61);
    expect(await chargeStatus(suite.client, chargeId)).toMatchObject({ state: 'Canceled', reasonCode: 'ExpiredUnused' });
    const permission = await permissionStatus(suite.client, chargePermissionId);
    expect(permission.state).toBe('Chargeable');
    expect(permission.reasons).toBeNull();

    const err = await sdkError(suite.client.captureCharge(chargeId, { captureAmount: usd('20.00') }, idem()));
    expect(err.status).toBe(422);
    expect(err.body.reasonCode).toBe('InvalidChargeStatus');
    // The remainder is collected with a new charge on the permission.
    const again = await suite.client.createCharge({ chargePermissionId, chargeAmount: usd('20.00'), captureNow: true }, idem());
    expect(again.status).toBe(201);
    expect(again.data.statusDetails.state).toBe('Captured');
  });
});

describe('expiry of an authorization that was pending first', () => {
  // "Charge": expirationTimestamp is creation + 30 days; the charge expires then, not 30 days after
  // the pending authorization settled.
  it('is Canceled/ExpiredUnused exactly from the expirationTimestamp it shows', async () => {
    const setClock = async (ms: number) => expect((await suite.live.admin('POST', '/__admin/clock', { frozen: true, set: new Date(ms).toISOString() })).status).toBe(200);
    expect((await suite.live.admin('POST', '/__admin/clock', { frozen: true })).status).toBe(200);
    try {
      const chargePermissionId = await chargeablePermission(suite.client, '20.00');
      const pending = await suite.client.createCharge({ chargePermissionId, chargeAmount: usd('20.00'), canHandlePendingAuthorization: true }, simulate('AuthorizationInitiated'));
      expect(pending.data.statusDetails.state).toBe('AuthorizationInitiated');
      const { chargeId, expirationTimestamp } = pending.data;
      const expiresAt = parseAmazonTimestamp(expirationTimestamp);
      expect(expiresAt - parseAmazonTimestamp(pending.data.creationTimestamp)).toBe(30 * DAY_SECONDS * 1000);
      await advanceClock(suite.live, PENDING_DELAY);
      expect((await chargeStatus(suite.client, chargeId)).state).toBe('Authorized');

      await setClock(expiresAt - 1);
      expect((await chargeStatus(suite.client, chargeId)).state).toBe('Authorized');
      await setClock(expiresAt);
      const expired = (await suite.client.getCharge(chargeId)).data;
      expect(expired.statusDetails).toMatchObject({ state: 'Canceled', reasonCode: 'ExpiredUnused', lastUpdatedTimestamp: expirationTimestamp });
      expect(expired.expirationTimestamp).toBe(expirationTimestamp);
    } finally {
      await suite.live.admin('POST', '/__admin/clock', { frozen: false });
    }
  });
});

describe('7-day synchronous capture window', () => {
  it('captures synchronously within 7 days of authorization', async () => {
    const { chargeId } = await authorizedCharge(suite.client, '20.00');
    await advanceClock(suite.live, 6 * DAY_SECONDS);
    const captured = await suite.client.captureCharge(chargeId, { captureAmount: usd('20.00') }, idem());
    expect(captured.status).toBe(200);
    expect(captured.data.statusDetails.state).toBe('Captured');
  });

  it('answers 200 CaptureInitiated for a capture 8 days after authorization, Captured after the pending delay', async () => {
    const { chargePermissionId, chargeId } = await authorizedCharge(suite.client, '20.00');
    await advanceClock(suite.live, 8 * DAY_SECONDS);
    const initiated = await suite.client.captureCharge(chargeId, { captureAmount: usd('15.00') }, idem());
    expect(initiated.status).toBe(200);
    expect(initiated.data.statusDetails.state).toBe('CaptureInitiated');
    expect((await chargeStatus(suite.client, chargeId)).state).toBe('CaptureInitiated');
    // A second capture while the first is in flight is refused.
    const twice = await sdkError(suite.client.captureCharge(chargeId, { captureAmount: usd('15.00') }, idem()));
    expect(twice.status).toBe(422);
    expect(twice.body.reasonCode).toBe('InvalidChargeStatus');

    await advanceClock(suite.live, PENDING_DELAY);
    const charge = (await suite.client.getCharge(chargeId)).data;
    expect(charge.statusDetails.state).toBe('Captured');
    expect(charge.captureAmount).toEqual(usd('15.00'));
    expect(charge.refundedAmount).toEqual(usd('0.00'));
    const permission = await permissionStatus(suite.client, chargePermissionId);
    expect(permission.state).toBe('Chargeable');
    expect(permission.limits.amountBalance).toEqual(usd('5.00'));
  });
});

describe('a capture in flight when the permission is closed', () => {
  // Closing with cancelPendingCharges cancels Authorized / AuthorizationInitiated charges.
  // A CaptureInitiated charge is a capture under way (Cancel Charge itself refuses it with
  // InvalidChargeStatus), so it must go on to Captured rather than be canceled.
  it('lets a CaptureInitiated charge settle to Captured after closing with cancelPendingCharges', async () => {
    const { chargePermissionId, chargeId } = await authorizedCharge(suite.client, '20.00');
    await advanceClock(suite.live, 8 * DAY_SECONDS);
    const initiated = await suite.client.captureCharge(chargeId, { captureAmount: usd('20.00') }, idem());
    expect(initiated.data.statusDetails.state).toBe('CaptureInitiated');
    const refused = await sdkError(suite.client.cancelCharge(chargeId, {}));
    expect(refused.status).toBe(422);

    const closed = await suite.client.closeChargePermission(chargePermissionId, { closureReason: 'order shipped', cancelPendingCharges: true });
    expect(closed.data.statusDetails.state).toBe('Closed');
    expect((await chargeStatus(suite.client, chargeId)).state).toBe('CaptureInitiated');
    await advanceClock(suite.live, PENDING_DELAY);
    const charge = (await suite.client.getCharge(chargeId)).data;
    expect(charge.statusDetails.state).toBe('Captured');
    expect(charge.captureAmount).toEqual(usd('20.00'));
  });
});

describe('charge permission expiry', () => {
  it('closes a OneTime permission after 180 days', async () => {
    const chargePermissionId = await chargeablePermission(suite.client, '10.00');
    const cp = (await suite.client.getChargePermission(chargePermissionId)).data;
    expect(parseAmazonTimestamp(cp.expirationTimestamp) - parseAmazonTimestamp(cp.creationTimestamp)).toBe(180 * DAY_SECONDS * 1000);

    await advanceClock(suite.live, 180 * DAY_SECONDS - 60);
    expect((await permissionStatus(suite.client, chargePermissionId)).state).toBe('Chargeable');

    await advanceClock(suite.live, 61);
    const expired = await permissionStatus(suite.client, chargePermissionId);
    expect(expired.state).toBe('Closed');
    expect(expired.reasons?.map((r) => r.reasonCode)).toEqual(['Expired']);
    const err = await sdkError(suite.client.createCharge({ chargePermissionId, chargeAmount: usd('1.00') }, idem()));
    expect(err.status).toBe(422);
    expect(err.body.reasonCode).toBe('InvalidChargePermissionStatus');
  });

  it('still refunds a Captured charge after its permission expired (no refund window), but the permission is not modifiable', async () => {
    const chargePermissionId = await chargeablePermission(suite.client, '10.00');
    const captured = await suite.client.createCharge({ chargePermissionId, chargeAmount: usd('6.00'), captureNow: true }, idem());
    await advanceClock(suite.live, 181 * DAY_SECONDS);
    expect((await permissionStatus(suite.client, chargePermissionId)).state).toBe('Closed');
    const update = await sdkError(suite.client.updateChargePermission(chargePermissionId, { merchantMetadata: { noteToBuyer: 'late' } }));
    expect(update.status).toBe(422);
    expect(update.body.reasonCode).toBe('ChargePermissionNotModifiable');

    const refund = await suite.client.createRefund({ chargeId: captured.data.chargeId, refundAmount: usd('6.00') }, idem());
    expect(refund.status).toBe(201);
    await advanceClock(suite.live, PENDING_DELAY);
    expect((await suite.client.getRefund(refund.data.refundId)).data.statusDetails.state).toBe('Refunded');
    expect((await suite.client.getCharge(captured.data.chargeId)).data.refundedAmount).toEqual(usd('6.00'));
  });

  it('keeps a permission created with extendExpiration for 13 months', async () => {
    const { completed, chargePermissionId } = await checkout(suite.client, { intent: 'Confirm', amount: '10.00', paymentDetails: { extendExpiration: true } });
    expect(completed.status).toBe(200);
    const cp = (await suite.client.getChargePermission(chargePermissionId)).data;
    const created = parseAmazonTimestamp(cp.creationTimestamp);
    const expires = parseAmazonTimestamp(cp.expirationTimestamp);
    expect(expires).toBe(addCalendarMonths(created, 13));

    await advanceClock(suite.live, 181 * DAY_SECONDS);
    expect((await permissionStatus(suite.client, chargePermissionId)).state).toBe('Chargeable');

    const untilExpiry = (expires - created) / 1000 - 181 * DAY_SECONDS;
    await advanceClock(suite.live, untilExpiry - 60);
    expect((await permissionStatus(suite.client, chargePermissionId)).state).toBe('Chargeable');
    const charge = await suite.client.createCharge({ chargePermissionId, chargeAmount: usd('1.00'), captureNow: true }, idem());
    expect(charge.status).toBe(201);

    await advanceClock(suite.live, 61);
    const expired = await permissionStatus(suite.client, chargePermissionId);
    expect(expired.state).toBe('Closed');
    expect(expired.reasons?.map((r) => r.reasonCode)).toEqual(['Expired']);
  });
});

describe('24-hour checkout session window', () => {
  it('cancels an Open session after 24 hours (Canceled/Expired)', async () => {
    const created = await suite.client.createCheckoutSession(
      { storeId: 'amzn1.application-oa2-client.8b5e45312b5248b69eeaStoreId01', webCheckoutDetails: { checkoutReviewReturnUrl: 'https://merchant.example/review' } },
      idem(),
    );
    const id = created.data.checkoutSessionId;
    expect(parseAmazonTimestamp(created.data.expirationTimestamp) - parseAmazonTimestamp(created.data.creationTimestamp)).toBe(DAY_SECONDS * 1000);
    await advanceClock(suite.live, DAY_SECONDS - 60);
    expect((await suite.client.getCheckoutSession(id)).data.statusDetails.state).toBe('Open');
    await advanceClock(suite.live, 61);
    expect((await suite.client.getCheckoutSession(id)).data.statusDetails).toMatchObject({ state: 'Canceled', reasonCode: 'Expired' });
  });

  it('leaves a Completed session Completed after its 24 hours', async () => {
    const { sessionId, completed } = await checkout(suite.client, { intent: 'Confirm', amount: '5.00' });
    expect(completed.status).toBe(200);
    await advanceClock(suite.live, DAY_SECONDS + 60);
    const got = (await suite.client.getCheckoutSession(sessionId)).data;
    expect(got.statusDetails.state).toBe('Completed');
    expect(got.chargePermissionId).toBe(completed.data.chargePermissionId);
  });
});
