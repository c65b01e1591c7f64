import { price } from '../money.js';
import { formatTimestamp } from '../time.js';
import type { ChargePermissionReason, ChargePermissionStatusDetails } from '../types.js';
import type { ChargePermissionRecord } from './chargePermissionRecord.js';

const descriptions: Record<string, string> = {
  ChargeInProgress: 'A charge is already in progress. You cannot initiate a new charge unless previous charge is canceled.',
  PaymentMethodInvalid: 'The payment method was declined; ask the buyer to update it.',
};

/**
 * Derives the permission's state from its bookkeeping ("Charge Permission": states and reason codes): Closed stays Closed; a OneTime
 * permission with a charge in progress is NonChargeable/ChargeInProgress; a hard-declined payment
 * method makes it NonChargeable/PaymentMethodInvalid; otherwise Chargeable. Limits follow captures.
 */
export function refreshPermission(record: ChargePermissionRecord, now: number): ChargePermissionRecord {
  const cp = record.chargePermission;
  const m = record.meta;
  const limits = m.amountLimitMinor === null
    ? cp.limits
    : { amountLimit: price(m.amountLimitMinor, m.currency), amountBalance: price(Math.max(0, m.amountLimitMinor - m.capturedMinor), m.currency) };
  if (cp.statusDetails.state === 'Closed') return { ...record, chargePermission: { ...cp, limits } };
  const reasons: ChargePermissionReason[] = [];
  if (cp.chargePermissionType === 'OneTime' && m.openChargeIds.length > 0) reasons.push(reason('ChargeInProgress'));
  if (m.paymentMethodInvalid) reasons.push(reason('PaymentMethodInvalid'));
  const state = reasons.length > 0 ? 'NonChargeable' : 'Chargeable';
  const sameState = cp.statusDetails.state === state && JSON.stringify(cp.statusDetails.reasons ?? []) === JSON.stringify(reasons);
  const statusDetails: ChargePermissionStatusDetails = sameState
    ? cp.statusDetails
    : { state, reasons: reasons.length ? reasons : null, lastUpdatedTimestamp: formatTimestamp(now) };
  return { ...record, chargePermission: { ...cp, statusDetails, limits } };
}

function reason(code: string): ChargePermissionReason {
  return { reasonCode: code, reasonDescription: descriptions[code] ?? null };
}

/** When the permission next changes on its own (its expiry), or null. */
export function permissionDueAt(record: ChargePermissionRecord): number | null {
  return record.chargePermission.statusDetails.state === 'Closed' ? null : record.meta.expiresAt;
}

export function permissionWrite(record: ChargePermissionRecord) {
  return { collection: 'chargePermissions' as const, id: record.chargePermission.chargePermissionId, value: record, dueAt: permissionDueAt(record) };
}
