import { formatTimestamp, parseTimestamp } from '../time.js';
import type { StatusDetails } from '../types.js';
import { AUTHORIZATION_VALIDITY_MS, type ChargeRecord } from './chargeRecord.js';

const descriptions: Record<string, string> = {
  SoftDeclined: 'The authorization was soft declined; the buyer may retry.',
  HardDeclined: 'The authorization was declined; use another payment method.',
  AmazonRejected: 'Amazon rejected the authorization.',
  ProcessingFailure: 'Amazon could not process the transaction.',
  TransactionTimedOut: 'The authorization timed out.',
  ExpiredUnused: 'The authorization expired after 30 days without a capture.',
  MerchantCanceled: 'The merchant canceled the charge.',
  ChargePermissionCanceled: 'The charge permission was closed and pending charges canceled.',
  AmazonCanceled: 'Amazon canceled the charge.',
  BuyerCanceled: 'The buyer canceled the charge.',
};

export function chargeStatus(state: string, now: number, reasonCode: string | null = null): StatusDetails {
  return { state, reasonCode, reasonDescription: reasonCode ? (descriptions[reasonCode] ?? null) : null, lastUpdatedTimestamp: formatTimestamp(now) };
}

/**
 * When an Authorized charge expires unused: at its expirationTimestamp, creation + 30 days (the
 * "Charge" object), also for an authorization that was pending first. The fallback, 30 days from
 * authorization, serves only a record whose expirationTimestamp cannot be read.
 */
export function authorizationExpiresAt(record: ChargeRecord): number | null {
  const shown = record.charge.expirationTimestamp === null ? null : parseTimestamp(record.charge.expirationTimestamp);
  if (shown !== null) return shown;
  return record.meta.authorizedAt === null ? null : record.meta.authorizedAt + AUTHORIZATION_VALIDITY_MS;
}

/** When the charge next changes on its own: a pending settlement, or the end of an authorization. */
export function chargeDueAt(record: ChargeRecord): number | null {
  if (record.meta.settle) return record.meta.settle.at;
  if (record.charge.statusDetails.state === 'Authorized') return authorizationExpiresAt(record);
  return null;
}

export function chargeWrite(record: ChargeRecord) {
  return { collection: 'charges' as const, id: record.charge.chargeId, value: record, dueAt: chargeDueAt(record) };
}
