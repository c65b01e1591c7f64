/**
 * An outcome forced on an operation by a sandbox simulation code, a scenario rule or the buyer's
 * simulated card, instead of the normal success. Each operation reads the kinds that apply to it.
 */
export type Override =
  /** Authorization stays AuthorizationInitiated (202 on completion), then settles. */
  | { kind: 'pending'; settleTo: 'Authorized' | 'Declined'; reasonCode: string | null }
  /** The checkout session is canceled at completion. */
  | { kind: 'cancel'; reasonCode: 'BuyerCanceled' | 'Declined' | 'AmazonCanceled' | 'Expired' }
  /** Create Charge / Capture are declined at once: an error answer with this reasonCode. */
  | { kind: 'decline'; reasonCode: 'SoftDeclined' | 'HardDeclined' | 'AmazonRejected' | 'TransactionTimedOut' | 'ProcessingFailure' }
  /** Capture is asynchronous: CaptureInitiated, then settles. */
  | { kind: 'captureInitiated'; settleTo: 'Captured' | 'Declined'; reasonCode: string | null }
  /** Close Charge Permission records another closer than the merchant. */
  | { kind: 'close'; reasonCode: 'AmazonClosed' | 'AmazonCanceled' | 'BuyerClosed' }
  /** A refund settles to Declined instead of Refunded. */
  | { kind: 'refundDeclined'; reasonCode: 'AmazonRejected' | 'ProcessingFailure' };

export type OverrideKind = Override['kind'];
