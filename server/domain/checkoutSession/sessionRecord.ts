import type { CheckoutSession, Environment, Region } from '../types.js';

/** A stored checkout session: the wire object plus what the emulator knows behind it. */
export interface SessionRecord {
  session: CheckoutSession;
  meta: {
    region: Region;
    environment: Environment;
    publicKeyId: string | null;
    createdAt: number;
    expiresAt: number;
    /** Last four digits of the simulated card the buyer picked, once approved. */
    card: string | null;
  };
}

export const SESSION_LIFETIME_MS = 24 * 60 * 60 * 1000;
