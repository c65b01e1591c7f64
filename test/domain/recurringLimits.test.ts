import { describe, expect, it } from 'vitest';
import { captureCharge } from '../../server/domain/charge/captureCharge.js';
import { cancelCharge, getCharge } from '../../server/domain/charge/chargeOperations.js';
import type { ChargeRecord } from '../../server/domain/charge/chargeRecord.js';
import { createCharge } from '../../server/domain/charge/createCharge.js';
import type { ChargePermissionRecord } from '../../server/domain/chargePermission/chargePermissionRecord.js';
import { giveBackToMonth } from '../../server/domain/recurringLimits.js';
import { settleRecord } from '../../server/domain/settleRecord.js';
import { DAY, SECOND } from '../../server/domain/time.js';
import { thrownAmazonError } from '../helpers/amazonError.js';
import { domainWorld } from '../helpers/domainEnv.js';
import { completedCheckout } from '../helpers/domainFlows.js';

/**
 * Amazon's "Monthly recurring charge limits": USD 1,000 per calendar month on one Recurring Charge
 * Permission. A charge that ends Declined, or Canceled before any capture, took no money and gives
 * its amount back to the month it was counted in (the README's "Choices"; UNCONFIRMED).
 */

const usd = (amount: string) => ({ amount, currencyCode: 'USD' });
const recurring = { chargePermissionType: 'Recurring', recurringMetadata: { frequency: { unit: 'Month', value: '1' }, amount: usd('10.00') } };
const MARCH_1 = Date.UTC(2031, 2, 1, 0, 0, 0);

/** A Chargeable Recurring permission (Confirm at completion, so nothing is charged yet). */
function recurringPermission(now = MARCH_1) {
  const world = domainWorld({ now });
  const { chargePermissionId } = completedCheckout(world, { paymentIntent: 'Confirm', chargeAmount: usd('10.00') }, recurring);
  return { world, chargePermissionId };
}

function charge(world: ReturnType<typeof domainWorld>, body: Record<string, unknown>, override?: any) {
  return world.apply(createCharge(world.env(), { body, override })) as { status: number; body: any };
}

function settle(world: ReturnType<typeof domainWorld>, chargeId: string) {
  for (const w of settleRecord(world.env().state, { collection: 'charges', id: chargeId }, { now: world.now, publicUrl: 'https://mock.test' })) world.apply({ status: 200, body: null, writes: [w] });
}

const chargedMinor = (world: ReturnType<typeof domainWorld>, id: string) => world.get<ChargePermissionRecord>('chargePermissions', id).meta.recurringPeriod?.chargedMinor;

describe('giveBackToMonth', () => {
  const counted = { month: '2031-03', amountMinor: 60_000 };

  it('takes the amount off the month it was counted in, never below zero', () => {
    expect(giveBackToMonth({ month: '2031-03', chargedMinor: 100_000 }, counted, MARCH_1 + DAY)).toEqual({ month: '2031-03', chargedMinor: 40_000 });
    expect(giveBackToMonth({ month: '2031-03', chargedMinor: 10_000 }, counted, MARCH_1 + DAY)).toEqual({ month: '2031-03', chargedMinor: 0 });
  });

  it('gives nothing back once the month is over, or to a period of another month', () => {
    const april = Date.UTC(2031, 3, 1);
    expect(giveBackToMonth({ month: '2031-03', chargedMinor: 100_000 }, counted, april)).toEqual({ month: '2031-03', chargedMinor: 100_000 });
    expect(giveBackToMonth({ month: '2031-04', chargedMinor: 100_000 }, counted, april)).toEqual({ month: '2031-04', chargedMinor: 100_000 });
    expect(giveBackToMonth(undefined, counted, MARCH_1)).toBeUndefined();
  });
});

