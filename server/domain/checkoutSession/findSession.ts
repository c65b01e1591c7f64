import { apiError } from '../errors.js';
import type { OperationEnv } from '../operation.js';
import type { SessionRecord } from './sessionRecord.js';
import { sessionAsOf } from './sessionState.js';

/** The session as of now, or 404 ResourceNotFound. */
export function findSession(env: OperationEnv, id: string): { record: SessionRecord; changed: boolean } {
  const stored = env.state.get<SessionRecord>('checkoutSessions', id);
  if (!stored) throw apiError('ResourceNotFound', `The Checkout Session '${id}' was not found.`);
  const record = sessionAsOf(stored, env.ctx.now, env.settings.publicUrl);
  return { record, changed: record !== stored };
}
