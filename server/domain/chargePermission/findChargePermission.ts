import { apiError } from '../errors.js';
import type { StateView } from '../operation.js';
import { formatTimestamp } from '../time.js';
import type { ChargePermissionRecord } from './chargePermissionRecord.js';
import { withRetainedDetails } from '../retention.js';

/**
 * The permission as it stands at `now`: past its expiry it is Closed (reason code "Expired",
 * UNCONFIRMED; "Charge Permission"), and a OneTime permission past 30 days (a Recurring one 30 days
 * after it closed) has no buyer details. Returns the same object when nothing changed.
 */
export function permissionAsOf(stored: ChargePermissionRecord, now: number): ChargePermissionRecord {
  // Expiry first: a Recurring permission's buyer details are kept for 30 days after it closed.
  return withRetainedDetails(expiredAsOf(stored, now), now);
}

/** The permission Closed/Expired once its expiry has passed; the same object otherwise. */
function expiredAsOf(record: ChargePermissionRecord, now: number): ChargePermissionRecord {
  const expiresAt = record.meta.expiresAt;
  if (expiresAt === null || now < expiresAt || record.chargePermission.statusDetails.state === 'Closed') return record;
  return {
    ...record,
    chargePermission: {
      ...record.chargePermission,
      statusDetails: { state: 'Closed', reasons: [{ reasonCode: 'Expired', reasonDescription: 'The Charge Permission expired.' }], lastUpdatedTimestamp: formatTimestamp(expiresAt) },
    },
  };
}

/** The permission as of now, or 404 ResourceNotFound. */
export function findChargePermission(state: StateView, id: string, now: number): { record: ChargePermissionRecord; changed: boolean } {
  const stored = state.get<ChargePermissionRecord>('chargePermissions', id);
  if (!stored) throw apiError('ResourceNotFound', `The Charge Permission '${id}' was not found.`);
  const record = permissionAsOf(stored, now);
  return { record, changed: record !== stored };
}
