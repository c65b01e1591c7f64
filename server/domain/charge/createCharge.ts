import { simulatedCards } from '../cards.js';
import { MAX_CHARGES_PER_ONE_TIME_PERMISSION } from '../chargePermission/chargePermissionRecord.js';
import { findChargePermission } from '../chargePermission/findChargePermission.js';
import { permissionWrite, refreshPermission } from '../chargePermission/permissionState.js';
import { apiError } from '../errors.js';
import { formatMinor, minorOf } from '../money.js';
import { errorResult, type OperationEnv, type OperationInput, type OperationResult } from '../operation.js';
import { normalizePrice } from '../prices.js';
import type { Charge } from '../types.js';
import { validateBody } from '../validation.js';
import { authorizeCharge } from './authorizeCharge.js';
import { merchantMetadataOf } from '../checkoutSession/createCheckoutSession.js';
import { createChargeFields } from './chargeSchema.js';
import { chargeWrite } from './chargeState.js';
import { checkSoftDescriptorRegion } from '../softDescriptor.js';
import { chargeWithinMonthlyLimit, recurringCountOf } from '../recurringLimits.js';


/**
 * Create Charge (201) on a Chargeable permission (Amazon Pay API reference: "Charge"; "Manage errors"): Authorized, Captured with
 * captureNow, or AuthorizationInitiated when the outcome is pending and the caller can handle it.
 * A decline answers an error (422, ProcessingFailure 500) unless canHandlePendingAuthorization,
 * in which case the charge settles to Declined later.
 */
export function createCharge(env: OperationEnv, { body, override }: OperationInput): OperationResult<Charge | { reasonCode: string; message: string }> {
  const { ctx, ids, settings } = env;
  const b = validateBody(body, createChargeFields, ['chargePermissionId', 'chargeAmount']);
  const { record: permission } = findChargePermission(env.state, b.chargePermissionId, ctx.now);
  const cp = permission.chargePermission;
  if (cp.statusDetails.state !== 'Chargeable') {
    const reasons = (cp.statusDetails.reasons ?? []).map((r) => r.reasonCode).join(', ');
    throw apiError('InvalidChargePermissionStatus', `The Charge Permission ${cp.chargePermissionId} is ${cp.statusDetails.state}${reasons ? ` (${reasons})` : ''}; a charge needs a Chargeable permission.`);
  }
  const amount = normalizePrice(b.chargeAmount, 'chargeAmount');
  if (amount.currencyCode !== permission.meta.currency) {
    throw apiError('CurrencyMismatch', `The currency ${amount.currencyCode} of chargeAmount differs from the Charge Permission's currency ${permission.meta.currency}.`);
  }
  const minor = minorOf(amount);
  if (cp.chargePermissionType === 'OneTime') {
    if (permission.meta.chargeCount >= MAX_CHARGES_PER_ONE_TIME_PERMISSION) {
      throw apiError('TransactionCountExceeded', `A OneTime Charge Permission allows at most ${MAX_CHARGES_PER_ONE_TIME_PERMISSION} charges.`);
    }
    const limit = permission.meta.amountLimitMinor;
    if (limit !== null && minor > limit - permission.meta.capturedMinor) {
      throw apiError('TransactionAmountExceeded', `The chargeAmount ${amount.amount} exceeds the Charge Permission's amountBalance ${formatMinor(Math.max(0, limit - permission.meta.capturedMinor), amount.currencyCode)}.`);
    }
  }
  const recurringPeriod = cp.chargePermissionType === 'Recurring' ? chargeWithinMonthlyLimit(permission.meta.recurringPeriod, amount, ctx.now) : undefined;
  checkSoftDescriptorRegion(ctx.region, b.softDescriptor);
  if (b.softDescriptor && b.captureNow !== true) {
    throw apiError('InvalidParameterCombination', 'softDescriptor can only be set together with captureNow: true.');
  }
  const canPend = b.canHandlePendingAuthorization === true;
  const card = permission.meta.card ? simulatedCards[permission.meta.card]?.behaviour : undefined;
  let pending: { state?: 'AuthorizationInitiated' | 'CaptureInitiated'; settleTo: 'Authorized' | 'Declined'; reasonCode: string | null } | null = null;
  if (override?.kind === 'decline') {
    if (!canPend) {
      // A synchronous decline: nothing is created; a hard decline leaves the payment method unusable.
      const writes = override.reasonCode === 'HardDeclined' ? [permissionWrite(refreshPermission({ ...permission, meta: { ...permission.meta, paymentMethodInvalid: true } }, ctx.now))] : [];
      return errorResult(apiError(override.reasonCode, `The authorization was declined (${override.reasonCode}).`), writes);
    }
    pending = { settleTo: 'Declined', reasonCode: override.reasonCode };
  } else if (override?.kind === 'pending') {
    pending = override;
  } else if (override?.kind === 'captureInitiated') {
    if (b.captureNow !== true) throw apiError('InvalidSandboxSimulationSpecified', 'CaptureInitiated on Create Charge needs captureNow: true.');
    pending = { state: 'CaptureInitiated', settleTo: override.settleTo === 'Captured' ? 'Authorized' : 'Declined', reasonCode: override.reasonCode };
  } else if (card?.kind === 'pending') {
    // Cards 0701 and 4354 need an authorization the merchant captures later ("Use Sandbox simulations").
    if (b.captureNow === true) {
      throw apiError('InvalidSandboxSimulationSpecified', `The simulated payment method ending ${permission.meta.card} needs an authorization without captureNow, and canHandlePendingAuthorization true.`);
    }
    pending = card;
  }
  if (pending && pending.state !== 'CaptureInitiated' && !canPend) {
    throw apiError('InvalidSandboxSimulationSpecified', 'A pending authorization needs canHandlePendingAuthorization: true on Create Charge.');
  }
  const result = authorizeCharge(
    permission,
    {
      amountMinor: minor,
      captureNow: b.captureNow === true,
      pending: pending ? { ...pending, delayMs: settings.pendingDelayMs } : null,
      softDescriptor: b.softDescriptor ?? null,
      merchantMetadata: b.merchantMetadata ? merchantMetadataOf(b.merchantMetadata) : cp.merchantMetadata,
      providerMetadata: { providerReferenceId: b.providerMetadata?.providerReferenceId ?? null },
      platformId: b.platformId ?? null,
      channel: b.channel ?? null,
      chargeInitiator: b.chargeInitiator ?? null,
      checkoutResultReturnUrl: b.webCheckoutDetails?.checkoutResultReturnUrl ?? null,
      conversionRates: settings.conversionRates,
      countsToMonth: recurringPeriod ? recurringCountOf(amount, ctx.now) : undefined,
    },
    { ids, now: ctx.now },
  );
  const after = recurringPeriod ? { ...result.permission, meta: { ...result.permission.meta, recurringPeriod } } : result.permission;
  return { status: 201, body: result.charge.charge, writes: [chargeWrite(result.charge), permissionWrite(after)] };
}
