import { describe, expect, it } from 'vitest';
import { captureCharge } from '../../../server/domain/charge/captureCharge.js';
import { closeChargePermission, getChargePermission, updateChargePermission } from '../../../server/domain/chargePermission/chargePermissionOperations.js';
import type { ChargePermissionRecord } from '../../../server/domain/chargePermission/chargePermissionRecord.js';
import { permissionAsOf } from '../../../server/domain/chargePermission/findChargePermission.js';
import { refreshPermission } from '../../../server/domain/chargePermission/permissionState.js';
import { DAY } from '../../../server/domain/time.js';
import { expectAmazonError } from '../../helpers/amazonError.js';
import { domainWorld } from '../../helpers/domainEnv.js';
import { completedCheckout } from '../../helpers/domainFlows.js';
import { readySessionBody } from '../../helpers/testApp.js';
import { createCheckoutSession } from '../../../server/domain/checkoutSession/createCheckoutSession.js';
import { completeCheckoutSession } from '../../../server/domain/checkoutSession/completeCheckoutSession.js';

const usd = (amount: string) => ({ amount, currencyCode: 'USD' });

describe('getChargePermission', () => {
  it('answers 404 ResourceNotFound for an unknown id', () => {
    const world = domainWorld();
    expectAmazonError(() => getChargePermission(world.env(), 'S01-0000000-0000000'), 'ResourceNotFound', 404);
  });

  it('is NonChargeable/ChargeInProgress while the OneTime charge is open, Chargeable once it is captured, balance reduced', () => {
    const world = domainWorld();
    const { chargePermissionId, chargeId } = completedCheckout(world);
    const before = getChargePermission(world.env(), chargePermissionId);
    expect(before.writes).toEqual([]);
    expect(before.body.statusDetails).toMatchObject({ state: 'NonChargeable', reasons: [{ reasonCode: 'ChargeInProgress' }] });
    world.apply(captureCharge(world.env(), chargeId!, { body: { captureAmount: usd('40.00') } }));
    const after = getChargePermission(world.env(), chargePermissionId).body;
    expect(after.statusDetails).toMatchObject({ state: 'Chargeable', reasons: null });
    expect(after.limits).toEqual({ amountLimit: usd('100.00'), amountBalance: usd('60.00') });
  });

  it('closes an expired permission as of the read, and writes the change back', () => {
    const world = domainWorld();
    const { chargePermissionId } = completedCheckout(world);
    world.advance(180 * DAY);
    const read = getChargePermission(world.env(), chargePermissionId);
    expect(read.body.statusDetails).toMatchObject({ state: 'Closed', reasons: [{ reasonCode: 'Expired' }] });
    expect(read.writes.map((w) => w.id)).toEqual([chargePermissionId]);
  });
});

describe('permissionAsOf', () => {
  it('keeps the state a millisecond before expiry and closes it (Expired) at expiry', () => {
    const world = domainWorld();
    const { chargePermissionId } = completedCheckout(world);
    const record = world.get<ChargePermissionRecord>('chargePermissions', chargePermissionId);
    expect(permissionAsOf(record, record.meta.expiresAt! - 1).chargePermission.statusDetails).toBe(record.chargePermission.statusDetails);
    expect(permissionAsOf(record, record.meta.expiresAt!).chargePermission.statusDetails).toMatchObject({ state: 'Closed', reasons: [{ reasonCode: 'Expired' }] });
  });
});

