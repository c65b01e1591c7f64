import { apiError } from '../errors.js';
import { minorOf } from '../money.js';
import { errorResult, type OperationEnv, type OperationInput, type OperationResult } from '../operation.js';
import { permissionWrite } from '../chargePermission/permissionState.js';
import { normalizePrice } from '../prices.js';
import type { Charge } from '../types.js';
import { validateBody } from '../validation.js';
import { SYNC_CAPTURE_WINDOW_MS, type ChargeRecord } from './chargeRecord.js';
import { captureChargeFields } from './chargeSchema.js';
import { chargeStatus, chargeWrite } from './chargeState.js';
import { findCharge } from './findCharge.js';
import { moveCharge } from './moveCharge.js';
import { checkSoftDescriptorRegion } from '../softDescriptor.js';


/**
 * Capture Charge (200), once per Authorized charge (Amazon Pay API reference: "Charge"): up to the authorized amount and the
 * permission's balance. More than 7 days after authorization the capture is asynchronous:
 * CaptureInitiated, then Captured after the pending delay.
 */
export function captureCharge(env: OperationEnv, id: string, { body, override }: OperationInput): OperationResult<Charge | { reasonCode: string; message: string }> {
  const { ctx, settings } = env;
  const b = validateBody(body, captureChargeFields, ['captureAmount']);
  const { charge, permission } = findCharge(env.state, id, ctx.now);
  checkSoftDescriptorRegion(ctx.region, b.softDescriptor);
  const c = charge.charge;
  if (c.statusDetails.state !== 'Authorized') {
    throw apiError('InvalidChargeStatus', `The Charge ${id} is ${c.statusDetails.state}; only an Authorized charge can be captured.`);
  }
  if (permission.chargePermission.statusDetails.state === 'Closed') {
    throw apiError('InvalidChargePermissionStatus', `The Charge Permission ${permission.chargePermission.chargePermissionId} is Closed.`);
  }
  const amount = normalizePrice(b.captureAmount, 'captureAmount');
  if (amount.currencyCode !== c.chargeAmount.currencyCode) {
    throw apiError('CurrencyMismatch', `The currency ${amount.currencyCode} of captureAmount differs from the charge's currency ${c.chargeAmount.currencyCode}.`);
  }
  const minor = minorOf(amount);
  if (minor > minorOf(c.chargeAmount)) {
    throw apiError('TransactionAmountExceeded', `The captureAmount ${amount.amount} exceeds the authorized chargeAmount ${c.chargeAmount.amount}.`);
  }
  const limit = permission.meta.amountLimitMinor;
  if (limit !== null && minor > limit - permission.meta.capturedMinor) {
    throw apiError('TransactionAmountExceeded', `The captureAmount ${amount.amount} exceeds the Charge Permission's amountBalance.`);
  }
  if (override?.kind === 'decline') {
    if (override.reasonCode === 'ProcessingFailure') return errorResult(apiError('ProcessingFailure'), []);
    const declined = moveCharge({ charge, permission, to: 'Declined', at: ctx.now, reasonCode: override.reasonCode });
    return errorResult(apiError(override.reasonCode, `The capture was declined (${override.reasonCode}).`), [chargeWrite(declined.charge), permissionWrite(declined.permission)]);
  }
  const late = charge.meta.authorizedAt !== null && ctx.now - charge.meta.authorizedAt > SYNC_CAPTURE_WINDOW_MS;
  if (override?.kind === 'captureInitiated' || late) {
    const settleTo = override?.kind === 'captureInitiated' ? override.settleTo : 'Captured';
    const initiated: ChargeRecord = {
      charge: { ...c, statusDetails: chargeStatus('CaptureInitiated', ctx.now), softDescriptor: b.softDescriptor ?? c.softDescriptor },
      meta: {
        ...charge.meta,
        settle: { at: ctx.now + settings.pendingDelayMs, to: settleTo, reasonCode: override?.kind === 'captureInitiated' ? override.reasonCode : null, captureMinor: minor },
      },
    };
    return { status: 200, body: initiated.charge, writes: [chargeWrite(initiated)] };
  }
  const captured = moveCharge({ charge, permission, to: 'Captured', at: ctx.now, captureMinor: minor, softDescriptor: b.softDescriptor ?? null });
  return { status: 200, body: captured.charge.charge, writes: [chargeWrite(captured.charge), permissionWrite(captured.permission)] };
}
