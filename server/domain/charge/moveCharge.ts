import type { ChargePermissionRecord } from '../chargePermission/chargePermissionRecord.js';
import { refreshPermission } from '../chargePermission/permissionState.js';
import { minorOf, price } from '../money.js';
import { giveBackToMonth } from '../recurringLimits.js';
import type { ChargeRecord } from './chargeRecord.js';
import { chargeStatus } from './chargeState.js';

export type ChargeTarget = 'Authorized' | 'Captured' | 'Declined' | 'Canceled';

/** A charge's move: which charge on which permission goes to which state, when, and why. */
export interface ChargeMove {
  charge: ChargeRecord;
  permission: ChargePermissionRecord;
  to: ChargeTarget;
  at: number;
  reasonCode?: string | null;
  /** What a capture takes (default: the whole charge amount). */
  captureMinor?: number;
  reasonDescription?: string | null;
  softDescriptor?: string | null;
}

/**
 * The one place a charge changes state, with its permission's bookkeeping: a capture adds to the
 * captured total, a final state frees the permission (no longer ChargeInProgress), a hard decline
 * marks the payment method invalid, and a Declined or Canceled charge gives back what it counted
 * toward a Recurring permission's month. Used by settlement, capture, cancel and the PSP update.
 */
export function moveCharge(move: ChargeMove): { charge: ChargeRecord; permission: ChargePermissionRecord } {
  const { charge: record, permission, to, at, reasonCode = null, ...options } = move;
  const c = record.charge;
  const currency = c.chargeAmount.currencyCode;
  const status = chargeStatus(to, at, reasonCode);
  if (options.reasonDescription) status.reasonDescription = options.reasonDescription;
  const open = permission.meta.openChargeIds;
  const stillOpen = to === 'Authorized';
  const openChargeIds = stillOpen ? (open.includes(c.chargeId) ? open : [...open, c.chargeId]) : open.filter((id) => id !== c.chargeId);
  const captured = to === 'Captured' ? (options.captureMinor ?? minorOf(c.chargeAmount)) : 0;
  // A charge that ends without taking money gives its amount back to the month (README, "Choices").
  const { countsToMonth, ...uncounted } = record.meta;
  const givesBack = countsToMonth !== undefined && (to === 'Declined' || to === 'Canceled');
  const recurringPeriod = givesBack ? giveBackToMonth(permission.meta.recurringPeriod, countsToMonth, at) : permission.meta.recurringPeriod;
  const charge: ChargeRecord = {
    charge: {
      ...c,
      statusDetails: status,
      ...(to === 'Captured' ? { captureAmount: price(captured, currency), refundedAmount: price(0, currency) } : {}),
      ...(options.softDescriptor ? { softDescriptor: options.softDescriptor } : {}),
    },
    meta: {
      ...(givesBack ? uncounted : record.meta),
      settle: null,
      authorizedAt: to === 'Authorized' ? at : record.meta.authorizedAt,
    },
  };
  const nextPermission = refreshPermission(
    {
      ...permission,
      meta: {
        ...permission.meta,
        openChargeIds,
        capturedMinor: permission.meta.capturedMinor + captured,
        paymentMethodInvalid: permission.meta.paymentMethodInvalid || (to === 'Declined' && reasonCode === 'HardDeclined'),
        ...(recurringPeriod ? { recurringPeriod } : {}),
      },
    },
    at,
  );
  return { charge, permission: nextPermission };
}
