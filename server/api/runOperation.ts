import type { FastifyRequest } from 'fastify';
import { setTimeout as sleep } from 'node:timers/promises';
import { checkAuthorizationToken } from '../domain/authorizationTokens.js';
import { AmazonPayError } from '../domain/errors.js';
import { recordingIds } from '../domain/ids.js';
import type { OperationEnv, OperationResult } from '../domain/operation.js';
import type { RequestContext } from '../domain/types.js';
import { scopedView } from '../domain/scope.js';
import { applyScenarios } from '../scenarios/apply.js';
import type { CallFacts } from '../scenarios/facts.js';
import { headerText } from '../signing/headers.js';
import type { StoreView, Transaction } from '../store/store.js';
import { transactWithIds } from '../transactWithIds.js';
import { answerJson } from './answerJson.js';
import type { MockContext } from '../context.js';
import type { Caller } from './caller.js';
import { rememberAnswer, storedAnswer, type HeldKey, type Replay } from './idempotencyKeys.js';
import type { Call, OperationRoute } from './operationRoute.js';

/** Thrown by a scenario rule that closes the connection instead of answering. */
export class DroppedConnection extends Error {
  constructor(readonly rule: string) {
    super(`connection dropped by scenario rule ${rule}`);
  }
}

/** The answer to send: the operation's own, or one stored under the idempotency key by another process. */
export interface Answer extends Replay {
  /** The payload's bytes, when they were already made (shared by every answer with one stored object). */
  bytes?: Buffer;
  headers?: Record<string, string>;
  replayed: boolean;
}

export interface OperationRun {
  route: OperationRoute;
  deps: MockContext;
  request: FastifyRequest;
  caller: Caller;
  call: Call;
  /** The idempotency key the call holds, if it sent one. */
  key: HeldKey | null;
}

/**
 * Settles due transitions, applies a matching scenario rule, then runs the domain operation in one
 * store transaction: the state it reads, the writes it makes and the answer kept under the
 * idempotency key commit together or not at all. A refusal (scripted or the domain's) is thrown
 * once it is kept under the key, so the same request with the same key gets it again.
 */
export async function runOperation(run: OperationRun): Promise<Answer> {
  const { route, deps, caller, call, key } = run;
  try {
    await applyScenario(run);
  } catch (err) {
    if (!(err instanceof AmazonPayError) || !key) throw err;
    const kept = await deps.store.transact(caller.ns, (state) => refusal(state, { key, error: err, now: deps.clocks.for(caller.ns).now() }));
    if ('refused' in kept) throw kept.refused;
    return kept;
  }
  const now = deps.clocks.for(caller.ns).now();
  const outcome = await transactWithIds<Answer | { refused: AmazonPayError }>(deps, caller.ns, (state, ids) => {
    const stored = storedAnswer(state, key);
    if (stored) return { puts: [], result: replayOf(stored) };
    const issued = new Set<string>();
    const env: OperationEnv = { ctx: contextOf(caller, now), state: scopedView(state, caller), ids: recordingIds(ids, issued), settings: deps.settings };
    let result: OperationResult;
    try {
      result = route.run(env, call);
    } catch (err) {
      if (!(err instanceof AmazonPayError)) throw err;
      return refusal(state, { key, error: err, now });
    }
    for (const w of result.writes) {
      // A new object must never overwrite a stored one (say, a --seed sequence replayed): fail loudly.
      if (issued.has(w.id) && state.get(w.collection, w.id) !== undefined) throw new Error(`id collision: the new ${w.collection} id ${w.id} is already stored; nothing was written`);
    }
    // No body at all (204, 202): nothing to serialise.
    const json = result.body === undefined ? undefined : answerJson(result.body);
    const answer = { status: result.status, payload: json?.text };
    return { puts: [...result.writes, ...rememberAnswer(key, answer, now)], result: { status: answer.status, payload: answer.payload, bytes: json?.bytes, headers: result.headers, replayed: false } };
  });
  if ('refused' in outcome) throw outcome.refused;
  return outcome;
}

// The objects below are written field by field rather than spread from the fresh object they copy
// (`{ ...answer, replayed }`): on Node 20 (V8 11.3) an object spread from one that is not frozen
// and given a key that one does not have outlives young-generation collections (a 20-line
// reproduction promotes 2.3-3.5 MB per scavenge; overwriting keys the source has, spreading a
// frozen object, or writing the fields out promotes nothing), and every request's answer and
// context reached the old generation that way (docs/benchmark-log.md).

/** An answer stored under the key by another request, to replay. */
const replayOf = (stored: Replay): Answer => ({ status: stored.status, payload: stored.payload, replayed: true });

/** The operation's view of its caller, at `now`. */
const contextOf = (caller: Caller, now: number): RequestContext => ({ ns: caller.ns, publicKeyId: caller.publicKeyId, region: caller.region, environment: caller.environment, now });

/** A refusal kept under the key (if another request did not store an answer first). */
function refusal(state: StoreView, { key, error, now }: { key: HeldKey | null; error: AmazonPayError; now: number }): Transaction<Answer | { refused: AmazonPayError }> {
  const stored = storedAnswer(state, key);
  if (stored) return { puts: [], result: replayOf(stored) };
  return { puts: rememberAnswer(key, { status: error.status, payload: JSON.stringify(error.toBody()) }, now), result: { refused: error } };
}

/**
 * Settles what is due, checks a solution provider's auth token, then takes the scenario rule
 * matching this call: its delay, error, drop or override. With no rule in force and no token
 * (the common case) the state is not read here at all.
 */
async function applyScenario({ route, deps, request, caller, call }: OperationRun): Promise<void> {
  await deps.settler.settleNamespace(caller.ns);
  const rulesInForce = await deps.scenarios.anyFor(caller.ns);
  if (!rulesInForce && call.authToken === undefined) return;
  const routeFacts = await deps.store.transact(caller.ns, (view) => {
    const state = scopedView(view, caller);
    checkAuthorizationToken(state, call.authToken);
    return { puts: [], result: rulesInForce ? (route.facts?.(state, call) ?? {}) : {} };
  });
  if (!rulesInForce) return;
  const facts: CallFacts = {
    operation: route.name,
    checkoutSessionId: call.params.checkoutSessionId ?? null,
    merchantReferenceId: null,
    amount: null,
    currency: null,
    publicKeyId: caller.publicKeyId,
    headers: request.headers,
    ...routeFacts,
  };
  const scripted = await applyScenarios(deps.scenarios, facts, caller.ns);
  if (!scripted) return;
  request.trace.scenario = scripted.names.join(', ');
  if (scripted.delayMs > 0) await sleep(scripted.delayMs);
  if (scripted.error) throw scripted.error;
  if (scripted.drop) throw new DroppedConnection(scripted.decidedBy!);
  if (scripted.override) call.override = scripted.override;
}
