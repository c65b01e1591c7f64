import { describe, expect, it } from 'vitest';
import { captureCharge } from '../../../server/domain/charge/captureCharge.js';
import { cancelCharge, getCharge, updateCharge } from '../../../server/domain/charge/chargeOperations.js';
import type { ChargeRecord } from '../../../server/domain/charge/chargeRecord.js';
import { chargeDueAt } from '../../../server/domain/charge/chargeState.js';
import { createCharge } from '../../../server/domain/charge/createCharge.js';
import { closeChargePermission, getChargePermission, updateChargePermission } from '../../../server/domain/chargePermission/chargePermissionOperations.js';
import { settleRecord } from '../../../server/domain/settleRecord.js';
import { DAY, formatTimestamp, parseTimestamp } from '../../../server/domain/time.js';
import { thrownAmazonError } from '../../helpers/amazonError.js';
import { domainWorld } from '../../helpers/domainEnv.js';
import { completedCheckout } from '../../helpers/domainFlows.js';

const usd = (amount: string) => ({ amount, currencyCode: 'USD' });


function settleAll(world: ReturnType<typeof domainWorld>, ids: [string, string][]) {
  for (const [collection, id] of ids) for (const w of settleRecord(world.env().state, { collection, id }, { now: world.now, publicUrl: 'https://mock.test' })) world.apply({ status: 200, body: null, writes: [w] });
}

describe('capture', () => {
  it('captures part of an authorization once; the permission balance drops by the captured amount', () => {
    const world = domainWorld();
    const { chargeId, chargePermissionId } = completedCheckout(world, { totalOrderAmount: usd('150.00') });
    const captured = world.apply(captureCharge(world.env(), chargeId!, { body: { captureAmount: usd('60') } }));
    expect(captured.body).toMatchObject({ statusDetails: { state: 'Captured' }, captureAmount: usd('60.00'), refundedAmount: usd('0.00') });
    const cp = getChargePermission(world.env(), chargePermissionId).body;
    expect(cp.statusDetails).toMatchObject({ state: 'Chargeable', reasons: null });
    expect(cp.limits).toEqual({ amountLimit: usd('150.00'), amountBalance: usd('90.00') });
    expect(thrownAmazonError(() => captureCharge(world.env(), chargeId!, { body: { captureAmount: usd('1') } })).reasonCode).toBe('InvalidChargeStatus');
  });

  it.each([
    ['more than authorized', { captureAmount: usd('100.01') }, 'TransactionAmountExceeded'],
    ['another currency', { captureAmount: { amount: '5', currencyCode: 'EUR' } }, 'CurrencyMismatch'],
    ['no amount', {}, 'MissingParameterValue'],
  ])('refuses a capture of %s', (_label, body, expected) => {
    const world = domainWorld();
    const { chargeId } = completedCheckout(world);
    expect(thrownAmazonError(() => captureCharge(world.env(), chargeId!, { body })).reasonCode).toBe(expected);
  });

  it('is asynchronous more than 7 days after authorization: CaptureInitiated, then Captured', () => {
    const world = domainWorld();
    const { chargeId, chargePermissionId } = completedCheckout(world);
    world.advance(7 * DAY + 1);
    const initiated = world.apply(captureCharge(world.env(), chargeId!, { body: { captureAmount: usd('40') } }));
    expect((initiated.body as any).statusDetails.state).toBe('CaptureInitiated');
    world.advance(30_000);
    settleAll(world, [['charges', chargeId!]]);
    expect(getCharge(world.env(), chargeId!).body).toMatchObject({ statusDetails: { state: 'Captured' }, captureAmount: usd('40.00') });
    expect(getChargePermission(world.env(), chargePermissionId).body.limits!.amountBalance).toEqual(usd('60.00'));
  });

  it('stays synchronous at exactly 7 days', () => {
    const world = domainWorld();
    const { chargeId } = completedCheckout(world);
    world.advance(7 * DAY);
    expect(captureCharge(world.env(), chargeId!, { body: { captureAmount: usd('40') } }).body).toMatchObject({ statusDetails: { state: 'Captured' } });
  });
});

