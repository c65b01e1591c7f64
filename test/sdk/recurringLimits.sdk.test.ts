import { describe, expect, it } from 'vitest';
import { sdkError, useLiveServer } from '../helpers/runningServer.js';
import { advanceClock, chargeStatus, checkout, DAY_SECONDS, idem, simulate, usd } from './flows.js';

/**
 * Amazon's "Monthly recurring charge limits" page: one Recurring Charge Permission charges at most
 * USD 1,000 per calendar month; past it, 400 PeriodicAmountExceeded. The limit resets with the month.
 */
const suite = useLiveServer();

async function recurringPermission() {
  const { chargePermissionId, completed } = await checkout(suite.client, {
    intent: 'Confirm',
    amount: '10.00',
    body: { chargePermissionType: 'Recurring', recurringMetadata: { frequency: { unit: 'Month', value: '1' }, amount: usd('10.00') } },
  });
  expect(completed.status).toBe(200);
  return chargePermissionId;
}

describe('Recurring permissions: the monthly limit (Monthly recurring charge limits)', () => {
  it('charges up to USD 1,000 in a month, refuses more with 400 PeriodicAmountExceeded, and allows it again next month', async () => {
    await suite.live.admin('POST', '/__admin/clock', { frozen: true, set: '2031-03-01T00:00:00Z' });
    const chargePermissionId = await recurringPermission();
    const first = await suite.client.createCharge({ chargePermissionId, chargeAmount: usd('600.00'), captureNow: true }, idem());
    expect(first.status).toBe(201);
    const second = await suite.client.createCharge({ chargePermissionId, chargeAmount: usd('400.00'), captureNow: true }, idem());
    expect(second.status).toBe(201);
    const over = await sdkError(suite.client.createCharge({ chargePermissionId, chargeAmount: usd('0.01'), captureNow: true }, idem()));
    expect(over.status).toBe(400);
    expect(over.body.reasonCode).toBe('PeriodicAmountExceeded');
    expect(over.body.message).toContain('1000.00 USD');

    await advanceClock(suite.live, 31 * DAY_SECONDS);
    const nextMonth = await suite.client.createCharge({ chargePermissionId, chargeAmount: usd('1000.00'), captureNow: true }, idem());
    expect(nextMonth.status).toBe(201);
  });

  it('counts the charge made at completion toward the month', async () => {
    await suite.live.admin('POST', '/__admin/clock', { frozen: true, set: '2031-05-01T00:00:00Z' });
    const { chargePermissionId, completed } = await checkout(suite.client, {
      intent: 'AuthorizeWithCapture',
      amount: '900.00',
      body: { chargePermissionType: 'Recurring', recurringMetadata: { frequency: { unit: 'Month', value: '1' }, amount: usd('900.00') } },
    });
    expect(completed.status).toBe(200);
    expect(completed.data.chargeId).toBeTruthy();
    const over = await sdkError(suite.client.createCharge({ chargePermissionId, chargeAmount: usd('100.01'), captureNow: true }, idem()));
    expect(over.body.reasonCode).toBe('PeriodicAmountExceeded');
    expect((await suite.client.createCharge({ chargePermissionId, chargeAmount: usd('100.00'), captureNow: true }, idem())).status).toBe(201);
  });

  it('refuses a single charge above the monthly limit', async () => {
    const chargePermissionId = await recurringPermission();
    const err = await sdkError(suite.client.createCharge({ chargePermissionId, chargeAmount: usd('1000.01') }, idem()));
    expect(err.body.reasonCode).toBe('PeriodicAmountExceeded');
  });

  it('gives back the amount of a charge declined after pending, or canceled uncaptured, so the retry fits (UNCONFIRMED)', async () => {
    await suite.live.admin('POST', '/__admin/clock', { frozen: true, set: '2031-07-01T00:00:00Z' });
    const chargePermissionId = await recurringPermission();
    const pending = await suite.client.createCharge({ chargePermissionId, chargeAmount: usd('1000.00'), canHandlePendingAuthorization: true }, simulate('SoftDeclined'));
    expect(pending.data.statusDetails.state).toBe('AuthorizationInitiated');
    await advanceClock(suite.live, 60);
    expect(await chargeStatus(suite.client, pending.data.chargeId)).toMatchObject({ state: 'Declined', reasonCode: 'SoftDeclined' });

    const retry = await suite.client.createCharge({ chargePermissionId, chargeAmount: usd('1000.00') }, idem());
    expect(retry.status).toBe(201);
    expect((await suite.client.cancelCharge(retry.data.chargeId, { cancellationReason: 'buyer changed the order' }, idem())).status).toBe(200);

    const captured = await suite.client.createCharge({ chargePermissionId, chargeAmount: usd('1000.00'), captureNow: true }, idem());
    expect(captured.data.statusDetails.state).toBe('Captured');
    const over = await sdkError(suite.client.createCharge({ chargePermissionId, chargeAmount: usd('0.01') }, idem()));
    expect(over.status).toBe(400);
    expect(over.body.reasonCode).toBe('PeriodicAmountExceeded');
  });
});
