import type { ChargePermissionRecord } from '../chargePermission/chargePermissionRecord.js';
import { apiError } from '../errors.js';
import type { StateView } from '../operation.js';
import { settleCharge } from './settleCharge.js';
import type { ChargeRecord } from './chargeRecord.js';

/** The charge and its permission as of `now` (due transitions applied), or 404 ResourceNotFound. */
export function findCharge(state: StateView, id: string, now: number): { charge: ChargeRecord; permission: ChargePermissionRecord; changed: boolean } {
  const stored = state.get<ChargeRecord>('charges', id);
  const permission = stored && state.get<ChargePermissionRecord>('chargePermissions', stored.charge.chargePermissionId);
  if (!stored || !permission) throw apiError('ResourceNotFound', `The Charge '${id}' was not found.`);
  let current = { charge: stored, permission };
  let changed = false;
  // Several transitions may be due (settled, then expired 30 days later).
  for (let next = settleCharge(current.charge, current.permission, now); next; next = settleCharge(current.charge, current.permission, now)) {
    current = next;
    changed = true;
  }
  return { ...current, changed };
}
