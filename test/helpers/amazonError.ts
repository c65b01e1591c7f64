import { expect } from 'vitest';
import { AmazonPayError } from '../../server/domain/errors.js';
import type { ReasonCode } from '../../server/domain/reasonCodes.js';

/** Runs `fn` and returns the AmazonPayError it throws; fails the test when it returns or throws anything else. */
export function thrownAmazonError(fn: () => unknown): AmazonPayError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(AmazonPayError);
    return err as AmazonPayError;
  }
  throw new Error('expected an AmazonPayError, but nothing was thrown');
}

/** Asserts that `fn` throws the given catalog entry (and, when given, with this status); returns the error. */
export function expectAmazonError(fn: () => unknown, code: ReasonCode, status?: number): AmazonPayError {
  const err = thrownAmazonError(fn);
  if (status === undefined) expect(err.reasonCode).toBe(code);
  else expect({ reasonCode: err.reasonCode, status: err.status }).toEqual({ reasonCode: code, status });
  return err;
}

/** Asserts that `promise` rejects with the given catalog entry (and, when given, with this status); returns the error. */
export async function expectAmazonRejection(promise: Promise<unknown>, code: ReasonCode, status?: number): Promise<AmazonPayError> {
  let outcome: unknown;
  try {
    await promise;
  } catch (err) {
    outcome = err;
  }
  if (outcome === undefined) throw new Error('expected an AmazonPayError, but the promise resolved');
  return expectAmazonError(() => {
    throw outcome;
  }, code, status);
}

/** An HTTP answer as the test apps give it. */
interface Answer {
  status: number;
  body: unknown;
  headers: Record<string, unknown>;
}

/**
 * Asserts that an HTTP answer is the given error in Amazon's shape: the status, a body of exactly
 * `{"reasonCode","message"}` with this reason code, and a request id. `label` names the case in a
 * loop's failure message.
 */
export function expectAmazonAnswer(res: Answer, status: number, code: ReasonCode, label?: string): void {
  expect(res.status, label).toBe(status);
  expect(Object.keys(res.body as object), label).toEqual(['reasonCode', 'message']);
  expect((res.body as { reasonCode: unknown }).reasonCode, label).toBe(code);
  expect(res.headers['x-amz-pay-request-id'], label).toEqual(expect.any(String));
}
