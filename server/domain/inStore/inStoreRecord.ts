import type { Environment, Price, Region } from '../types.js';

/** Where an in-store object was made: it is seen from that environment and region only (absent on records saved before). */
export interface InStorePlacement {
  environment: Environment;
  region: Region;
}

/** What a merchant scan established: a one-time permission to charge the buyer who showed the code. */
export interface InStorePermissionRecord {
  chargePermissionId: string;
  scanReferenceId: string;
  ledgerCurrency: string;
  merchantCOE: string;
  chargeId: string | null;
  region: Region;
  environment: Environment;
  createdAt: number;
  meta?: InStorePlacement;
}

export interface InStoreChargeRecord {
  chargeId: string;
  chargePermissionId: string;
  chargeReferenceId: string;
  chargeTotal: Price;
  softDescriptor: string | null;
  /** Refunds so far (minor units) and how many. */
  refundedMinor: number;
  refundCount: number;
  createdAt: number;
  meta?: InStorePlacement;
}

export interface InStoreRefundRecord {
  refundId: string;
  chargeId: string;
  refundReferenceId: string;
  refundTotal: Price;
  createdAt: number;
  meta?: InStorePlacement;
}

/** A merchant's reference id (scan, charge or refund) and the object it made: each may be used once. */
export interface InStoreReferenceRecord {
  objectId: string;
}

/** Refunds allowed per in-store charge (UNCONFIRMED: as for online charges). */
export const MAX_IN_STORE_REFUNDS = 10;
