import type { Put } from '../writes.js';
import { apiError } from '../errors.js';
import { minorOf } from '../money.js';
import type { OperationEnv, OperationResult } from '../operation.js';
import { normalizePrice } from '../prices.js';
import { obj, str, transactionPrice, validateBody, type Schema, type Fields } from '../validation.js';
import {
  MAX_IN_STORE_REFUNDS,
  type InStoreChargeRecord,
  type InStorePermissionRecord,
  type InStoreReferenceRecord,
  type InStoreRefundRecord,
} from './inStoreRecord.js';


const metadata = obj({
  merchantNote: str(255),
  customInformation: str(4096),
  communicationContext: obj({ merchantStoreName: str(50), merchantOrderId: str(256) }),
});
const country = { type: 'string', pattern: /^[A-Z]{2}$/ } satisfies Schema;
const currency = { type: 'string', pattern: /^[A-Z]{3}$/ } satisfies Schema;

export const merchantScanFields = {
  scanData: str(1024),
  scanReferenceId: str(32),
  merchantCOE: country,
  ledgerCurrency: currency,
  storeLocation: obj({ countryCode: country }),
  metadata,
} satisfies Fields;
export const inStoreChargeFields = {
  chargePermissionId: str(64),
  chargeReferenceId: str(32),
  chargeTotal: transactionPrice,
  softDescriptor: str(16),
  metadata,
} satisfies Fields;
export const inStoreRefundFields = {
  chargeId: str(64),
  refundReferenceId: str(32),
  refundTotal: transactionPrice,
  softDescriptor: str(16),
  metadata,
} satisfies Fields;

/** Reference ids are the merchant's idempotency for in-store calls: each names one object, once. */
function claimReference(env: OperationEnv, { kind, reference, objectId }: { kind: 'scan' | 'charge' | 'refund'; reference: string; objectId: string }): Put {
  const id = `${kind}:${reference}`;
  const used = env.state.get<InStoreReferenceRecord>('inStoreReferences', id);
  if (used) throw apiError('InvalidRequest', `The ${kind}ReferenceId '${reference}' was already used (for ${used.objectId}); use a new one.`);
  const record: InStoreReferenceRecord = { objectId };
  return { collection: 'inStoreReferences', id, value: record };
}

/**
 * Merchant Scan (200 `{chargePermissionId}`): the merchant scanned the buyer's Amazon Pay code; the
 * answer is a one-time charge permission in the scan's ledger currency. `scanData` must be the
 * code as read (any non-empty text: the emulator has no buyer wallets behind it).
 */
export function merchantScan(env: OperationEnv, body: unknown): OperationResult<{ chargePermissionId: string }> {
  const b = validateBody(body, merchantScanFields, ['scanData', 'scanReferenceId', 'merchantCOE', 'ledgerCurrency']);
  if (b.scanData.trim() === '') throw apiError('InvalidParameterValue', "The value provided for 'scanData' is invalid. Send the code as scanned.");
  const { ctx, ids } = env;
  const chargePermissionId = ids.chargePermissionId(ctx.region, ctx.environment, 'OneTime');
  const record: InStorePermissionRecord = {
    chargePermissionId,
    scanReferenceId: b.scanReferenceId,
    ledgerCurrency: b.ledgerCurrency,
    merchantCOE: b.merchantCOE,
    chargeId: null,
    region: ctx.region,
    environment: ctx.environment,
    createdAt: ctx.now,
    meta: { environment: ctx.environment, region: ctx.region },
  };
  const writes: Put[] = [claimReference(env, { kind: 'scan', reference: b.scanReferenceId, objectId: chargePermissionId }), { collection: 'inStorePermissions', id: chargePermissionId, value: record }];
  return { status: 200, body: { chargePermissionId }, writes };
}

/**
 * Charge (200 `{chargeId, chargeStatus: {state: "Completed"}}`): one charge per scan, in the scan's
 * ledger currency, captured at once.
 */