describe('create charge on a permission', () => {
  it('needs a Chargeable permission: NonChargeable while a charge is in progress', () => {
    const world = domainWorld();
    const { chargePermissionId } = completedCheckout(world);
    expect(thrownAmazonError(() => createCharge(world.env(), { body: { chargePermissionId, chargeAmount: usd('5') } })).reasonCode).toBe('InvalidChargePermissionStatus');
  });

  it('charges a Confirm permission up to its balance, then TransactionAmountExceeded', () => {
    const world = domainWorld();
    const { chargePermissionId } = completedCheckout(world, { paymentIntent: 'Confirm', totalOrderAmount: usd('100.00') });
    const first = world.apply(createCharge(world.env(), { body: { chargePermissionId, chargeAmount: usd('70'), captureNow: true } }));
    expect(first.status).toBe(201);
    expect((first.body as any).chargeId).toMatch(new RegExp(`^${chargePermissionId}-C\\d{6}$`));
    expect(thrownAmazonError(() => createCharge(world.env(), { body: { chargePermissionId, chargeAmount: usd('30.01') } })).reasonCode).toBe('TransactionAmountExceeded');
    expect(createCharge(world.env(), { body: { chargePermissionId, chargeAmount: usd('30'), captureNow: true } }).status).toBe(201);
  });

  it('allows 25 charges on a OneTime permission, then TransactionCountExceeded', () => {
    const world = domainWorld();
    const { chargePermissionId } = completedCheckout(world, { paymentIntent: 'Confirm', chargeAmount: usd('1000'), totalOrderAmount: usd('1000') });
    for (let i = 0; i < 25; i++) world.apply(createCharge(world.env(), { body: { chargePermissionId, chargeAmount: usd('1'), captureNow: true } }));
    expect(thrownAmazonError(() => createCharge(world.env(), { body: { chargePermissionId, chargeAmount: usd('1'), captureNow: true } })).reasonCode).toBe('TransactionCountExceeded');
  });

  it('refuses softDescriptor without captureNow', () => {
    const world = domainWorld();
    const { chargePermissionId } = completedCheckout(world, { paymentIntent: 'Confirm' });
    expect(thrownAmazonError(() => createCharge(world.env(), { body: { chargePermissionId, chargeAmount: usd('1'), softDescriptor: 'SHOP' } })).reasonCode).toBe('InvalidParameterCombination');
  });

  it('declines synchronously without canHandlePendingAuthorization, and a hard decline makes the permission NonChargeable', () => {
    const world = domainWorld();
    const { chargePermissionId } = completedCheckout(world, { paymentIntent: 'Confirm' });
    const declined = world.apply(createCharge(world.env(), { body: { chargePermissionId, chargeAmount: usd('5') }, override: { kind: 'decline', reasonCode: 'HardDeclined' } }));
    expect(declined.status).toBe(422);
    expect(declined.body).toMatchObject({ reasonCode: 'HardDeclined' });
    expect(getChargePermission(world.env(), chargePermissionId).body.statusDetails).toMatchObject({ state: 'NonChargeable', reasons: [{ reasonCode: 'PaymentMethodInvalid' }] });
  });

  it('declines later with canHandlePendingAuthorization: AuthorizationInitiated, then Declined', () => {
    const world = domainWorld();
    const { chargePermissionId } = completedCheckout(world, { paymentIntent: 'Confirm' });
    const pending = world.apply(createCharge(world.env(), { body: { chargePermissionId, chargeAmount: usd('5'), canHandlePendingAuthorization: true }, override: { kind: 'decline', reasonCode: 'SoftDeclined' } }));
    const chargeId = (pending.body as any).chargeId;
    expect((pending.body as any).statusDetails.state).toBe('AuthorizationInitiated');
    world.advance(30_000);
    settleAll(world, [['charges', chargeId]]);
    expect(getCharge(world.env(), chargeId).body.statusDetails).toMatchObject({ state: 'Declined', reasonCode: 'SoftDeclined' });
    expect(getChargePermission(world.env(), chargePermissionId).body.statusDetails.state).toBe('Chargeable');
  });
});