describe('refreshPermission', () => {
  it('is NonChargeable/PaymentMethodInvalid after a hard decline, and keeps the timestamp while nothing changes', () => {
    const world = domainWorld();
    const { chargePermissionId } = completedCheckout(world);
    const record = world.get<ChargePermissionRecord>('chargePermissions', chargePermissionId);
    const invalid = refreshPermission({ ...record, meta: { ...record.meta, openChargeIds: [], paymentMethodInvalid: true } }, world.now + 1000);
    expect(invalid.chargePermission.statusDetails).toMatchObject({ state: 'NonChargeable', reasons: [{ reasonCode: 'PaymentMethodInvalid' }] });
    const again = refreshPermission(invalid, world.now + 5000);
    expect(again.chargePermission.statusDetails).toBe(invalid.chargePermission.statusDetails);
  });

  it('restamps the status when the reasons change within the same state, or a stored description differs', () => {
    const world = domainWorld();
    const { chargePermissionId } = completedCheckout(world);
    const record = world.get<ChargePermissionRecord>('chargePermissions', chargePermissionId);
    expect(record.chargePermission.statusDetails).toMatchObject({ state: 'NonChargeable', reasons: [{ reasonCode: 'ChargeInProgress' }] });
    const both = refreshPermission({ ...record, meta: { ...record.meta, paymentMethodInvalid: true } }, world.now + 1000);
    expect(both.chargePermission.statusDetails.reasons!.map((r) => r.reasonCode)).toEqual(['ChargeInProgress', 'PaymentMethodInvalid']);
    expect(both.chargePermission.statusDetails.lastUpdatedTimestamp).not.toBe(record.chargePermission.statusDetails.lastUpdatedTimestamp);
    const oldText = { ...record.chargePermission.statusDetails, reasons: [{ reasonCode: 'ChargeInProgress', reasonDescription: 'an older wording' }] };
    const reworded = refreshPermission({ ...record, chargePermission: { ...record.chargePermission, statusDetails: oldText } }, world.now + 2000);
    expect(reworded.chargePermission.statusDetails.reasons![0]!.reasonDescription).toContain('already in progress');
    expect(reworded.chargePermission.statusDetails.lastUpdatedTimestamp).not.toBe(oldText.lastUpdatedTimestamp);
    expect(refreshPermission(record, world.now + 3000).chargePermission.statusDetails).toBe(record.chargePermission.statusDetails);
  });
});

describe('updateChargePermission', () => {
  it('updates merchantMetadata fields that are sent and keeps the others', () => {
    const world = domainWorld();
    const { chargePermissionId } = completedCheckout(world);
    const result = world.apply(updateChargePermission(world.env(), chargePermissionId, { merchantMetadata: { noteToBuyer: 'Thanks!' } }));
    expect(result.body.merchantMetadata).toMatchObject({ merchantReferenceId: 'order-1', merchantStoreName: 'Demo Store', noteToBuyer: 'Thanks!' });
    expect(getChargePermission(world.env(), chargePermissionId).body.merchantMetadata?.noteToBuyer).toBe('Thanks!');
  });

  it('refuses recurringMetadata on a OneTime permission and unknown fields', () => {
    const world = domainWorld();
    const { chargePermissionId } = completedCheckout(world);
    expectAmazonError(() => updateChargePermission(world.env(), chargePermissionId, { recurringMetadata: { frequency: { unit: 'Month', value: '1' } } }), 'InvalidParameterCombination', 400);
    expectAmazonError(() => updateChargePermission(world.env(), chargePermissionId, { statusDetails: {} }), 'UnrecognizedField', 400);
  });

  it('refuses a recurringMetadata.amount in a currency an NA merchant cannot use (400 CurrencyMismatch), leaving the permission as it was', () => {
    const world = domainWorld();
    const monthly = (amount: { amount: string; currencyCode: string }) => ({ frequency: { unit: 'Month', value: '1' }, amount });
    const body = readySessionBody({ paymentDetails: { paymentIntent: 'Confirm', chargeAmount: usd('9.00') }, chargePermissionType: 'Recurring', recurringMetadata: monthly(usd('9.00')) });
    const id = world.apply(createCheckoutSession(world.env(), body)).body.checkoutSessionId;
    const chargePermissionId = (world.apply(completeCheckoutSession(world.env(), id, { body: { chargeAmount: usd('9.00') } })).body as any).chargePermissionId;
    expectAmazonError(() => updateChargePermission(world.env(), chargePermissionId, { recurringMetadata: monthly({ amount: '9', currencyCode: 'EUR' }) }), 'CurrencyMismatch', 400);
    expect(getChargePermission(world.env(), chargePermissionId).body.recurringMetadata?.amount).toEqual(usd('9.00'));
    expect(world.apply(updateChargePermission(world.env(), chargePermissionId, { recurringMetadata: monthly(usd('12')) })).body.recurringMetadata?.amount).toEqual(usd('12.00'));
  });
});

