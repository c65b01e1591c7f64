/**
 * A scripted completion outcome (from a scenario rule or a simulation code) that replaces what the
 * buyer's simulated card would produce.
 */
export type CompletionOverride =
  | { kind: 'pending'; settleTo: 'Authorized' | 'Declined'; reasonCode: string | null }
  | { kind: 'cancel'; reasonCode: 'BuyerCanceled' | 'Declined' | 'AmazonCanceled' | 'Expired' };
