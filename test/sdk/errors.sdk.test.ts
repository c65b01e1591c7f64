import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sdkError, useLiveServer } from '../helpers/runningServer.js';
import {
  advanceClock,
  authorizedCharge,
  capturedCharge,
  chargeablePermission,
  chargeStatus,
  completeBody,
  DEMO_NS,
  idem,
  newKey,
  permissionStatus,
  readySession,
  usd,
} from './flows.js';

/** Idempotent replays ("Idempotency") and operation errors, as the official SDK reports them. */

const PENDING_DELAY = 30;

const suite = useLiveServer({ pendingDelaySeconds: PENDING_DELAY });

const stored = async (collection: 'charges' | 'refunds'): Promise<any[]> => (await suite.live.server.app.mock.store.readAll<any>(DEMO_NS, collection));
const key = (k: string) => ({ 'x-amz-pay-idempotency-key': k });

async function expectError(promise: Promise<unknown>, status: number, reasonCode: string) {
  const err = await sdkError(promise);
  expect({ status: err.status, reasonCode: err.body.reasonCode }).toEqual({ status, reasonCode });
  expect(Object.keys(err.body)).toEqual(['reasonCode', 'message']);
  return err;
}

describe('idempotent replay: same key + same body -> the same answer, one object', () => {
  it('createCharge', async () => {
    const chargePermissionId = await chargeablePermission(suite.client, '50.00');
    const k = newKey();
    const body = { chargePermissionId, chargeAmount: usd('50.00') };
    const first = await suite.client.createCharge(body, key(k));
    const second = await suite.client.createCharge(body, key(k));
    expect(first.status).toBe(201);
    expect(second.status).toBe(201);
    expect(second.data).toEqual(first.data);
    expect((await stored('charges')).filter((c) => c.charge.chargePermissionId === chargePermissionId)).toHaveLength(1);
    expect((await permissionStatus(suite.client, chargePermissionId)).reasons?.map((r) => r.reasonCode)).toEqual(['ChargeInProgress']);
  });

  it('captureCharge', async () => {
    const { chargePermissionId, chargeId } = await authorizedCharge(suite.client, '50.00');
    const k = newKey();
    const first = await suite.client.captureCharge(chargeId, { captureAmount: usd('20.00') }, key(k));
    const second = await suite.client.captureCharge(chargeId, { captureAmount: usd('20.00') }, key(k));
    expect(first.status).toBe(200);
    expect(second.status).toBe(200);
    expect(second.data).toEqual(first.data);
    expect((await suite.client.getCharge(chargeId)).data.captureAmount).toEqual(usd('20.00'));
    expect((await permissionStatus(suite.client, chargePermissionId)).limits.amountBalance).toEqual(usd('30.00'));
  });

  it('createRefund', async () => {
    const { chargeId } = await capturedCharge(suite.client, '100.00');
    const k = newKey();
    const body = { chargeId, refundAmount: usd('100.00') };
    const first = await suite.client.createRefund(body, key(k));
    const second = await suite.client.createRefund(body, key(k));
    expect(first.status).toBe(201);
    expect(second.status).toBe(201);
    expect(second.data.refundId).toBe(first.data.refundId);
    expect(second.data).toEqual(first.data);
    expect((await stored('refunds')).filter((r) => r.refund.chargeId === chargeId)).toHaveLength(1);
    // Counted once: the remaining allowance (15.00 of 115.00) is still there.
    expect((await suite.client.createRefund({ chargeId, refundAmount: usd('15.00') }, idem())).status).toBe(201);
    await advanceClock(suite.live, PENDING_DELAY);
    expect((await suite.client.getCharge(chargeId)).data.refundedAmount).toEqual(usd('115.00'));
  });

  it('replays a refusal too (not kept: 429 and 5xx only)', async () => {
    const { chargeId } = await authorizedCharge(suite.client, '10.00');
    const k = newKey();
    await expectError(suite.client.captureCharge(chargeId, { captureAmount: usd('10.01') }, key(k)), 400, 'TransactionAmountExceeded');
    await expectError(suite.client.captureCharge(chargeId, { captureAmount: usd('10.01') }, key(k)), 400, 'TransactionAmountExceeded');
    expect((await chargeStatus(suite.client, chargeId)).state).toBe('Authorized');
  });
});

