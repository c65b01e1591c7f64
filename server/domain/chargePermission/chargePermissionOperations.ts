import type { ChargeRecord } from '../charge/chargeRecord.js';
import { chargeStatus, chargeWrite } from '../charge/chargeState.js';
import { merchantMetadataOf, recurringMetadataOf } from '../checkoutSession/createCheckoutSession.js';
import { apiError } from '../errors.js';
import type { OperationEnv, OperationInput, OperationResult } from '../operation.js';
import { formatTimestamp } from '../time.js';
import type { ChargePermission } from '../types.js';
import { validateBody } from '../validation.js';
import { closeChargePermissionFields, updateChargePermissionFields } from './chargePermissionSchema.js';
import { findChargePermission } from './findChargePermission.js';
import { permissionWrite, refreshPermission } from './permissionState.js';


/** Get Charge Permission (200). */
export function getChargePermission(env: OperationEnv, id: string): OperationResult<ChargePermission> {
  const { record, changed } = findChargePermission(env.state, id, env.ctx.now);
  return { status: 200, body: record.chargePermission, writes: changed ? [permissionWrite(record)] : [] };
}

/** Update Charge Permission (200): merchantMetadata and recurringMetadata; 422 once Closed. */
export function updateChargePermission(env: OperationEnv, id: string, body: unknown): OperationResult<ChargePermission> {
  const b = validateBody(body, updateChargePermissionFields);
  const { record } = findChargePermission(env.state, id, env.ctx.now);
  const cp = record.chargePermission;
  if (cp.statusDetails.state === 'Closed') {
    throw apiError('ChargePermissionNotModifiable', `The Charge Permission ${id} is Closed and can no longer be modified.`);
  }
  if (b.recurringMetadata && cp.chargePermissionType !== 'Recurring') {
    throw apiError('InvalidParameterCombination', 'recurringMetadata can only be updated on a Recurring Charge Permission.');
  }
  const next = {
    ...record,
    chargePermission: {
      ...cp,
      merchantMetadata: merchantMetadataOf(b.merchantMetadata ?? null, cp.merchantMetadata),
      recurringMetadata: recurringMetadataOf(b.recurringMetadata ?? null, record.meta.region, cp.recurringMetadata),
    },
  };
  return { status: 200, body: next.chargePermission, writes: [permissionWrite(next)] };
}

/**
 * Close Charge Permission (200): Closed/MerchantClosed with the closure reason as description.
 * With cancelPendingCharges, charges still open become Canceled/ChargePermissionCanceled.
 * Closing a Closed permission is 422 InvalidChargePermissionStatus.
 */
export function closeChargePermission(env: OperationEnv, id: string, { body, override }: OperationInput): OperationResult<ChargePermission> {
  const b = validateBody(body, closeChargePermissionFields);
  const { now } = env.ctx;
  const { record } = findChargePermission(env.state, id, now);
  if (record.chargePermission.statusDetails.state === 'Closed') {
    throw apiError('InvalidChargePermissionStatus', `The Charge Permission ${id} is already Closed.`);
  }
  const writes = [];
  let openChargeIds = record.meta.openChargeIds;
  if (b.cancelPendingCharges === true) {
    // Only charges not yet being captured can be canceled ("Charge Permission": Close Charge Permission); a CaptureInitiated one settles.
    const kept: string[] = [];
    for (const chargeId of record.meta.openChargeIds) {
      const charge = env.state.get<ChargeRecord>('charges', chargeId);
      if (!charge) continue;
      const state = charge.charge.statusDetails.state;
      if (state !== 'Authorized' && state !== 'AuthorizationInitiated') {
        kept.push(chargeId);
        continue;
      }
      const canceled: ChargeRecord = { charge: { ...charge.charge, statusDetails: chargeStatus('Canceled', now, 'ChargePermissionCanceled') }, meta: { ...charge.meta, settle: null } };
      writes.push(chargeWrite(canceled));
    }
    openChargeIds = kept;
  }
  const reasonCode = override?.kind === 'close' ? override.reasonCode : 'MerchantClosed';
  const closed = refreshPermission(
    {
      ...record,
      chargePermission: {
        ...record.chargePermission,
        statusDetails: { state: 'Closed', reasons: [{ reasonCode, reasonDescription: b.closureReason ?? null }], lastUpdatedTimestamp: formatTimestamp(now) },
      },
      meta: { ...record.meta, openChargeIds },
    },
    now,
  );
  writes.push(permissionWrite(closed));
  return { status: 200, body: closed.chargePermission, writes };
}