describe('charges that took no money leave the month (Monthly recurring charge limits)', () => {
  it('a pending authorization that settles Declined: the retry of the full month is allowed', () => {
    const { world, chargePermissionId } = recurringPermission();
    const pending = charge(world, { chargePermissionId, chargeAmount: usd('600.00'), canHandlePendingAuthorization: true }, { kind: 'decline', reasonCode: 'SoftDeclined' });
    expect(pending.body.statusDetails.state).toBe('AuthorizationInitiated');
    expect(chargedMinor(world, chargePermissionId)).toBe(60_000);
    world.advance(30 * SECOND);
    settle(world, pending.body.chargeId);
    expect(getCharge(world.env(), pending.body.chargeId).body.statusDetails).toMatchObject({ state: 'Declined', reasonCode: 'SoftDeclined' });
    expect(chargedMinor(world, chargePermissionId)).toBe(0);
    expect(world.get<ChargeRecord>('charges', pending.body.chargeId).meta.countsToMonth).toBeUndefined();
    expect(charge(world, { chargePermissionId, chargeAmount: usd('1000.00'), captureNow: true }).status).toBe(201);
  });

  it('Cancel Charge on an authorization: its amount comes back; a captured charge stays counted', () => {
    const { world, chargePermissionId } = recurringPermission();
    const kept = charge(world, { chargePermissionId, chargeAmount: usd('300.00') });
    const canceled = charge(world, { chargePermissionId, chargeAmount: usd('600.00') });
    world.apply(captureCharge(world.env(), kept.body.chargeId, { body: { captureAmount: usd('300.00') } }));
    world.apply(cancelCharge(world.env(), canceled.body.chargeId, {}));
    expect(chargedMinor(world, chargePermissionId)).toBe(30_000);
    expect(thrownAmazonError(() => createCharge(world.env(), { body: { chargePermissionId, chargeAmount: usd('700.01') } })).reasonCode).toBe('PeriodicAmountExceeded');
    expect(charge(world, { chargePermissionId, chargeAmount: usd('700.00') }).status).toBe(201);
  });

  it('an authorization expiring unused within its month (Canceled/ExpiredUnused) gives its amount back', () => {
    const { world, chargePermissionId } = recurringPermission();
    const authorized = charge(world, { chargePermissionId, chargeAmount: usd('900.00') });
    world.advance(30 * DAY); // 2031-03-31: still March
    settle(world, authorized.body.chargeId);
    expect(getCharge(world.env(), authorized.body.chargeId).body.statusDetails).toMatchObject({ state: 'Canceled', reasonCode: 'ExpiredUnused' });
    expect(chargedMinor(world, chargePermissionId)).toBe(0);
    expect(charge(world, { chargePermissionId, chargeAmount: usd('1000.00'), captureNow: true }).status).toBe(201);
  });

  it('the charge made at completion gives its amount back when canceled', () => {
    const world = domainWorld({ now: MARCH_1 });
    const { chargePermissionId, chargeId } = completedCheckout(world, { paymentIntent: 'Authorize', chargeAmount: usd('900.00') }, recurring);
    expect(chargedMinor(world, chargePermissionId)).toBe(90_000);
    world.apply(cancelCharge(world.env(), chargeId!, {}));
    expect(chargedMinor(world, chargePermissionId)).toBe(0);
    expect(charge(world, { chargePermissionId, chargeAmount: usd('1000.00') }).status).toBe(201);
  });

  it('a charge declined after its month is over gives nothing to the new month', () => {
    const { world, chargePermissionId } = recurringPermission(Date.UTC(2031, 2, 31, 23, 59, 50));
    const pending = charge(world, { chargePermissionId, chargeAmount: usd('600.00'), canHandlePendingAuthorization: true }, { kind: 'decline', reasonCode: 'SoftDeclined' });
    world.advance(60 * SECOND); // April; the decline settles at 00:00:20
    expect(charge(world, { chargePermissionId, chargeAmount: usd('1000.00'), captureNow: true }).status).toBe(201);
    settle(world, pending.body.chargeId);
    expect(getCharge(world.env(), pending.body.chargeId).body.statusDetails.state).toBe('Declined');
    expect(world.get<ChargePermissionRecord>('chargePermissions', chargePermissionId).meta.recurringPeriod).toEqual({ month: '2031-04', chargedMinor: 100_000 });
    expect(thrownAmazonError(() => createCharge(world.env(), { body: { chargePermissionId, chargeAmount: usd('0.01') } })).reasonCode).toBe('PeriodicAmountExceeded');
  });

  it('a charge stored before charges kept what they counted stays counted', () => {
    const { world, chargePermissionId } = recurringPermission();
    const old = charge(world, { chargePermissionId, chargeAmount: usd('600.00') });
    const stored = world.get<ChargeRecord>('charges', old.body.chargeId);
    const { countsToMonth, ...olderMeta } = stored.meta;
    expect(countsToMonth).toEqual({ month: '2031-03', amountMinor: 60_000 });
    world.apply({ status: 200, body: null, writes: [{ collection: 'charges', id: old.body.chargeId, value: { ...stored, meta: olderMeta } }] });
    expect(world.apply(cancelCharge(world.env(), old.body.chargeId, {})).body.statusDetails.state).toBe('Canceled');
    expect(chargedMinor(world, chargePermissionId)).toBe(60_000);
  });
});