describe('idempotency applies to POST only', () => {
  it('replays completeCheckoutSession sent twice with one key (200 both times, not 422)', async () => {
    const id = await readySession(suite.client, { intent: 'Authorize', amount: '10.00' });
    const k = newKey();
    const first = await suite.client.completeCheckoutSession(id, completeBody({ amount: '10.00' }), key(k));
    const second = await suite.client.completeCheckoutSession(id, completeBody({ amount: '10.00' }), key(k));
    expect([first.status, second.status]).toEqual([200, 200]);
    expect(second.data).toEqual(first.data);
    await expectError(suite.client.completeCheckoutSession(id, completeBody({ amount: '10.00' }), idem()), 422, 'InvalidCheckoutSessionStatus');
  });

  it('ignores the key on DELETE: cancelCharge twice with one key runs twice', async () => {
    const { chargeId } = await authorizedCharge(suite.client, '10.00');
    const k = newKey();
    expect((await suite.client.cancelCharge(chargeId, { cancellationReason: 'r' }, key(k))).status).toBe(200);
    await expectError(suite.client.cancelCharge(chargeId, { cancellationReason: 'r' }, key(k)), 422, 'InvalidChargeStatus');
  });

  it('ignores the key on PATCH: updateChargePermission with one key and two bodies applies both', async () => {
    const chargePermissionId = await chargeablePermission(suite.client, '10.00');
    const k = newKey();
    await suite.client.updateChargePermission(chargePermissionId, { merchantMetadata: { noteToBuyer: 'first' } }, key(k));
    const second = await suite.client.updateChargePermission(chargePermissionId, { merchantMetadata: { noteToBuyer: 'second' } }, key(k));
    expect(second.status).toBe(200);
    expect(second.data.merchantMetadata.noteToBuyer).toBe('second');
  });
});

describe('400 DuplicateIdempotencyKey: same key, different request', () => {
  it('createCharge with another amount', async () => {
    const chargePermissionId = await chargeablePermission(suite.client, '50.00');
    const k = newKey();
    await suite.client.createCharge({ chargePermissionId, chargeAmount: usd('10.00') }, key(k));
    await expectError(suite.client.createCharge({ chargePermissionId, chargeAmount: usd('11.00') }, key(k)), 400, 'DuplicateIdempotencyKey');
    expect((await stored('charges')).filter((c) => c.charge.chargePermissionId === chargePermissionId)).toHaveLength(1);
  });

  it('captureCharge with another amount', async () => {
    const { chargeId } = await authorizedCharge(suite.client, '50.00');
    const k = newKey();
    await suite.client.captureCharge(chargeId, { captureAmount: usd('10.00') }, key(k));
    await expectError(suite.client.captureCharge(chargeId, { captureAmount: usd('11.00') }, key(k)), 400, 'DuplicateIdempotencyKey');
    expect((await suite.client.getCharge(chargeId)).data.captureAmount).toEqual(usd('10.00'));
  });

  it('captureCharge of another charge', async () => {
    const a = await authorizedCharge(suite.client, '10.00');
    const b = await authorizedCharge(suite.client, '10.00');
    const k = newKey();
    await suite.client.captureCharge(a.chargeId, { captureAmount: usd('10.00') }, key(k));
    await expectError(suite.client.captureCharge(b.chargeId, { captureAmount: usd('10.00') }, key(k)), 400, 'DuplicateIdempotencyKey');
    expect((await chargeStatus(suite.client, b.chargeId)).state).toBe('Authorized');
  });

  it('createRefund with another amount', async () => {
    const { chargeId } = await capturedCharge(suite.client, '50.00');
    const k = newKey();
    await suite.client.createRefund({ chargeId, refundAmount: usd('10.00') }, key(k));
    await expectError(suite.client.createRefund({ chargeId, refundAmount: usd('12.00') }, key(k)), 400, 'DuplicateIdempotencyKey');
    expect((await stored('refunds')).filter((r) => r.refund.chargeId === chargeId)).toHaveLength(1);
  });

  it('a key of createCharge reused on createRefund', async () => {
    const chargePermissionId = await chargeablePermission(suite.client, '20.00');
    const k = newKey();
    const created = await suite.client.createCharge({ chargePermissionId, chargeAmount: usd('20.00'), captureNow: true }, key(k));
    await expectError(suite.client.createRefund({ chargeId: created.data.chargeId, refundAmount: usd('1.00') }, key(k)), 400, 'DuplicateIdempotencyKey');
  });
});

