import { apiError } from '../errors.js';
import type { StateView } from '../operation.js';
import type { SessionRecord } from './sessionRecord.js';
import { sessionAsOf } from './sessionState.js';

/** The session as of `now` (a due expiry applied), or 404 ResourceNotFound. */
export function findSession(state: StateView, id: string, now: number, publicUrl: string): { record: SessionRecord; changed: boolean } {
  const stored = state.get<SessionRecord>('checkoutSessions', id);
  if (!stored) throw apiError('ResourceNotFound', `The Checkout Session '${id}' was not found.`);
  const record = sessionAsOf(stored, now, publicUrl);
  return { record, changed: record !== stored };
}
