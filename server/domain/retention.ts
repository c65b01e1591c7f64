import type { ChargePermissionRecord } from './chargePermission/chargePermissionRecord.js';
import type { SessionRecord } from './checkoutSession/sessionRecord.js';
import { DAY, parseTimestamp } from './time.js';

/** Checkout Session page: "Checkout Sessions are deleted 30 days after creation" — GET is 404 then. */
export const SESSION_RETENTION_DAYS = 30;
/**
 * Charge Permission page: buyer, shipping and billing details of a OneTime permission can be
 * retrieved for 30 days after its creation; after that the fields are null (what Amazon returns
 * then is UNCONFIRMED).
 */
export const BUYER_DETAILS_RETENTION_DAYS = 30;

/** When a session is deleted. */
export function sessionDeletedAt(record: SessionRecord): number {
  return record.meta.createdAt + SESSION_RETENTION_DAYS * DAY;
}

export function isSessionDeleted(record: SessionRecord, now: number): boolean {
  return now >= sessionDeletedAt(record);
}

/** When a OneTime permission stops returning buyer details, or null (other types, or already dropped). */
export function buyerDetailsDropAt(record: ChargePermissionRecord): number | null {
  const cp = record.chargePermission;
  if (cp.chargePermissionType !== 'OneTime') return null;
  if (cp.buyer === null && cp.shippingAddress === null && cp.billingAddress === null) return null;
  const created = parseTimestamp(cp.creationTimestamp);
  return created === null ? null : created + BUYER_DETAILS_RETENTION_DAYS * DAY;
}

/** The permission without buyer, shipping and billing details once they are past retention; the same object otherwise. */
export function withRetainedDetails(record: ChargePermissionRecord, now: number): ChargePermissionRecord {
  const dropAt = buyerDetailsDropAt(record);
  if (dropAt === null || now < dropAt) return record;
  return { ...record, chargePermission: { ...record.chargePermission, buyer: null, shippingAddress: null, billingAddress: null } };
}
