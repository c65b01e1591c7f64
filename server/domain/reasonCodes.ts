/**
 * The one catalog of every error the emulator answers with. Each entry is the Amazon reasonCode,
 * its HTTP status and the default message. Handlers never invent codes: they raise entries from
 * here (see `apiError`). The README table and openapi.yaml list the same entries, and a test keeps
 * the three in agreement. Statuses marked in `source` as "2nd"/"unconfirmed" follow
 * third-party transcriptions (docs/amazon-pay-notes.md, "Error statuses"); "mock" entries are the emulator's own.
 */
export interface ReasonCodeEntry {
  status: number;
  message: string;
  source: 'doc' | '2nd' | 'obs' | 'unconfirmed' | 'mock';
}

export const reasonCodes = {
  // 400 — request shape
  InvalidHeaderValue: { status: 400, message: 'The value provided for a header is invalid.', source: 'doc' },
  InvalidRequest: { status: 400, message: 'The request is invalid.', source: 'doc' },
  InvalidParameterValue: { status: 400, message: 'The value provided for a parameter is invalid.', source: 'doc' },
  InvalidRequestFormat: { status: 400, message: 'The request body is not valid JSON.', source: 'doc' },
  MissingHeader: { status: 400, message: 'A required header is missing.', source: 'doc' },
  MissingHeaderValue: { status: 400, message: 'A required header has no value.', source: 'doc' },
  MissingParameterValue: { status: 400, message: 'A required parameter is missing.', source: 'doc' },
  UnrecognizedField: { status: 400, message: 'A field in the request is not recognized.', source: 'doc' },
  InvalidSandboxSimulationSpecified: { status: 400, message: 'The simulation code is not valid for this operation.', source: 'doc' },
  DuplicateIdempotencyKey: { status: 400, message: 'The idempotency key was already used with a different request.', source: 'doc' },
  InvalidParameterCombination: { status: 400, message: 'The parameters cannot be used together.', source: 'doc' },
  CurrencyMismatch: { status: 400, message: 'The currency does not match the currency of the original request.', source: 'doc' },
  InvalidAPIVersion: { status: 400, message: 'The API version in the path is not supported.', source: '2nd' },
  TransactionAmountExceeded: { status: 400, message: 'The amount exceeds the amount allowed.', source: '2nd' },
  PeriodicAmountExceeded: { status: 400, message: 'The amount exceeds the recurring limit for the period.', source: '2nd' },
  // 401 / 403 — who is calling
  UnauthorizedAccess: { status: 401, message: 'The caller is not authorized to make this request.', source: '2nd' },
  InvalidAuthentication: { status: 403, message: 'Authentication failed.', source: '2nd' },
  InvalidAccountStatus: { status: 403, message: 'The merchant account is not in a usable state.', source: '2nd' },
  InvalidRequestSignature: { status: 403, message: 'Unable to verify signature.', source: '2nd' },
  InvalidAuthorizationToken: { status: 403, message: 'The authorization token is invalid.', source: '2nd' },
  ProxyTargetNotServed: { status: 403, message: 'The intercepting proxy serves only the Amazon Pay hosts, on port 443.', source: 'mock' },
  // 404 / 405 / 413
  ResourceNotFound: { status: 404, message: 'The requested resource was not found.', source: '2nd' },
  UnsupportedOperation: { status: 405, message: 'The operation is not supported.', source: '2nd' },
  RequestNotSupported: { status: 405, message: 'The HTTP method is not supported for this resource.', source: '2nd' },
  RequestEntityTooLarge: { status: 413, message: 'The request body is larger than the server accepts.', source: 'mock' },
  UnsupportedMediaType: { status: 415, message: 'The request body must be JSON.', source: 'mock' },
  RequestTimeout: { status: 408, message: 'The request did not arrive in time.', source: 'mock' },
  RequestHeaderFieldsTooLarge: { status: 431, message: 'The request headers are larger than the server accepts.', source: 'mock' },
  ExpectationFailed: { status: 417, message: 'The expectation in the Expect header cannot be met.', source: 'mock' },
  PublicKeyIdInUse: { status: 409, message: 'The publicKeyId is already registered with a different key.', source: 'mock' },
  // 409 / 422 — business rules
  AmountMismatch: { status: 409, message: 'The amount does not match the amount of the Checkout Session.', source: '2nd' },
  InvalidCheckoutSessionStatus: {
    status: 422,
    message: 'You tried to call an operation on a Checkout Session that is in a state where that operation is not allowed.',
    source: 'obs',
  },
  CheckoutSessionCanceled: { status: 422, message: 'The Checkout Session was canceled.', source: '2nd' },
  ChargePermissionNotModifiable: { status: 422, message: 'The Charge Permission can no longer be modified.', source: '2nd' },
  InvalidChargePermissionStatus: { status: 422, message: 'The Charge Permission is in a state where this operation is not allowed.', source: '2nd' },
  InvalidChargeStatus: { status: 422, message: 'The Charge is in a state where this operation is not allowed.', source: '2nd' },
  TransactionCountExceeded: { status: 422, message: 'The number of transactions allowed was exceeded.', source: '2nd' },
  SoftDeclined: { status: 422, message: 'The payment was declined; the buyer may retry or use another payment method.', source: '2nd' },
  HardDeclined: { status: 422, message: 'The payment was declined; do not retry with this payment method.', source: '2nd' },
  PaymentMethodNotAllowed: { status: 422, message: 'The payment method is not allowed for this transaction.', source: '2nd' },
  AmazonRejected: { status: 422, message: 'Amazon rejected the transaction.', source: '2nd' },
  MFANotCompleted: { status: 422, message: 'Multi-factor authentication was not completed.', source: '2nd' },
  TransactionTimedOut: { status: 422, message: 'The transaction timed out.', source: '2nd' },
  // 429 / 5xx
  TooManyRequests: { status: 429, message: 'The request was throttled.', source: '2nd' },
  InternalServerError: { status: 500, message: 'An internal error occurred.', source: '2nd' },
  ProcessingFailure: { status: 500, message: 'Amazon could not process the transaction.', source: '2nd' },
  ServiceUnavailable: { status: 503, message: 'The service is temporarily unavailable.', source: '2nd' },
  // Disputes (issue #13)
  InvalidDisputeStatus: { status: 422, message: 'The Dispute is in a state where this operation is not allowed.', source: 'unconfirmed' },
  // 501 — an SDK operation the emulator does not serve (yet); never Amazon's own answer
} as const satisfies Record<string, ReasonCodeEntry>;

export type ReasonCode = keyof typeof reasonCodes;

export function isReasonCode(value: string): value is ReasonCode {
  return Object.hasOwn(reasonCodes, value);
}
