import type { Put } from './writes.js';
import type { DisputeRecord } from './dispute/disputeRecord.js';
import { disputeWrite, settleDispute } from './dispute/disputeOperations.js';
import type { ChargeRecord } from './charge/chargeRecord.js';
import { chargeWrite } from './charge/chargeState.js';
import { settleCharge } from './charge/settleCharge.js';
import type { ChargePermissionRecord } from './chargePermission/chargePermissionRecord.js';
import { permissionWrite } from './chargePermission/permissionState.js';
import type { SessionRecord, SessionTime } from './checkoutSession/sessionRecord.js';
import { sessionAsOf, sessionWrite } from './checkoutSession/sessionState.js';
import type { StateView } from './operation.js';
import { permissionAsOf } from './chargePermission/findChargePermission.js';
import type { RefundRecord } from './refund/refundRecord.js';
import { refundWrite } from './refund/refundState.js';
import { settleRefund } from './refund/settleRefund.js';
import { isSessionDeleted } from './retention.js';

/**
 * The writes that bring one record up to `now`: session expiry and deletion, pending charge
 * settlement, authorization expiry, permission expiry and buyer-detail retention. Empty when nothing is due. Called by the scheduler for
 * records whose dueAt has passed, whether or not a client is polling.
 */
export function settleRecord(state: StateView, { collection, id }: { collection: string; id: string }, at: SessionTime): Put[] {
  const { now } = at;
  if (collection === 'checkoutSessions') {
    const record = state.get<SessionRecord>('checkoutSessions', id);
    if (record && isSessionDeleted(record, now)) return [{ collection: 'checkoutSessions', id, value: null }];
    return advanced(record, (r) => sessionAsOf(r, at), sessionWrite);
  }
  if (collection === 'chargePermissions') return advanced(state.get<ChargePermissionRecord>('chargePermissions', id), (r) => permissionAsOf(r, now), permissionWrite);
  if (collection === 'charges') {
    const record = state.get<ChargeRecord>('charges', id);
    const permission = record && state.get<ChargePermissionRecord>('chargePermissions', record.charge.chargePermissionId);
    const settled = record && permission && settleCharge(record, permission, now);
    return settled ? [chargeWrite(settled.charge), permissionWrite(settled.permission)] : [];
  }
  if (collection === 'refunds') {
    const record = state.get<RefundRecord>('refunds', id);
    const charge = record && state.get<ChargeRecord>('charges', record.refund.chargeId);
    const settled = record && charge && settleRefund(record, charge, now);
    return settled ? [refundWrite(settled.refund), chargeWrite(settled.charge)] : [];
  }
  if (collection === 'disputes') {
    const record = state.get<DisputeRecord>('disputes', id);
    return record ? settleDispute(record, now) : [];
  }
  return [];
}

/** The write that brings a stored record up to date, or none when it is gone or `advance` left it as it was. */
function advanced<T>(record: T | undefined, advance: (record: T) => T, write: (record: T) => Put): Put[] {
  if (record === undefined) return [];
  const next = advance(record);
  return next === record ? [] : [write(next)];
}

/**
 * When the stored record next changes on its own, as its write computes it (null: never, or the
 * record is gone). Lets the scheduler tell a record rescheduled meanwhile from a stale schedule.
 */
export function dueAtOf(state: StateView, collection: string, id: string): number | null {
  if (collection === 'checkoutSessions') return scheduled(state.get<SessionRecord>(collection, id), sessionWrite);
  if (collection === 'charges') return scheduled(state.get<ChargeRecord>(collection, id), chargeWrite);
  if (collection === 'chargePermissions') return scheduled(state.get<ChargePermissionRecord>(collection, id), permissionWrite);
  if (collection === 'refunds') return scheduled(state.get<RefundRecord>(collection, id), refundWrite);
  if (collection === 'disputes') return scheduled(state.get<DisputeRecord>(collection, id), (record) => ({ dueAt: disputeWrite(record).dueAt ?? null }));
  return null;
}

function scheduled<T>(record: T | undefined, write: (record: T) => { dueAt: number | null }): number | null {
  return record === undefined ? null : write(record).dueAt;
}
