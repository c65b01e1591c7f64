import type { Put } from '../writes.js';
import type { ChargeRecord } from '../charge/chargeRecord.js';
import { apiError } from '../errors.js';
import type { FileRecord } from '../file/fileRecord.js';
import { minorOf } from '../money.js';
import { errorResult, type OperationEnv, type OperationResult } from '../operation.js';
import { normalizePrice } from '../prices.js';
import { formatTimestamp } from '../time.js';
import { releaseEnvironmentOf } from '../types.js';
import { obj, oneOf, priceSchema, str, validateBody, type Schema, type Fields } from '../validation.js';
import {
  CHARGEBACK_RESPONSE_WINDOW_MS,
  disputeReasonCodes,
  disputeResolutions,
  disputeStates,
  evidenceTypes,
  filingReasons,
  openDisputeStates,
  type Dispute,
  type DisputeRecord,
  type DisputeState,
  type MerchantEvidence,
} from './disputeRecord.js';


/** Times in dispute requests are epoch numbers: milliseconds (Node SDK example) or seconds (PHP SDK example). */
const epoch = { type: 'amountOrNumberString' } satisfies Schema;

export const createDisputeFields = {
  chargeId: str(64),
  providerMetadata: obj({ providerDisputeId: str(255) }),
  disputeAmount: priceSchema,
  filingReason: oneOf(...filingReasons),
  filingTimestamp: epoch,
  creationTimestamp: epoch,
  statusDetails: obj({ state: oneOf('ActionRequired', 'UnderReview') }),
  merchantResponseDeadline: epoch,
} satisfies Fields;

export const updateDisputeFields = {
  statusDetails: obj(
    { state: oneOf(...disputeStates), resolution: oneOf(...disputeResolutions), reasonCode: oneOf(...disputeReasonCodes), reasonDescription: str(1024) },
    ['state'],
  ),
  closureTimestamp: epoch,
} satisfies Fields;

const evidenceSchema = obj({ evidenceType: oneOf(...evidenceTypes), fileId: str(128), evidenceText: str(10_000) }, ['evidenceType']);
export const contestDisputeFields = { merchantEvidences: { type: 'array', items: evidenceSchema, max: 10 } } satisfies Fields;

function epochMs(value: unknown, field: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw apiError('InvalidParameterValue', `The value '${String(value)}' provided for '${field}' is invalid. Use milliseconds (or seconds) since the epoch.`);
  return n < 1e11 ? n * 1000 : n;
}

export const disputeWrite = (record: DisputeRecord): Put => ({
  collection: 'disputes',
  id: record.dispute.disputeId,
  value: record,
  // Waiting for the merchant: due when the response deadline passes (IPN even if nobody reads it).
  dueAt: record.dispute.statusDetails.state === 'ActionRequired' ? record.meta.deadlineMs : null,
});

/** A dispute's move to `state` at `at`: its status details beyond the state, and other fields that change with it. */
interface DisputeMove {
  state: DisputeState;
  at: number;
  details?: Partial<Dispute['statusDetails']>;
  changes?: Partial<Dispute>;
}

function withStatus(record: DisputeRecord, { state, at, details = {}, changes = {} }: DisputeMove): DisputeRecord {
  return {
    ...record,
    dispute: {
      ...record.dispute,
      ...changes,
      statusDetails: { state, reasonCode: null, reasonDescription: null, resolution: null, ...details, lastUpdatedTimestamp: formatTimestamp(at) },
    },
  };
}

/**
 * A dispute as of `now`: one still waiting for the merchant (ActionRequired) past its
 * merchantResponseDeadline is Resolved for the buyer with MerchantResponseDeadlineExpired.
 */
export function disputeAsOf(record: DisputeRecord, now: number): DisputeRecord {
  if (record.dispute.statusDetails.state !== 'ActionRequired' || now < record.meta.deadlineMs) return record;
  return withStatus(record, {
    state: 'Resolved',
    at: record.meta.deadlineMs,
    details: { resolution: 'BuyerWon', reasonCode: 'MerchantResponseDeadlineExpired' },
    changes: { closureTimestamp: formatTimestamp(record.meta.deadlineMs) },
  });
}

