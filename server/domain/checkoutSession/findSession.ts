import { apiError } from '../errors.js';
import type { StateView } from '../operation.js';
import type { SessionRecord, SessionTime } from './sessionRecord.js';
import { sessionAsOf } from './sessionState.js';
import { isSessionDeleted } from '../retention.js';

/** A session as found: `changed` when finding it applied a due expiry that is not stored yet. */
export interface FoundSession {
  record: SessionRecord;
  changed: boolean;
}

/** The session as of `at.now` (a due expiry applied), or 404 ResourceNotFound (unknown, or past retention). */
export function findSession(state: StateView, id: string, at: SessionTime): FoundSession {
  const stored = state.get<SessionRecord>('checkoutSessions', id);
  // Deleted 30 days after creation (Checkout Session page), whether or not the scheduler got to it yet.
  if (!stored || isSessionDeleted(stored, at.now)) throw apiError('ResourceNotFound', `The Checkout Session '${id}' was not found.`);
  const record = sessionAsOf(stored, at);
  return { record, changed: record !== stored };
}
