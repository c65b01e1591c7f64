import type { ChargePermissionRecord } from '../chargePermission/chargePermissionRecord.js';
import type { ChargeRecord } from './chargeRecord.js';
import { AUTHORIZATION_VALIDITY_MS } from './chargeRecord.js';
import { moveCharge } from './moveCharge.js';

/**
 * Applies whatever is due on a charge at `now`: a pending authorization or capture settles
 * (Authorized, Captured or Declined), and an authorization unused for 30 days becomes
 * Canceled/ExpiredUnused ("Manage asynchronous processing"). Returns null when nothing is due.
 */
export function settleCharge(
  record: ChargeRecord,
  permission: ChargePermissionRecord,
  now: number,
): { charge: ChargeRecord; permission: ChargePermissionRecord } | null {
  const settle = record.meta.settle;
  if (settle && now >= settle.at) {
    return moveCharge({ charge: record, permission, to: settle.to, at: settle.at, reasonCode: settle.reasonCode, captureMinor: settle.captureMinor });
  }
  const authorizedAt = record.meta.authorizedAt;
  if (record.charge.statusDetails.state === 'Authorized' && authorizedAt !== null && now >= authorizedAt + AUTHORIZATION_VALIDITY_MS) {
    return moveCharge({ charge: record, permission, to: 'Canceled', at: authorizedAt + AUTHORIZATION_VALIDITY_MS, reasonCode: 'ExpiredUnused' });
  }
  return null;
}