describe('422 InvalidChargePermissionStatus', () => {
  it('createCharge while a charge is in progress (NonChargeable/ChargeInProgress)', async () => {
    const { chargePermissionId } = await authorizedCharge(suite.client, '50.00');
    await expectError(suite.client.createCharge({ chargePermissionId, chargeAmount: usd('1.00') }, idem()), 422, 'InvalidChargePermissionStatus');
  });

  it('createCharge on a Closed permission', async () => {
    const chargePermissionId = await chargeablePermission(suite.client, '50.00');
    await suite.client.closeChargePermission(chargePermissionId, { closureReason: 'closed' });
    await expectError(suite.client.createCharge({ chargePermissionId, chargeAmount: usd('1.00') }, idem()), 422, 'InvalidChargePermissionStatus');
  });

  it('closing a Closed permission', async () => {
    const chargePermissionId = await chargeablePermission(suite.client, '50.00');
    await suite.client.closeChargePermission(chargePermissionId, { closureReason: 'closed' });
    await expectError(suite.client.closeChargePermission(chargePermissionId, { closureReason: 'again' }), 422, 'InvalidChargePermissionStatus');
  });
});

describe('400 TransactionAmountExceeded', () => {
  it('createCharge above the permission balance', async () => {
    const chargePermissionId = await chargeablePermission(suite.client, '50.00');
    await expectError(suite.client.createCharge({ chargePermissionId, chargeAmount: usd('50.01') }, idem()), 400, 'TransactionAmountExceeded');
    // After a partial capture only the rest may be charged.
    const first = await suite.client.createCharge({ chargePermissionId, chargeAmount: usd('30.00'), captureNow: true }, idem());
    expect(first.status).toBe(201);
    await expectError(suite.client.createCharge({ chargePermissionId, chargeAmount: usd('20.01') }, idem()), 400, 'TransactionAmountExceeded');
    expect((await suite.client.createCharge({ chargePermissionId, chargeAmount: usd('20.00') }, idem())).status).toBe(201);
  });

  it('createCharge above the permission limit set by totalOrderAmount', async () => {
    const chargePermissionId = await chargeablePermission(suite.client, '20.00', '60.00');
    expect((await permissionStatus(suite.client, chargePermissionId)).limits).toEqual({ amountLimit: usd('60.00'), amountBalance: usd('60.00') });
    await expectError(suite.client.createCharge({ chargePermissionId, chargeAmount: usd('60.01') }, idem()), 400, 'TransactionAmountExceeded');
  });

  it('captureCharge above the authorized amount', async () => {
    const { chargeId } = await authorizedCharge(suite.client, '50.00');
    await expectError(suite.client.captureCharge(chargeId, { captureAmount: usd('50.01') }, idem()), 400, 'TransactionAmountExceeded');
    expect((await chargeStatus(suite.client, chargeId)).state).toBe('Authorized');
  });

  it('createRefund above captured + allowance', async () => {
    const { chargeId } = await capturedCharge(suite.client, '50.00');
    await expectError(suite.client.createRefund({ chargeId, refundAmount: usd('57.51') }, idem()), 400, 'TransactionAmountExceeded');
    expect((await suite.client.createRefund({ chargeId, refundAmount: usd('57.50') }, idem())).status).toBe(201);
  });
});

describe('422 TransactionCountExceeded', () => {
  it('refuses the 26th charge on a OneTime permission', async () => {
    const chargePermissionId = await chargeablePermission(suite.client, '1000.00');
    for (let i = 1; i <= 25; i++) {
      if (i % 2 === 1) {
        const charge = await suite.client.createCharge({ chargePermissionId, chargeAmount: usd('1.00') }, idem());
        expect(charge.status).toBe(201);
        await suite.client.cancelCharge(charge.data.chargeId, { cancellationReason: `cancel ${i}` });
      } else {
        const charge = await suite.client.createCharge({ chargePermissionId, chargeAmount: usd('1.00'), captureNow: true }, idem());
        expect(charge.status).toBe(201);
        expect(charge.data.statusDetails.state).toBe('Captured');
      }
    }
    const permission = await permissionStatus(suite.client, chargePermissionId);
    expect(permission.state).toBe('Chargeable');
    expect(permission.limits.amountBalance).toEqual(usd('988.00'));
    await expectError(suite.client.createCharge({ chargePermissionId, chargeAmount: usd('1.00') }, idem()), 422, 'TransactionCountExceeded');
  });
});

