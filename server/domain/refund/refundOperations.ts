import type { Put } from '../writes.js';
import { chargeWrite } from '../charge/chargeState.js';
import { permissionWrite } from '../chargePermission/permissionState.js';
import { findCharge } from '../charge/findCharge.js';
import type { ChargeRecord } from '../charge/chargeRecord.js';
import { apiError } from '../errors.js';
import { formatMinor, minorOf } from '../money.js';
import type { OperationEnv, OperationInput, OperationResult } from '../operation.js';
import { normalizePrice } from '../prices.js';
import { formatTimestamp } from '../time.js';
import { releaseEnvironmentOf } from '../types.js';
import { str, transactionPrice, validateBody, type Fields } from '../validation.js';
import { MAX_REFUNDS_PER_CHARGE, type Refund, type RefundRecord } from './refundRecord.js';
import { refundStatus, refundWrite } from './refundState.js';
import { settleRefund } from './settleRefund.js';
import { checkSoftDescriptorRegion } from '../softDescriptor.js';


export const createRefundFields = {
  chargeId: str(64),
  refundAmount: transactionPrice,
  softDescriptor: str(16),
} satisfies Fields;

/** How far refunds may exceed the captured amount ("Refund"): min(15 %, 75 USD/EUR/GBP, 8,400 JPY). */
export function refundAllowanceMinor(capturedMinor: number, currency: string): number {
  const cap = currency === 'JPY' ? 8_400 : 75 * 100;
  return capturedMinor + Math.min(Math.floor(capturedMinor * 0.15), cap);
}

/**
 * Create Refund (201): always RefundInitiated first ("Refund"); Refunded (or Declined) after the
 * pending delay. Only a Captured charge can be refunded, several times, up to the captured amount
 * plus the allowance.
 */
export function createRefund(env: OperationEnv, { body, override }: OperationInput): OperationResult<Refund> {
  const { ctx, ids, settings } = env;
  const b = validateBody(body, createRefundFields, ['chargeId', 'refundAmount']);
  const { charge, permission, changed } = findCharge(env.state, b.chargeId, ctx.now);
  checkSoftDescriptorRegion(ctx.region, b.softDescriptor);
  const c = charge.charge;
  if (c.statusDetails.state !== 'Captured') {
    throw apiError('InvalidChargeStatus', `The Charge ${c.chargeId} is ${c.statusDetails.state}; only a Captured charge can be refunded.`);
  }
  const amount = normalizePrice(b.refundAmount, 'refundAmount');
  const currency = c.chargeAmount.currencyCode;
  if (amount.currencyCode !== currency) throw apiError('CurrencyMismatch', `The currency ${amount.currencyCode} of refundAmount differs from the charge's currency ${currency}.`);
  const minor = minorOf(amount);
  const already = charge.meta.refundsMinor ?? 0;
  const allowed = refundAllowanceMinor(minorOf(c.captureAmount!), currency);
  if (already + minor > allowed) {
    throw apiError('TransactionAmountExceeded', `The refundAmount ${amount.amount} exceeds what may still be refunded on this charge (${formatMinor(Math.max(0, allowed - already), currency)} ${currency}).`);
  }
  if ((charge.meta.refundCount ?? 0) >= MAX_REFUNDS_PER_CHARGE) {
    throw apiError('TransactionCountExceeded', `A charge can be refunded at most ${MAX_REFUNDS_PER_CHARGE} times.`);
  }
  const refund: RefundRecord = {
    refund: {
      refundId: ids.refundId(c.chargeId),
      chargeId: c.chargeId,
      creationTimestamp: formatTimestamp(ctx.now),
      refundAmount: amount,
      statusDetails: refundStatus('RefundInitiated', ctx.now),
      softDescriptor: b.softDescriptor ?? null,
      releaseEnvironment: releaseEnvironmentOf(charge.meta.environment),
    },
    meta: {
      environment: charge.meta.environment,
      region: charge.meta.region,
      amountMinor: minor,
      settle: override?.kind === 'refundDeclined'
        ? { at: ctx.now + settings.pendingDelayMs, to: 'Declined', reasonCode: override.reasonCode }
        : { at: ctx.now + settings.pendingDelayMs, to: 'Refunded', reasonCode: null },
    },
  };
  const nextCharge: ChargeRecord = { ...charge, meta: { ...charge.meta, refundsMinor: already + minor, refundCount: (charge.meta.refundCount ?? 0) + 1 } };
  const writes: Put[] = [refundWrite(refund), chargeWrite(nextCharge)];
  if (changed) writes.push(permissionWrite(permission));
  return { status: 201, body: refund.refund, writes };
}

/** Get Refund (200), settled if its time has come. */
export function getRefund(env: OperationEnv, id: string): OperationResult<Refund> {
  const stored = env.state.get<RefundRecord>('refunds', id);
  const charge = stored && env.state.get<ChargeRecord>('charges', stored.refund.chargeId);
  if (!stored || !charge) throw apiError('ResourceNotFound', `The Refund '${id}' was not found.`);
  const settled = settleRefund(stored, charge, env.ctx.now);
  if (!settled) return { status: 200, body: stored.refund, writes: [] };
  return { status: 200, body: settled.refund.refund, writes: [refundWrite(settled.refund), chargeWrite(settled.charge)] };
}
