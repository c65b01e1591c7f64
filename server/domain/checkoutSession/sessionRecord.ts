import type { IdGenerator } from '../ids.js';
import type { OperationEnv } from '../operation.js';
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

/** When a session changes, and the base URL of the hosted pages its amazonPayRedirectUrl points to. */
export interface SessionTime {
  now: number;
  publicUrl: string;
}

/** A session change that may also hand out ids (a buyer id on sign-in). */
export interface SessionTools extends SessionTime {
  ids: IdGenerator;
}

/** The time and tools of an operation, for the session functions. */
export const sessionToolsOf = (env: OperationEnv): SessionTools => ({ now: env.ctx.now, publicUrl: env.settings.publicUrl, ids: env.ids });
