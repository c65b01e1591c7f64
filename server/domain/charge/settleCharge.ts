import type { ChargePermissionRecord } from '../chargePermission/chargePermissionRecord.js';
import type { ChargeRecord } from './chargeRecord.js';
import { authorizationExpiresAt } from './chargeState.js';
import { moveCharge } from './moveCharge.js';

/**
 * Applies whatever is due on a charge at `now`: a pending authorization or capture settles
 * (Authorized, Captured or Declined), and an authorization unused until its expirationTimestamp
 * (creation + 30 days) becomes Canceled/ExpiredUnused ("Manage asynchronous processing";
 * "Charge"). Returns null when nothing is due.
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
  // The expiry its expirationTimestamp shows, not 30 days after a pending authorization settled.
  const expiresAt = record.charge.statusDetails.state === 'Authorized' ? authorizationExpiresAt(record) : null;
  if (expiresAt !== null && now >= expiresAt) {
    // Only a pending delay configured longer than 30 days settles after the expiry: then it expires as it settles.
    const at = Math.max(expiresAt, record.meta.authorizedAt ?? expiresAt);
    return moveCharge({ charge: record, permission, to: 'Canceled', at, reasonCode: 'ExpiredUnused' });
  }
  return null;
}
