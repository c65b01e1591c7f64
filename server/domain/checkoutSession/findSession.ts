import { apiError } from '../errors.js';
import type { StateView } from '../operation.js';
import type { SessionRecord } from './sessionRecord.js';
import { sessionAsOf } from './sessionState.js';
import { isSessionDeleted } from '../retention.js';

/** The session as of `now` (a due expiry applied), or 404 ResourceNotFound (unknown, or past retention). */
export function findSession(state: StateView, id: string, now: number, publicUrl: string): { record: SessionRecord; changed: boolean } {
  const stored = state.get<SessionRecord>('checkoutSessions', id);
  // Deleted 30 days after creation (Checkout Session page), whether or not the scheduler got to it yet.
  if (!stored || isSessionDeleted(stored, now)) throw apiError('ResourceNotFound', `The Checkout Session '${id}' was not found.`);
  const record = sessionAsOf(stored, now, publicUrl);
  return { record, changed: record !== stored };
}
