import type { ChargePermissionRecord } from '../chargePermission/chargePermissionRecord.js';
import { refreshPermission } from '../chargePermission/permissionState.js';
import { minorOf, price } from '../money.js';
import type { ChargeRecord } from './chargeRecord.js';
import { AUTHORIZATION_VALIDITY_MS } from './chargeRecord.js';
import { chargeStatus } from './chargeState.js';

/**
 * Applies whatever is due on a charge at `now`: a pending authorization settles (Authorized,
 * Captured or Declined), and an authorization unused for 30 days becomes Canceled/ExpiredUnused
 * (§5.2). The permission's bookkeeping follows. Returns null when nothing is due.
 */
export function settleCharge(
  record: ChargeRecord,
  permission: ChargePermissionRecord,
  now: number,
): { charge: ChargeRecord; permission: ChargePermissionRecord } | null {
  const c = record.charge;
  const settle = record.meta.settle;
  const amount = minorOf(c.chargeAmount);
  const withoutOpen = (pm: ChargePermissionRecord) => pm.meta.openChargeIds.filter((id) => id !== c.chargeId);
  if (settle && now >= settle.at) {
    const at = settle.at;
    if (settle.to === 'Declined') {
      const hard = settle.reasonCode === 'HardDeclined';
      return {
        charge: { charge: { ...c, statusDetails: chargeStatus('Declined', at, settle.reasonCode) }, meta: { ...record.meta, settle: null } },
        permission: refreshPermission({ ...permission, meta: { ...permission.meta, openChargeIds: withoutOpen(permission), paymentMethodInvalid: permission.meta.paymentMethodInvalid || hard } }, at),
      };
    }
    if (settle.to === 'Captured') {
      return {
        charge: {
          charge: { ...c, statusDetails: chargeStatus('Captured', at), captureAmount: c.chargeAmount, refundedAmount: price(0, c.chargeAmount.currencyCode) },
          meta: { ...record.meta, settle: null },
        },
        permission: refreshPermission({ ...permission, meta: { ...permission.meta, openChargeIds: withoutOpen(permission), capturedMinor: permission.meta.capturedMinor + amount } }, at),
      };
    }
    return {
      charge: { charge: { ...c, statusDetails: chargeStatus('Authorized', at) }, meta: { ...record.meta, settle: null, authorizedAt: at } },
      permission,
    };
  }
  const authorizedAt = record.meta.authorizedAt;
  if (c.statusDetails.state === 'Authorized' && authorizedAt !== null && now >= authorizedAt + AUTHORIZATION_VALIDITY_MS) {
    const at = authorizedAt + AUTHORIZATION_VALIDITY_MS;
    return {
      charge: { charge: { ...c, statusDetails: chargeStatus('Canceled', at, 'ExpiredUnused') }, meta: record.meta },
      permission: refreshPermission({ ...permission, meta: { ...permission.meta, openChargeIds: withoutOpen(permission) } }, at),
    };
  }
  return null;
}
