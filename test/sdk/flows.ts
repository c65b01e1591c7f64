import { randomUUID } from 'node:crypto';
import { expect } from 'vitest';
import type { LiveServer } from '../helpers/runningServer.js';
import { readySessionBody } from '../helpers/testApp.js';

/**
 * Shared steps for the SDK end-to-end tests: what a merchant's code does with the official Node
 * SDK, phrased once so each test reads as the behaviour it checks.
 */

/** The store namespace of the demo merchant (the public key id without its SANDBOX-/LIVE- prefix). */
export const DEMO_NS = 'AMZNPAYMOCKDEMO000000001';

/** A fresh idempotency key: 32 characters of [A-Za-z0-9], as the SDKs make them. */
export const newKey = () => randomUUID().replace(/-/g, '');

/** Headers with a fresh idempotency key, plus any extras (e.g. a simulation code). */
export const idem = (extra: Record<string, string> = {}) => ({ 'x-amz-pay-idempotency-key': newKey(), ...extra });

/** Headers carrying a sandbox simulation code (and a fresh idempotency key). */
export const simulate = (code: string) => idem({ 'x-amz-pay-simulation-code': code });

export const usd = (amount: string) => ({ amount, currencyCode: 'USD' });

export interface CheckoutOptions {
  intent: 'Confirm' | 'Authorize' | 'AuthorizeWithCapture';
  amount?: string;
  totalOrderAmount?: string;
  canHandlePendingAuthorization?: boolean;
  /** Extra paymentDetails fields (e.g. extendExpiration). */
  paymentDetails?: Record<string, unknown>;
  /** Extra top-level fields of the create body. */
  body?: Record<string, unknown>;
  /** Headers of the complete call (e.g. a simulation code). */
  completeHeaders?: Record<string, string>;
}

/** A created, ready session (auto buyer approval) with the given payment details. */
export async function readySession(client: any, options: CheckoutOptions): Promise<string> {
  const amount = options.amount ?? '100.00';
  const created = await client.createCheckoutSession(
    readySessionBody({
      paymentDetails: {
        paymentIntent: options.intent,
        chargeAmount: usd(amount),
        ...(options.totalOrderAmount ? { totalOrderAmount: usd(options.totalOrderAmount) } : {}),
        ...(options.canHandlePendingAuthorization ? { canHandlePendingAuthorization: true } : {}),
        ...options.paymentDetails,
      },
      ...options.body,
    }),
    idem(),
  );
  expect(created.status).toBe(201);
  return created.data.checkoutSessionId;
}

/** The amounts Complete must confirm for a session made with these options. */
export function completeBody(options: Pick<CheckoutOptions, 'amount' | 'totalOrderAmount'>) {
  return {
    chargeAmount: usd(options.amount ?? '100.00'),
    ...(options.totalOrderAmount ? { totalOrderAmount: usd(options.totalOrderAmount) } : {}),
  };
}

/** create (ready) -> complete through the SDK; returns the ids and the complete response. */
export async function checkout(client: any, options: CheckoutOptions) {
  const sessionId = await readySession(client, options);
  const completed = await client.completeCheckoutSession(sessionId, completeBody(options), options.completeHeaders ?? null);
  return {
    sessionId,
    completed,
    chargePermissionId: completed.data.chargePermissionId as string,
    chargeId: completed.data.chargeId as string | null,
  };
}

/** A Chargeable permission (Confirm intent) with the given limit. */
export async function chargeablePermission(client: any, amount = '100.00', totalOrderAmount?: string): Promise<string> {
  const { completed, chargePermissionId } = await checkout(client, { intent: 'Confirm', amount, totalOrderAmount });
  expect(completed.status).toBe(200);
  return chargePermissionId;
}

/** An Authorized charge made at completion (Authorize intent); returns its ids. */
export async function authorizedCharge(client: any, amount = '100.00') {
  const { completed, chargePermissionId, chargeId } = await checkout(client, { intent: 'Authorize', amount });
  expect(completed.status).toBe(200);
  return { chargePermissionId, chargeId: chargeId! };
}

/** A Captured charge (Confirm, then createCharge with captureNow); returns its ids. */
export async function capturedCharge(client: any, amount = '100.00') {
  const chargePermissionId = await chargeablePermission(client, amount);
  const created = await client.createCharge({ chargePermissionId, chargeAmount: usd(amount), captureNow: true }, idem());
  expect(created.status).toBe(201);
  expect(created.data.statusDetails.state).toBe('Captured');
  return { chargePermissionId, chargeId: created.data.chargeId as string };
}

/** Moves the server clock (due transitions settle at once). */
export async function advanceClock(live: LiveServer, seconds: number): Promise<void> {
  const moved = await live.admin('POST', '/__admin/clock', { advanceSeconds: seconds });
  expect(moved.status).toBe(200);
}

export const DAY_SECONDS = 24 * 3600;

/** The charge's state (and reason) as the SDK reports it. */
export async function chargeStatus(client: any, chargeId: string) {
  const got = await client.getCharge(chargeId);
  expect(got.status).toBe(200);
  return got.data.statusDetails as { state: string; reasonCode: string | null; reasonDescription: string | null };
}

/** The permission's state and reason codes as the SDK reports them. */
export async function permissionStatus(client: any, chargePermissionId: string) {
  const got = await client.getChargePermission(chargePermissionId);
  expect(got.status).toBe(200);
  const s = got.data.statusDetails;
  return { state: s.state as string, reasons: (s.reasons ?? null) as { reasonCode: string; reasonDescription: string | null }[] | null, limits: got.data.limits };
}
