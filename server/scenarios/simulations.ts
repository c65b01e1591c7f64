import { apiError } from '../domain/errors.js';
import type { OperationName } from '../domain/operationNames.js';
import type { Override } from '../domain/override.js';
import type { Environment } from '../domain/types.js';

const sessionCodes: Record<string, Override> = {
  BuyerCanceled: { kind: 'cancel', reasonCode: 'BuyerCanceled' },
  Declined: { kind: 'cancel', reasonCode: 'Declined' },
  AmazonCanceled: { kind: 'cancel', reasonCode: 'AmazonCanceled' },
  AuthorizationInitiated: { kind: 'pending', settleTo: 'Authorized', reasonCode: null },
};

/**
 * Sandbox simulation strings (`x-amz-pay-simulation-code`, "Use Sandbox simulations") as data: operation -> code ->
 * what happens. Amazon's full table is not public; these are the codes the docs and integrators
 * use. An operation missing here accepts no code.
 */
export const simulationCodes: Partial<Record<OperationName, Record<string, Override>>> = {
  completeCheckoutSession: sessionCodes,
  finalizeCheckoutSession: sessionCodes,
  createCharge: {
    SoftDeclined: { kind: 'decline', reasonCode: 'SoftDeclined' },
    HardDeclined: { kind: 'decline', reasonCode: 'HardDeclined' },
    AmazonRejected: { kind: 'decline', reasonCode: 'AmazonRejected' },
    TransactionTimedOut: { kind: 'decline', reasonCode: 'TransactionTimedOut' },
    ProcessingFailure: { kind: 'decline', reasonCode: 'ProcessingFailure' },
    AuthorizationInitiated: { kind: 'pending', settleTo: 'Authorized', reasonCode: null },
    CaptureInitiated: { kind: 'captureInitiated', settleTo: 'Captured', reasonCode: null },
  },
  captureCharge: {
    CaptureInitiated: { kind: 'captureInitiated', settleTo: 'Captured', reasonCode: null },
    AmazonRejected: { kind: 'decline', reasonCode: 'AmazonRejected' },
    ProcessingFailure: { kind: 'decline', reasonCode: 'ProcessingFailure' },
  },
  closeChargePermission: {
    AmazonClosed: { kind: 'close', reasonCode: 'AmazonClosed' },
  },
  createRefund: {
    RefundDeclined: { kind: 'refundDeclined', reasonCode: 'AmazonRejected' },
  },
};

/** Every code any operation accepts. */
export function allSimulationCodes(): string[] {
  return [...new Set(Object.values(simulationCodes).flatMap((codes) => Object.keys(codes ?? {})))].sort();
}

/**
 * The override a simulation code asks for, or null without a code. A code the operation does not
 * know, or any code on a live-environment request, is 400 InvalidSandboxSimulationSpecified.
 */
export function simulationOverride(operation: OperationName, code: string | undefined, environment: Environment): Override | null {
  if (code === undefined) return null;
  if (environment === 'live') {
    throw apiError('InvalidSandboxSimulationSpecified', 'Simulation codes work in the sandbox only; this request is for the live environment.');
  }
  const codes = simulationCodes[operation] ?? {};
  const override = codes[code.trim()];
  if (!override) {
    const valid = Object.keys(codes);
    throw apiError(
      'InvalidSandboxSimulationSpecified',
      `The simulation code '${code}' is not valid for ${operation}.${valid.length ? ` Valid codes: ${valid.join(', ')}.` : ' This operation accepts none.'}`,
    );
  }
  return override;
}
