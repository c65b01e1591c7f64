import type { Environment, Price, Region, ReleaseEnvironment, StatusDetails } from '../types.js';

/** The Refund wire object (Amazon Pay API reference: "Refund"). */
export interface Refund {
  refundId: string;
  chargeId: string;
  creationTimestamp: string;
  refundAmount: Price;
  statusDetails: StatusDetails;
  softDescriptor: string | null;
  releaseEnvironment: ReleaseEnvironment;
}

export interface RefundRecord {
  refund: Refund;
  meta: {
    environment: Environment;
    /** The charge's region (absent on records written before regions were kept apart). */
    region?: Region;
    amountMinor: number;
    /** Every refund is asynchronous: RefundInitiated, then this outcome when the clock reaches `at`. */
    settle: { at: number; to: 'Refunded' | 'Declined'; reasonCode: string | null } | null;
  };
}

/** Refunds allowed per charge (UNCONFIRMED: the v1 API's limit of 10 per capture). */
export const MAX_REFUNDS_PER_CHARGE = 10;