function findDispute(env: OperationEnv, id: string): { record: DisputeRecord; writes: Put[] } {
  const stored = env.state.get<DisputeRecord>('disputes', id);
  if (!stored) throw apiError('ResourceNotFound', `The Dispute '${id}' was not found.`);
  const record = disputeAsOf(stored, env.ctx.now);
  return { record, writes: record === stored ? [] : [disputeWrite(record)] };
}

/**
 * Create Dispute (200): a payment service provider tells Amazon of a chargeback on a Captured
 * charge, for at most its captured amount, in its currency. ActionRequired (or UnderReview) until
 * the merchant contests, the provider updates it, or the response deadline passes on the clock.
 */
export function createDispute(env: OperationEnv, body: unknown): OperationResult<Dispute> {
  const { ctx, ids } = env;
  const b = validateBody(body, createDisputeFields, ['chargeId', 'disputeAmount', 'filingReason']);
  const charge = env.state.get<ChargeRecord>('charges', b.chargeId);
  if (!charge) throw apiError('ResourceNotFound', `The Charge '${b.chargeId}' was not found.`);
  const c = charge.charge;
  if (c.statusDetails.state !== 'Captured' || !c.captureAmount) throw apiError('InvalidChargeStatus', `The Charge ${c.chargeId} is ${c.statusDetails.state}; only a Captured charge can be disputed.`);
  const amount = normalizePrice(b.disputeAmount, 'disputeAmount');
  if (amount.currencyCode !== c.captureAmount.currencyCode) throw apiError('CurrencyMismatch', `The currency ${amount.currencyCode} of disputeAmount differs from the charge's currency ${c.captureAmount.currencyCode}.`);
  if (minorOf(amount) > minorOf(c.captureAmount)) throw apiError('TransactionAmountExceeded', `The disputeAmount ${amount.amount} exceeds the captured amount ${c.captureAmount.amount}.`);
  const filedMs = b.filingTimestamp != null ? epochMs(b.filingTimestamp, 'filingTimestamp') : b.creationTimestamp != null ? epochMs(b.creationTimestamp, 'creationTimestamp') : ctx.now;
  const deadlineMs = b.merchantResponseDeadline != null ? epochMs(b.merchantResponseDeadline, 'merchantResponseDeadline') : ctx.now + CHARGEBACK_RESPONSE_WINDOW_MS;
  const state: DisputeState = b.statusDetails?.state ?? 'ActionRequired';
  const record: DisputeRecord = {
    dispute: {
      disputeId: ids.disputeId(c.chargeId),
      chargeId: c.chargeId,
      disputeType: 'Chargeback',
      disputeAmount: amount,
      filingReason: b.filingReason,
      filingTimestamp: formatTimestamp(filedMs),
      resolutionAuthority: 'Issuer',
      statusDetails: { state, reasonCode: state === 'ActionRequired' ? 'MerchantResponseRequired' : null, reasonDescription: null, resolution: null, lastUpdatedTimestamp: formatTimestamp(ctx.now) },
      merchantEvidences: null,
      merchantResponseDeadline: formatTimestamp(deadlineMs),
      providerMetadata: b.providerMetadata ? { providerDisputeId: b.providerMetadata.providerDisputeId ?? null } : null,
      creationTimestamp: formatTimestamp(ctx.now),
      closureTimestamp: null,
      releaseEnvironment: releaseEnvironmentOf(charge.meta.environment),
    },
    meta: { environment: charge.meta.environment, region: charge.meta.region, deadlineMs },
  };
  const expired = disputeAsOf(record, ctx.now);
  return { status: 200, body: expired.dispute, writes: [disputeWrite(expired)] };
}

