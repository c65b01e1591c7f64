import type { Charge, Environment, Region } from '../types.js';

export type ChargeSettlement = { at: number; to: 'Authorized' | 'Captured' | 'Declined'; reasonCode: string | null };

/** A stored charge and what the emulator schedules for it. */
export interface ChargeRecord {
  charge: Charge;
  meta: {
    region: Region;
    environment: Environment;
    /** When the authorization succeeded (start of the 30-day validity), or null. */
    authorizedAt: number | null;
    /** A pending outcome that settles on its own when the server clock reaches `at`. */
    settle: ChargeSettlement | null;
  };
}

export const AUTHORIZATION_VALIDITY_MS = 30 * 24 * 60 * 60 * 1000;
