import type { OperationEnv, OperationResult } from '../operation.js';
import type { CheckoutSession } from '../types.js';
import { findSession } from './findSession.js';
import { sessionToolsOf } from './sessionRecord.js';
import { sessionWrite } from './sessionState.js';

/** Get Checkout Session (200). Applies a due expiry before answering. */
export function getCheckoutSession(env: OperationEnv, id: string): OperationResult<CheckoutSession> {
  const { record, changed } = findSession(env.state, id, sessionToolsOf(env));
  return { status: 200, body: record.session, writes: changed ? [sessionWrite(record)] : [] };
}
