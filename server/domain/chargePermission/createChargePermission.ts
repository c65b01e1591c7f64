import type { SessionRecord } from '../checkoutSession/sessionRecord.js';
import type { IdGenerator } from '../ids.js';
import { minorOf } from '../money.js';
import { DAY, formatTimestamp } from '../time.js';
import type { ChargePermission } from '../types.js';
import { releaseEnvironmentOf } from '../types.js';
import { ONE_TIME_LIFETIME_DAYS, type ChargePermissionRecord } from './chargePermissionRecord.js';
import { refreshPermission } from './permissionState.js';

/** Adds calendar months in UTC (13-month expiries), clamping to the month's last day. */
function addMonths(ms: number, months: number): number {
  const d = new Date(ms);
  const target = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + months, 1, d.getUTCHours(), d.getUTCMinutes(), d.getUTCSeconds()));
  const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(d.getUTCDate(), lastDay));
  return target.getTime();
}

/**
 * Expiry by type (Amazon Pay API reference: "Charge Permission"): OneTime 180 days, or 13 months with extendExpiration; Recurring
 * 13 months; PaymentMethodOnFile never.
 */
function expiryOf(session: SessionRecord, now: number): number | null {
  const type = session.session.chargePermissionType ?? 'OneTime';
  if (type === 'PaymentMethodOnFile') return null;
  if (type === 'Recurring' || session.session.paymentDetails?.extendExpiration) return addMonths(now, 13);
  return now + ONE_TIME_LIFETIME_DAYS * DAY;
}

/**
 * amountLimit of a OneTime permission: the order total (or the charge amount when no total was
 * given; UNCONFIRMED default), raised to max(9x, 500 / 70,000 JPY) with allowOvercharge ("Advanced one-time payment options").
 */
function amountLimitOf(session: SessionRecord): number | null {
  const s = session.session;
  if ((s.chargePermissionType ?? 'OneTime') !== 'OneTime') return null;
  const base = s.paymentDetails?.totalOrderAmount ?? s.paymentDetails?.chargeAmount;
  if (!base) return null;
  const minor = minorOf(base);
  if (!s.paymentDetails?.allowOvercharge) return minor;
  const floor = base.currencyCode === 'JPY' ? 70_000 : 500 * 100;
  return Math.max(minor * 9, floor);
}

/** The permission a completed checkout session creates. */
export function createChargePermission(session: SessionRecord, ids: IdGenerator, now: number): ChargePermissionRecord {
  const s = session.session;
  const type = s.chargePermissionType ?? 'OneTime';
  const currency = s.paymentDetails?.chargeAmount?.currencyCode ?? s.paymentDetails?.presentmentCurrency ?? 'USD';
  const expiresAt = expiryOf(session, now);
  const chargePermission: ChargePermission = {
    chargePermissionId: s.chargePermissionId ?? ids.chargePermissionId(session.meta.region, session.meta.environment, type),
    chargePermissionReferenceId: null,
    platformId: s.platformId,
    buyer: s.buyer,
    shippingAddress: s.shippingAddress,
    billingAddress: s.billingAddress,
    paymentPreferences: (s.paymentPreferences ?? []).filter((p): p is NonNullable<typeof p> => p !== null),
    statusDetails: { state: 'Chargeable', reasons: null, lastUpdatedTimestamp: formatTimestamp(now) },
    creationTimestamp: formatTimestamp(now),
    expirationTimestamp: expiresAt === null ? null : formatTimestamp(expiresAt),
    merchantMetadata: s.merchantMetadata,
    releaseEnvironment: releaseEnvironmentOf(session.meta.environment),
    limits: { amountLimit: null, amountBalance: null },
    chargePermissionType: type,
    recurringMetadata: s.recurringMetadata,
    presentmentCurrency: s.paymentDetails?.presentmentCurrency ?? currency,
  };
  return refreshPermission(
    {
      chargePermission,
      meta: {
        region: session.meta.region,
        environment: session.meta.environment,
        currency,
        amountLimitMinor: amountLimitOf(session),
        capturedMinor: 0,
        chargeCount: 0,
        openChargeIds: [],
        paymentMethodInvalid: false,
        card: session.meta.card,
        expiresAt,
      },
    },
    now,
  );
}
