import type { RecurringCount } from '../recurringLimits.js';
import type { Charge, Environment, Region } from '../types.js';

/** A scheduled outcome: `captureMinor` is the amount a settling capture takes (default: the whole charge). */
export type ChargeSettlement = { at: number; to: 'Authorized' | 'Captured' | 'Declined'; reasonCode: string | null; captureMinor?: number };

/** A stored charge and what the emulator schedules for it. */
export interface ChargeRecord {
  charge: Charge;
  meta: {
    region: Region;
    environment: Environment;
    /**
     * When the authorization succeeded (from then a capture is synchronous for 7 days), or null.
     * Its 30-day validity runs from creation, to the charge's expirationTimestamp.
     */
    authorizedAt: number | null;
    /** A pending outcome that settles on its own when the server clock reaches `at`. */
    settle: ChargeSettlement | null;
    /** Refunds not declined (pending or done), in minor units, and how many were made. */
    refundsMinor?: number;
    refundCount?: number;
    /**
     * On a Recurring permission, the month and amount this charge counts toward the monthly limit;
     * dropped when it ends Declined or Canceled and gives them back. Absent on records stored
     * before it was kept: those charges stay counted, as they were.
     */
    countsToMonth?: RecurringCount;
  };
}

export const AUTHORIZATION_VALIDITY_MS = 30 * 24 * 60 * 60 * 1000;
/** After this long in Authorized, a capture is processed asynchronously (CaptureInitiated). */
export const SYNC_CAPTURE_WINDOW_MS = 7 * 24 * 60 * 60 * 1000;