describe('closeChargePermission', () => {
  it('records the closure reason and answers 422 InvalidChargePermissionStatus to a second close', () => {
    const world = domainWorld();
    const { chargePermissionId } = completedCheckout(world);
    const closed = world.apply(closeChargePermission(world.env(), chargePermissionId, { body: { closureReason: 'Order shipped' } }));
    expect(closed.body.statusDetails).toMatchObject({ state: 'Closed', reasons: [{ reasonCode: 'MerchantClosed', reasonDescription: 'Order shipped' }] });
    expectAmazonError(() => closeChargePermission(world.env(), chargePermissionId, { body: {} }), 'InvalidChargePermissionStatus', 422);
  });

  it('records another closer when a simulation says so', () => {
    const world = domainWorld();
    const { chargePermissionId } = completedCheckout(world);
    const closed = closeChargePermission(world.env(), chargePermissionId, { body: {}, override: { kind: 'close', reasonCode: 'AmazonClosed' } });
    expect(closed.body.statusDetails.reasons).toEqual([{ reasonCode: 'AmazonClosed', reasonDescription: null }]);
  });

  it('leaves a capture under way alone even with cancelPendingCharges', () => {
    const world = domainWorld();
    const { chargePermissionId, chargeId } = completedCheckout(world);
    world.advance(8 * DAY);
    world.apply(captureCharge(world.env(), chargeId!, { body: { captureAmount: usd('10.00') } }));
    expect(world.get<any>('charges', chargeId!).charge.statusDetails.state).toBe('CaptureInitiated');
    const closed = world.apply(closeChargePermission(world.env(), chargePermissionId, { body: { cancelPendingCharges: true } }));
    expect(closed.writes.map((w) => w.collection)).toEqual(['chargePermissions']);
    expect(world.get<any>('charges', chargeId!).charge.statusDetails.state).toBe('CaptureInitiated');
    expect(world.get<ChargePermissionRecord>('chargePermissions', chargePermissionId).meta.openChargeIds).toEqual([chargeId]);
  });
});

describe('buyer details of a Recurring permission ("Charge Permission": while open and for 30 days after it is closed)', () => {
  function recurringPermission(world: ReturnType<typeof domainWorld>): string {
    const paymentDetails = { paymentIntent: 'Confirm', chargeAmount: usd('9.00') };
    const body = readySessionBody({ paymentDetails, chargePermissionType: 'Recurring', recurringMetadata: { frequency: { unit: 'Month', value: '1' }, amount: usd('9.00') } });
    const id = world.apply(createCheckoutSession(world.env(), body)).body.checkoutSessionId;
    return (world.apply(completeCheckoutSession(world.env(), id, { body: { chargeAmount: usd('9.00') } })).body as any).chargePermissionId;
  }
  const details = (cp: { buyer: unknown; shippingAddress: unknown; billingAddress: unknown }) => [cp.buyer, cp.shippingAddress, cp.billingAddress];

  it('keeps them while open, for 30 days after a merchant closes it, and answers null after', () => {
    const world = domainWorld();
    const chargePermissionId = recurringPermission(world);
    world.advance(45 * DAY);
    expect(details(getChargePermission(world.env(), chargePermissionId).body)).not.toContain(null);
    const closed = world.apply(closeChargePermission(world.env(), chargePermissionId, { body: {} }));
    expect(closed.writes.find((w) => w.collection === 'chargePermissions')!.dueAt).toBe(world.now + 30 * DAY);
    world.advance(30 * DAY - 1);
    expect(details(getChargePermission(world.env(), chargePermissionId).body)).not.toContain(null);
    world.advance(1);
    const later = getChargePermission(world.env(), chargePermissionId);
    expect(details(later.body)).toEqual([null, null, null]);
    expect(later.body.statusDetails.state).toBe('Closed');
    expect(later.writes.map((w) => w.id)).toEqual([chargePermissionId]);
  });

  it('drops them 30 days after the permission closed on expiry, even when first read after both', () => {
    const world = domainWorld();
    const chargePermissionId = recurringPermission(world);
    const record = world.get<ChargePermissionRecord>('chargePermissions', chargePermissionId);
    const afterBoth = permissionAsOf(record, record.meta.expiresAt! + 30 * DAY);
    expect(afterBoth.chargePermission.statusDetails).toMatchObject({ state: 'Closed', reasons: [{ reasonCode: 'Expired' }] });
    expect(details(afterBoth.chargePermission)).toEqual([null, null, null]);
    expect(details(permissionAsOf(record, record.meta.expiresAt! + 30 * DAY - 1).chargePermission)).not.toContain(null);
  });
});
