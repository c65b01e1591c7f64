import type { ChargePermissionRecord } from './chargePermission/chargePermissionRecord.js';
import type { SessionRecord } from './checkoutSession/sessionRecord.js';
import { DAY, parseTimestamp } from './time.js';

/** Checkout Session page: "Checkout Sessions are deleted 30 days after creation" — GET is 404 then. */
export const SESSION_RETENTION_DAYS = 30;
/**
 * Charge Permission page: buyer, shipping and billing details of a OneTime permission can be
 * retrieved for 30 days after its creation, those of a Recurring one while it is open and for 30
 * days after it is closed; after that the fields are null (what Amazon returns then is UNCONFIRMED).
 */
export const BUYER_DETAILS_RETENTION_DAYS = 30;

/** When a session is deleted. */
export function sessionDeletedAt(record: SessionRecord): number {
  return record.meta.createdAt + SESSION_RETENTION_DAYS * DAY;
}

export function isSessionDeleted(record: SessionRecord, now: number): boolean {
  return now >= sessionDeletedAt(record);
}

/**
 * When a permission stops returning buyer details: a OneTime one 30 days after creation, a
 * Recurring one 30 days after it closed. Null while that is not known (an open Recurring
 * permission), for other types, or once dropped.
 */
export function buyerDetailsDropAt(record: ChargePermissionRecord): number | null {
  const cp = record.chargePermission;
  if (cp.buyer === null && cp.shippingAddress === null && cp.billingAddress === null) return null;
  let from: string;
  if (cp.chargePermissionType === 'OneTime') from = cp.creationTimestamp;
  // A Closed permission's status never changes again, so its timestamp is when it closed.
  else if (cp.chargePermissionType === 'Recurring' && cp.statusDetails.state === 'Closed') from = cp.statusDetails.lastUpdatedTimestamp;
  else return null;
  const start = parseTimestamp(from);
  return start === null ? null : start + BUYER_DETAILS_RETENTION_DAYS * DAY;
}

/** The permission without buyer, shipping and billing details once they are past retention; the same object otherwise. */
export function withRetainedDetails(record: ChargePermissionRecord, now: number): ChargePermissionRecord {
  const dropAt = buyerDetailsDropAt(record);
  if (dropAt === null || now < dropAt) return record;
  return { ...record, chargePermission: { ...record.chargePermission, buyer: null, shippingAddress: null, billingAddress: null } };
}