describe('cancel, PSP update, close', () => {
  it('cancels an Authorized charge with the merchant\'s reason and frees the permission', () => {
    const world = domainWorld();
    const { chargeId, chargePermissionId } = completedCheckout(world);
    const canceled = world.apply(cancelCharge(world.env(), chargeId!, { cancellationReason: 'Out of stock' }));
    expect(canceled.body.statusDetails).toMatchObject({ state: 'Canceled', reasonCode: 'MerchantCanceled', reasonDescription: 'Out of stock' });
    expect(getChargePermission(world.env(), chargePermissionId).body.statusDetails.state).toBe('Chargeable');
    expect(thrownAmazonError(() => cancelCharge(world.env(), chargeId!, {})).reasonCode).toBe('InvalidChargeStatus');
  });

  it('lets a PSP report a capture, and refuses transitions that cannot happen', () => {
    const world = domainWorld();
    const { chargeId } = completedCheckout(world);
    expect(world.apply(updateCharge(world.env(), chargeId!, { statusDetails: { state: 'Captured' } })).body).toMatchObject({ statusDetails: { state: 'Captured' }, captureAmount: usd('100.00') });
    expect(thrownAmazonError(() => updateCharge(world.env(), chargeId!, { statusDetails: { state: 'Authorized' } })).reasonCode).toBe('InvalidChargeStatus');
  });

  it('closes with cancelPendingCharges: the open charge is Canceled/ChargePermissionCanceled; then nothing may change', () => {
    const world = domainWorld();
    const { chargeId, chargePermissionId } = completedCheckout(world);
    const closed = world.apply(closeChargePermission(world.env(), chargePermissionId, { body: { closureReason: 'Order canceled', cancelPendingCharges: true } }));
    expect(closed.body.statusDetails).toEqual({ state: 'Closed', reasons: [{ reasonCode: 'MerchantClosed', reasonDescription: 'Order canceled' }], lastUpdatedTimestamp: expect.any(String) });
    expect(getCharge(world.env(), chargeId!).body.statusDetails).toMatchObject({ state: 'Canceled', reasonCode: 'ChargePermissionCanceled' });
    expect(thrownAmazonError(() => updateChargePermission(world.env(), chargePermissionId, { merchantMetadata: { noteToBuyer: 'x' } })).reasonCode).toBe('ChargePermissionNotModifiable');
    expect(thrownAmazonError(() => closeChargePermission(world.env(), chargePermissionId, { body: {} })).reasonCode).toBe('InvalidChargePermissionStatus');
  });

  it('closes without cancelPendingCharges: the charge stays Authorized but cannot be captured', () => {
    const world = domainWorld();
    const { chargeId, chargePermissionId } = completedCheckout(world);
    world.apply(closeChargePermission(world.env(), chargePermissionId, { body: {} }));
    expect(getCharge(world.env(), chargeId!).body.statusDetails.state).toBe('Authorized');
    expect(thrownAmazonError(() => captureCharge(world.env(), chargeId!, { body: { captureAmount: usd('1') } })).reasonCode).toBe('InvalidChargePermissionStatus');
  });

  it('closes a OneTime permission at 180 days', () => {
    const world = domainWorld();
    const { chargePermissionId } = completedCheckout(world, { paymentIntent: 'Confirm' });
    world.advance(180 * DAY - 1);
    expect(getChargePermission(world.env(), chargePermissionId).body.statusDetails.state).toBe('Chargeable');
    world.advance(1);
    expect(getChargePermission(world.env(), chargePermissionId).body.statusDetails).toMatchObject({ state: 'Closed', reasons: [{ reasonCode: 'Expired' }] });
  });
});

describe('authorization expiry', () => {
  // "Charge": expirationTimestamp is creation + 30 days; an authorization that was pending first
  // expires then too, not 30 days after it settled.
  it('expires a pending authorization, once Authorized, exactly at its expirationTimestamp', () => {
    const world = domainWorld({ now: Date.UTC(2026, 0, 15, 12, 0, 0) + 400 });
    const { chargePermissionId } = completedCheckout(world, { paymentIntent: 'Confirm' });
    const pending = world.apply(createCharge(world.env(), { body: { chargePermissionId, chargeAmount: usd('5'), canHandlePendingAuthorization: true }, override: { kind: 'pending', settleTo: 'Authorized', reasonCode: null } }));
    const chargeId = (pending.body as any).chargeId as string;
    const expiration = (pending.body as any).expirationTimestamp as string;
    expect(expiration).toBe('20260214T120000Z');
    const expiresAt = parseTimestamp(expiration)!;

    world.advance(30_000);
    settleAll(world, [['charges', chargeId]]);
    expect(getCharge(world.env(), chargeId).body).toMatchObject({ statusDetails: { state: 'Authorized' }, expirationTimestamp: expiration });
    // The store schedules the next settlement by this.
    expect(chargeDueAt(world.get<ChargeRecord>('charges', chargeId))).toBe(expiresAt);

    world.advance(expiresAt - 1 - world.now);
    expect(getCharge(world.env(), chargeId).body.statusDetails.state).toBe('Authorized');
    world.advance(1);
    expect(getCharge(world.env(), chargeId).body.statusDetails).toEqual({
      state: 'Canceled',
      reasonCode: 'ExpiredUnused',
      reasonDescription: expect.any(String),
      lastUpdatedTimestamp: formatTimestamp(expiresAt),
    });
    settleAll(world, [['charges', chargeId]]);
    expect(world.get<ChargeRecord>('charges', chargeId).charge.statusDetails).toMatchObject({ state: 'Canceled', lastUpdatedTimestamp: expiration });
    expect(getChargePermission(world.env(), chargePermissionId).body.statusDetails.state).toBe('Chargeable');
  });
});
