import { findNamespace } from '../merchantState.js';
import type { MockContext } from '../context.js';
import { transactWithIds } from '../transactWithIds.js';
import { findSession } from '../domain/checkoutSession/findSession.js';
import type { SessionRecord } from '../domain/checkoutSession/sessionRecord.js';
import { sessionWrite } from '../domain/checkoutSession/sessionState.js';
import { AmazonPayError } from '../domain/errors.js';
import type { IdGenerator } from '../domain/ids.js';
import { sessionNotFound, sessionNotOpen } from '../html/errorPage.js';

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

/** What a page decided: the session to store (if it changed) and the answer. */
export interface SessionDecision<R> {
  save?: SessionRecord;
  reply: R;
}

/** The namespace holding this session, or null when none does. */
async function sessionNamespace(deps: MockContext, id: string): Promise<string | null> {
  try {
    return await findNamespace(deps, { collection: 'checkoutSessions', id, what: 'Checkout Session' });
  } catch (err) {
    if (err instanceof AmazonPayError && err.reasonCode === 'ResourceNotFound') return null;
    throw err;
  }
}

/**
 * Runs `decide` on the session with this id (null when no merchant holds it) in one store
 * transaction, and stores the session it returns with the same transaction. `decide` must be free
 * of outside effects (the store may run it again); it draws ids from the `ids` it is given.
 */
export async function withSession<R>(deps: MockContext, id: string, decide: (found: LocatedSession | null, ids: IdGenerator) => SessionDecision<R>): Promise<R> {
  const ns = await sessionNamespace(deps, id);
  if (ns === null) return decide(null, deps.ids).reply;
  // The merchant's "now": the one place the pages read a clock.
  const now = deps.clocks.for(ns).now();
  return transactWithIds(deps, ns, (state, ids) => {
    const { reply, save } = decide({ ns, record: findSession(state, id, { now, publicUrl: deps.settings.publicUrl }).record, now }, ids);
    return { puts: save ? [sessionWrite(save)] : [], result: reply };
  });
}

/**
 * Runs `decide` on the Open session with this id in one store transaction and stores the session
 * it returns; the 404 / 409 page when there is no such Open session.
 */
export function withOpenSession<R>(deps: MockContext, id: string, decide: (found: LocatedSession, ids: IdGenerator) => SessionDecision<R>): Promise<R> {
  return withSession(deps, id, (found, ids) => {
    if (!found) throw sessionNotFound(id);
    if (found.record.session.statusDetails.state !== 'Open') throw sessionNotOpen(found.record.session);
    return decide(found, ids);
  });
}
