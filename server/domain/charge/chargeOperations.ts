import { permissionWrite } from '../chargePermission/permissionState.js';
import { apiError } from '../errors.js';
import type { OperationEnv, OperationResult } from '../operation.js';
import type { Charge } from '../types.js';
import { validateBody } from '../validation.js';
import { cancelChargeFields, updateChargeFields } from './chargeSchema.js';
import { chargeWrite } from './chargeState.js';
import { findCharge } from './findCharge.js';
import { moveCharge, type ChargeTarget } from './moveCharge.js';


/** Get Charge (200), with due transitions applied. */
export function getCharge(env: OperationEnv, id: string): OperationResult<Charge> {
  const { charge, permission, changed } = findCharge(env.state, id, env.ctx.now);
  return { status: 200, body: charge.charge, writes: changed ? [chargeWrite(charge), permissionWrite(permission)] : [] };
}

/** Cancel Charge (200): an Authorized or AuthorizationInitiated charge becomes Canceled/MerchantCanceled. */
export function cancelCharge(env: OperationEnv, id: string, body: unknown): OperationResult<Charge> {
  const b = validateBody(body, cancelChargeFields);
  const { charge, permission } = findCharge(env.state, id, env.ctx.now);
  const state = charge.charge.statusDetails.state;
  if (state !== 'Authorized' && state !== 'AuthorizationInitiated') {
    throw apiError('InvalidChargeStatus', `The Charge ${id} is ${state}; only an Authorized or AuthorizationInitiated charge can be canceled.`);
  }
  const moved = moveCharge({ charge, permission, to: 'Canceled', at: env.ctx.now, reasonCode: 'MerchantCanceled', reasonDescription: b.cancellationReason ?? null });
  return { status: 200, body: moved.charge.charge, writes: [chargeWrite(moved.charge), permissionWrite(moved.permission)] };
}

/** Which states a payment service provider may report from each state (UNCONFIRMED; see the README's "Choices"). */
const pspTransitions: Record<string, readonly ChargeTarget[]> = {
  AuthorizationInitiated: ['Authorized', 'Declined', 'Canceled'],
  Authorized: ['Captured', 'Declined', 'Canceled'],
  CaptureInitiated: ['Captured', 'Declined'],
};

/** Update Charge (200), for payment service providers: reports the charge's new state. */
export function updateCharge(env: OperationEnv, id: string, body: unknown): OperationResult<Charge> {
  const b = validateBody(body, updateChargeFields, ['statusDetails']);
  const { charge, permission } = findCharge(env.state, id, env.ctx.now);
  const from = charge.charge.statusDetails.state;
  const to = b.statusDetails.state;
  if (!pspTransitions[from]?.includes(to)) {
    throw apiError('InvalidChargeStatus', `A Charge in state ${from} cannot be updated to ${to}.`);
  }
  const reasonCode = b.statusDetails.reasonCode ?? (to === 'Declined' ? 'ProcessingFailure' : to === 'Canceled' ? 'MerchantCanceled' : null);
  const captureMinor = charge.meta.settle?.captureMinor;
  const moved = moveCharge({ charge, permission, to, at: env.ctx.now, reasonCode, captureMinor });
  return { status: 200, body: moved.charge.charge, writes: [chargeWrite(moved.charge), permissionWrite(moved.permission)] };
}