describe('400 CurrencyMismatch', () => {
  it('createCharge in another currency than the permission', async () => {
    const chargePermissionId = await chargeablePermission(suite.client, '50.00');
    await expectError(suite.client.createCharge({ chargePermissionId, chargeAmount: { amount: '10.00', currencyCode: 'EUR' } }, idem()), 400, 'CurrencyMismatch');
  });

  it('captureCharge in another currency than the charge', async () => {
    const { chargeId } = await authorizedCharge(suite.client, '50.00');
    await expectError(suite.client.captureCharge(chargeId, { captureAmount: { amount: '10.00', currencyCode: 'EUR' } }, idem()), 400, 'CurrencyMismatch');
  });

  it('createRefund in another currency than the charge', async () => {
    const { chargeId } = await capturedCharge(suite.client, '50.00');
    await expectError(suite.client.createRefund({ chargeId, refundAmount: { amount: '10.00', currencyCode: 'JPY' } }, idem()), 400, 'CurrencyMismatch');
  });
});

describe('422 InvalidChargeStatus', () => {
  it('capturing twice', async () => {
    const { chargeId } = await authorizedCharge(suite.client, '50.00');
    await suite.client.captureCharge(chargeId, { captureAmount: usd('50.00') }, idem());
    await expectError(suite.client.captureCharge(chargeId, { captureAmount: usd('50.00') }, idem()), 422, 'InvalidChargeStatus');
  });

  it('refunding an Authorized charge', async () => {
    const { chargeId } = await authorizedCharge(suite.client, '50.00');
    await expectError(suite.client.createRefund({ chargeId, refundAmount: usd('1.00') }, idem()), 422, 'InvalidChargeStatus');
  });

  it('capturing a Canceled charge', async () => {
    const { chargeId } = await authorizedCharge(suite.client, '50.00');
    await suite.client.cancelCharge(chargeId, {});
    await expectError(suite.client.captureCharge(chargeId, { captureAmount: usd('50.00') }, idem()), 422, 'InvalidChargeStatus');
  });
});

describe('422 ChargePermissionNotModifiable', () => {
  it('updating a Closed permission', async () => {
    const chargePermissionId = await chargeablePermission(suite.client, '50.00');
    await suite.client.closeChargePermission(chargePermissionId, { closureReason: 'closed' });
    await expectError(suite.client.updateChargePermission(chargePermissionId, { merchantMetadata: { noteToBuyer: 'hi' } }), 422, 'ChargePermissionNotModifiable');
  });
});

describe('404 ResourceNotFound', () => {
  const chargeId = 'S01-0000000-0000000-C000000';
  const permissionId = 'S01-0000000-0000000';
  const refundId = 'S01-0000000-0000000-R000000';
  it.each([
    ['getCharge', () => suite.client.getCharge(chargeId)],
    ['captureCharge', () => suite.client.captureCharge(chargeId, { captureAmount: usd('1.00') }, idem())],
    ['cancelCharge', () => suite.client.cancelCharge(chargeId, {})],
    ['createRefund on an unknown charge', () => suite.client.createRefund({ chargeId, refundAmount: usd('1.00') }, idem())],
    ['getChargePermission', () => suite.client.getChargePermission(permissionId)],
    ['updateChargePermission', () => suite.client.updateChargePermission(permissionId, { merchantMetadata: { noteToBuyer: 'x' } })],
    ['closeChargePermission', () => suite.client.closeChargePermission(permissionId, { closureReason: 'x' })],
    ['createCharge on an unknown permission', () => suite.client.createCharge({ chargePermissionId: permissionId, chargeAmount: usd('1.00') }, idem())],
    ['getRefund', () => suite.client.getRefund(refundId)],
  ] as const)('%s', async (_name, call) => {
    await expectError(call(), 404, 'ResourceNotFound');
  });
});
