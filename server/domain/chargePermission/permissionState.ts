import { price } from '../money.js';
import { formatTimestamp } from '../time.js';
import type { ChargePermissionReason, ChargePermissionStatusDetails } from '../types.js';
import type { ChargePermissionRecord } from './chargePermissionRecord.js';
import { buyerDetailsDropAt } from '../retention.js';

/**
 * Reason code of a OneTime permission closed because its total order amount was captured. Amazon's
 * Charge Permission page says it moves to Closed then, without naming the code (UNCONFIRMED):
 * Amazon closes it, so AmazonClosed from Amazon's reason-code vocabulary.
 */
export const FULLY_CAPTURED_REASON = 'AmazonClosed';

const descriptions: Record<string, string> = {
  ChargeInProgress: 'A charge is already in progress. You cannot initiate a new charge unless previous charge is canceled.',
  PaymentMethodInvalid: 'The payment method was declined; ask the buyer to update it.',
  [FULLY_CAPTURED_REASON]: 'The total order amount has been captured.',
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
  if (fullyCaptured(record)) {
    const statusDetails: ChargePermissionStatusDetails = { state: 'Closed', reasons: [reason(FULLY_CAPTURED_REASON)], lastUpdatedTimestamp: formatTimestamp(now) };
    return { ...record, chargePermission: { ...cp, statusDetails, limits } };
  }
  const reasons: ChargePermissionReason[] = [];
  if (cp.chargePermissionType === 'OneTime' && m.openChargeIds.length > 0) reasons.push(reason('ChargeInProgress'));
  if (m.paymentMethodInvalid) reasons.push(reason('PaymentMethodInvalid'));
  const state = reasons.length > 0 ? 'NonChargeable' : 'Chargeable';
  const sameState = cp.statusDetails.state === state && sameReasons(cp.statusDetails.reasons ?? [], reasons);
  const statusDetails: ChargePermissionStatusDetails = sameState
    ? cp.statusDetails
    : { state, reasons: reasons.length ? reasons : null, lastUpdatedTimestamp: formatTimestamp(now) };
  return { ...record, chargePermission: { ...cp, statusDetails, limits } };
}

/**
 * Charge Permission page: "The one-time Charge Permission will move to a Closed state after the
 * total order amount has been captured" — once nothing is left to capture and no charge is open.
 */
function fullyCaptured(record: ChargePermissionRecord): boolean {
  const m = record.meta;
  return record.chargePermission.chargePermissionType === 'OneTime' && m.amountLimitMinor !== null && m.capturedMinor >= m.amountLimitMinor && m.openChargeIds.length === 0;
}

/** Same codes and descriptions in the same order (compared field by field: this runs on every charge). */
function sameReasons(a: readonly ChargePermissionReason[], b: readonly ChargePermissionReason[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i]!.reasonCode !== b[i]!.reasonCode || a[i]!.reasonDescription !== b[i]!.reasonDescription) return false;
  return true;
}

function reason(code: string): ChargePermissionReason {
  return { reasonCode: code, reasonDescription: descriptions[code] ?? null };
}

/** When the permission next changes on its own (its expiry, or buyer details past retention), or null. */
export function permissionDueAt(record: ChargePermissionRecord): number | null {
  const expiry = record.chargePermission.statusDetails.state === 'Closed' ? null : record.meta.expiresAt;
  const drop = buyerDetailsDropAt(record);
  if (expiry === null) return drop;
  return drop === null ? expiry : Math.min(expiry, drop);
}

export function permissionWrite(record: ChargePermissionRecord) {
  return { collection: 'chargePermissions' as const, id: record.chargePermission.chargePermissionId, value: record, dueAt: permissionDueAt(record) };
}
