import type { ChargePermission, Environment, Region } from '../types.js';

/** A stored charge permission and the bookkeeping behind its limits and state. */
export interface ChargePermissionRecord {
  chargePermission: ChargePermission;
  meta: {
    region: Region;
    environment: Environment;
    currency: string;
    /** Total the permission may ever capture (OneTime), or null when unlimited. */
    amountLimitMinor: number | null;
    capturedMinor: number;
    /** Charges created on this permission, for the 25-charge rule of OneTime permissions. */
    chargeCount: number;
    /** Charges still in progress (AuthorizationInitiated, Authorized, CaptureInitiated). */
    openChargeIds: string[];
    /** Set when a hard decline left the payment method unusable. */
    paymentMethodInvalid: boolean;
    card: string | null;
    expiresAt: number | null;
    /** Recurring: what was charged in the current calendar month (Monthly recurring charge limits). */
    recurringPeriod?: import('../recurringLimits.js').RecurringPeriod;
  };
}

export const ONE_TIME_LIFETIME_DAYS = 180;
export const MAX_CHARGES_PER_ONE_TIME_PERMISSION = 25;
