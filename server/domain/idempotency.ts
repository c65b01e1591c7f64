import { apiError } from './errors.js';

/** A stored first answer to an idempotent POST (Amazon Pay "Idempotency"): replayed for the same request, kept for good. */
export interface IdempotencyRecord {
  fingerprint: string;
  status: number;
  /** The response body exactly as sent, so a replay is byte for byte; absent for an answer without one (204, 202). */
  payload?: string;
  createdAt: number;
}

const keyPattern = /^[A-Za-z0-9_-]{1,32}$/;

/**
 * Reads `x-amz-pay-idempotency-key`: null when absent (or when the operation does not need one),
 * else the key. An empty value, more than 32 characters or characters outside [A-Za-z0-9_-] is
 * 400 InvalidHeaderValue / MissingHeaderValue (UNCONFIRMED codes; see the README's "Choices").
 */
export function readIdempotencyKey(value: string | undefined, need: 'required' | 'optional'): string | null {
  if (value === undefined) {
    if (need === 'required') throw apiError('MissingHeader', "The request must include the header 'x-amz-pay-idempotency-key' (at most 32 characters of A-Z a-z 0-9 - _).");
    return null;
  }
  if (value === '') throw apiError('MissingHeaderValue', "The header 'x-amz-pay-idempotency-key' has no value.");
  if (!keyPattern.test(value)) {
    throw apiError('InvalidHeaderValue', `The value ${value} provided for x-amz-pay-idempotency-key is invalid. Use at most 32 characters of A-Z a-z 0-9 - _.`);
  }
  return value;
}

/** What to do with a request whose key was seen before: replay the first answer, or refuse. */
export function matchIdempotency(record: IdempotencyRecord, fingerprint: string): { status: number; payload: string | undefined } {
  if (record.fingerprint !== fingerprint) {
    throw apiError('DuplicateIdempotencyKey', 'The idempotency key was already used with a different request. Use a new key for a new request.');
  }
  return { status: record.status, payload: record.payload };
}

/** Whether an answer is kept for replay: transient ones (429, 5xx) are not, so a retry can succeed. */
export function isReplayable(status: number): boolean {
  return status < 500 && status !== 429;
}