export function inStoreCharge(env: OperationEnv, body: unknown): OperationResult<{ chargeId: string; chargeStatus: { state: string } }> {
  const b = validateBody(body, inStoreChargeFields, ['chargePermissionId', 'chargeReferenceId', 'chargeTotal']);
  const permission = env.state.get<InStorePermissionRecord>('inStorePermissions', b.chargePermissionId);
  if (!permission) throw apiError('ResourceNotFound', `The in-store Charge Permission '${b.chargePermissionId}' was not found (it comes from merchantScan).`);
  if (permission.chargeId) throw apiError('InvalidChargePermissionStatus', `The Charge Permission ${permission.chargePermissionId} was already charged (${permission.chargeId}); scan the buyer's code again.`);
  const total = normalizePrice(b.chargeTotal, 'chargeTotal');
  if (total.currencyCode !== permission.ledgerCurrency) throw apiError('CurrencyMismatch', `The currency ${total.currencyCode} of chargeTotal differs from the scan's ledgerCurrency ${permission.ledgerCurrency}.`);
  if (minorOf(total) === 0) throw apiError('InvalidParameterValue', "The value provided for 'chargeTotal.amount' is invalid. It must be more than zero.");
  const chargeId = env.ids.chargeId(permission.chargePermissionId);
  const charge: InStoreChargeRecord = {
    chargeId,
    chargePermissionId: permission.chargePermissionId,
    chargeReferenceId: b.chargeReferenceId,
    chargeTotal: total,
    softDescriptor: b.softDescriptor ?? null,
    refundedMinor: 0,
    refundCount: 0,
    createdAt: env.ctx.now,
    meta: { environment: env.ctx.environment, region: env.ctx.region },
  };
  const writes: Put[] = [
    claimReference(env, { kind: 'charge', reference: b.chargeReferenceId, objectId: chargeId }),
    { collection: 'inStoreCharges', id: chargeId, value: charge },
    { collection: 'inStorePermissions', id: permission.chargePermissionId, value: { ...permission, chargeId } },
  ];
  return { status: 200, body: { chargeId, chargeStatus: { state: 'Completed' } }, writes };
}

/**
 * Refund (200 `{refundId, refundStatus: {state: "Pending"}}`): several refunds per charge, together
 * at most the charged amount, in its currency.
 */
export function inStoreRefund(env: OperationEnv, body: unknown): OperationResult<{ refundId: string; refundStatus: { state: string } }> {
  const b = validateBody(body, inStoreRefundFields, ['chargeId', 'refundReferenceId', 'refundTotal']);
  const charge = env.state.get<InStoreChargeRecord>('inStoreCharges', b.chargeId);
  if (!charge) throw apiError('ResourceNotFound', `The in-store Charge '${b.chargeId}' was not found.`);
  const refundId = env.ids.refundId(charge.chargeId);
  const reference = claimReference(env, { kind: 'refund', reference: b.refundReferenceId, objectId: refundId });
  const total = normalizePrice(b.refundTotal, 'refundTotal');
  if (total.currencyCode !== charge.chargeTotal.currencyCode) throw apiError('CurrencyMismatch', `The currency ${total.currencyCode} of refundTotal differs from the charge's ${charge.chargeTotal.currencyCode}.`);
  const minor = minorOf(total);
  if (minor === 0) throw apiError('InvalidParameterValue', "The value provided for 'refundTotal.amount' is invalid. It must be more than zero.");
  if (charge.refundedMinor + minor > minorOf(charge.chargeTotal)) throw apiError('TransactionAmountExceeded', `The refundTotal ${total.amount} exceeds what is left to refund on charge ${charge.chargeId}.`);
  if (charge.refundCount >= MAX_IN_STORE_REFUNDS) throw apiError('TransactionCountExceeded', `A charge can be refunded at most ${MAX_IN_STORE_REFUNDS} times.`);
  const refund: InStoreRefundRecord = { refundId, chargeId: charge.chargeId, refundReferenceId: b.refundReferenceId, refundTotal: total, createdAt: env.ctx.now, meta: { environment: env.ctx.environment, region: env.ctx.region } };
  const writes: Put[] = [
    reference,
    { collection: 'inStoreRefunds', id: refundId, value: refund },
    { collection: 'inStoreCharges', id: charge.chargeId, value: { ...charge, refundedMinor: charge.refundedMinor + minor, refundCount: charge.refundCount + 1 } },
  ];
  return { status: 200, body: { refundId, refundStatus: { state: 'Pending' } }, writes };
}