/** Get Dispute (200), as of the clock. */
export function getDispute(env: OperationEnv, id: string): OperationResult<Dispute> {
  const { record, writes } = findDispute(env, id);
  return { status: 200, body: record.dispute, writes };
}

function openOrRefuse(record: DisputeRecord, what: string): void {
  const state = record.dispute.statusDetails.state;
  if (!(openDisputeStates as readonly string[]).includes(state)) {
    throw apiError('InvalidDisputeStatus', `The Dispute ${record.dispute.disputeId} is ${state}; it can no longer be ${what}.`);
  }
}

/**
 * Update Dispute (200): the provider reports the dispute's outcome. An open dispute moves to any
 * state; Resolved needs a `resolution`. A Resolved or Closed dispute cannot change.
 */
export function updateDispute(env: OperationEnv, id: string, body: unknown): OperationResult<Dispute> {
  const b = validateBody(body, updateDisputeFields, ['statusDetails']);
  const { record } = findDispute(env, id);
  openOrRefuse(record, 'updated');
  const s = b.statusDetails;
  if (s.state === 'Resolved' && !s.resolution) throw apiError('MissingParameterValue', "The parameter 'statusDetails.resolution' is required when the state is Resolved.");
  const final = s.state === 'Resolved' || s.state === 'Closed';
  const closedMs = b.closureTimestamp != null ? epochMs(b.closureTimestamp, 'closureTimestamp') : env.ctx.now;
  const next = withStatus(record, {
    state: s.state,
    at: env.ctx.now,
    details: { resolution: s.resolution ?? null, reasonCode: s.reasonCode ?? null, reasonDescription: s.reasonDescription ?? null },
    changes: final ? { closureTimestamp: formatTimestamp(closedMs) } : {},
  });
  return { status: 200, body: next.dispute, writes: [disputeWrite(next)] };
}

/**
 * Contest Dispute (200): the merchant's evidence, each file one it uploaded for dispute evidence.
 * Only while the dispute waits for the merchant (ActionRequired, before the deadline); it is then
 * UnderReview.
 */
export function contestDispute(env: OperationEnv, id: string, body: unknown): OperationResult<Dispute | { reasonCode: string; message: string }> {
  const b = validateBody(body, contestDisputeFields, ['merchantEvidences']);
  const { record, writes } = findDispute(env, id);
  if (record.dispute.statusDetails.state !== 'ActionRequired') {
    return errorResult(apiError('InvalidDisputeStatus', `The Dispute ${id} is ${record.dispute.statusDetails.state}; only an ActionRequired dispute can be contested.`), writes);
  }
  const evidences = b.merchantEvidences.map((e, i): MerchantEvidence => {
    if (!e.fileId && !e.evidenceText) throw apiError('MissingParameterValue', `The evidence merchantEvidences[${i}] needs a fileId or an evidenceText.`);
    if (e.fileId) {
      const file = env.state.get<FileRecord>('files', e.fileId);
      if (!file || file.file.purpose !== 'disputeEvidence') throw apiError('InvalidParameterValue', `The value '${e.fileId}' provided for 'merchantEvidences[${i}].fileId' is invalid. Use the id of a file uploaded with purpose disputeEvidence.`);
    }
    return { evidenceType: e.evidenceType, fileId: e.fileId ?? null, evidenceText: e.evidenceText ?? null };
  });
  if (evidences.length === 0) throw apiError('MissingParameterValue', "The parameter 'merchantEvidences' needs at least one evidence.");
  const next = withStatus(record, { state: 'UnderReview', at: env.ctx.now, changes: { merchantEvidences: [...(record.dispute.merchantEvidences ?? []), ...evidences] } });
  return { status: 200, body: next.dispute, writes: [disputeWrite(next)] };
}

/** Settles a dispute whose response deadline has passed (the scheduler calls it when due). */
export function settleDispute(record: DisputeRecord, now: number): Put[] {
  const next = disputeAsOf(record, now);
  return next === record ? [] : [disputeWrite(next)];
}
