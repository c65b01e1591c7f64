import { findSession } from '../domain/checkoutSession/findSession.js';
import type { SessionRecord } from '../domain/checkoutSession/sessionRecord.js';
import { sessionWrite } from '../domain/checkoutSession/sessionState.js';
import { AmazonPayError } from '../domain/errors.js';
import { sessionNotFound, sessionNotOpen } from '../html/errorPage.js';
import { findNamespace, stateView } from '../merchantState.js';
import type { MockContext } from '../context.js';

/**
 * How the hosted pages reach a checkout session: the buyer's browser names only the session id,
 * so the merchant namespace is found by searching them all, as the control API does.
 */

export interface LocatedSession {
  ns: string;
  /** The session as of the merchant's now (an Open session past its expiry reads as Canceled). */
  record: SessionRecord;
  now: number;
}

/** The merchant's "now": the one place the pages read a clock. */
export function merchantNow(deps: MockContext, ns: string): number {
  return deps.clocks.for(ns).now();
}

/** The session with this id in whichever merchant holds it, or null when none does. */
export function locateSession(deps: MockContext, id: string): LocatedSession | null {
  let ns: string;
  try {
    ns = findNamespace(deps, 'checkoutSessions', id, undefined, 'Checkout Session');
  } catch (err) {
    if (err instanceof AmazonPayError && err.reasonCode === 'ResourceNotFound') return null;
    throw err;
  }
  const now = merchantNow(deps, ns);
  return { ns, record: findSession(stateView(deps, ns), id, now, deps.settings.publicUrl).record, now };
}

/**
 * Stores the changed session. Call it in the same synchronous stretch as `locateSession` (no
 * await in between): commit applies to memory at once, so no other request can interleave.
 */
export function saveSession(deps: MockContext, ns: string, record: SessionRecord): Promise<void> {
  return deps.store.commit(ns, [sessionWrite(record)]);
}

/** The Open session with this id, or the 404 / 409 page. */
export function openSession(deps: MockContext, id: string): LocatedSession {
  const found = locateSession(deps, id);
  if (!found) throw sessionNotFound(id);
  if (found.record.session.statusDetails.state !== 'Open') throw sessionNotOpen(found.record.session);
  return found;
}
