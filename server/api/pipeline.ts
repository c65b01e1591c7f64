import './requestFacts.js';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { setTimeout as sleep } from 'node:timers/promises';
import { resolveEnvironment, parseRegion } from '../domain/environment.js';
import { simulationOverride } from '../scenarios/simulations.js';
import { applyScenarios } from '../scenarios/apply.js';
import { scopedView } from '../domain/scope.js';
import { sendAmazonJson } from './contentType.js';
import { checkAuthorizationToken } from '../domain/authorizationTokens.js';
import { AmazonPayError, apiError } from '../domain/errors.js';
import type { OperationEnv, OperationResult, StateView } from '../domain/operation.js';
import type { CallFacts } from '../scenarios/facts.js';
import type { Environment, RequestContext } from '../domain/types.js';
import { headerText } from '../signing/headers.js';
import { environmentFromKeyId, merchantNamespace } from '../signing/keyRegistry.js';
import { peekPublicKeyId } from '../signing/authorizationHeader.js';
import { verifyRequest } from '../signing/verifyRequest.js';
import type { Call, OperationRoute } from './operationRoute.js';
import { splitTarget } from './rawUrl.js';
import { journalEntryOf } from '../journal/journalEntry.js';
import { fingerprintOf, idempotencyId } from './idempotencyGate.js';
import { isReplayable, matchIdempotency, readIdempotencyKey, type IdempotencyRecord } from '../domain/idempotency.js';
import { transactWithIds } from '../transactWithIds.js';
import type { Put } from '../store/store.js';
import { recordingIds } from '../domain/ids.js';
import { parseJsonBody } from '../http/jsonBody.js';
import type { MockContext } from '../context.js';

/** Namespace used when signature checking is off and the caller sent no key id. */
export const ANONYMOUS_NAMESPACE = 'anonymous';


/** Who is calling: verified (or, with --signature off, read without checking) from the authorization header. */
function identify(request: FastifyRequest, raw: Buffer, deps: MockContext) {
  const { path, query } = splitTarget(request.raw.url ?? '/');
  // Known before verification, so a failed signature still lands in its merchant's journal.
  const claimed = peekPublicKeyId(headerText(request.headers, 'authorization'));
  if (claimed) {
    request.publicKeyId = claimed;
    request.merchant = merchantNamespace(claimed);
  }
  if (deps.config.signature === 'off') return { publicKeyId: claimed, diagnostics: null };
  const verified = verifyRequest(
    { method: request.method, path, query, headers: request.headers, body: raw },
    { keys: deps.keys, verifier: deps.verifier, wallTime: deps.wallTime, skewSeconds: deps.config.clockSkewSeconds },
  );
  return { publicKeyId: verified.publicKeyId, diagnostics: verified };
}

/**
 * The request flow of one operation: signature -> environment -> body -> settle due
 * transitions -> scripted outcome -> domain -> durable commit -> reply. Every step that fails
 * throws an AmazonPayError, which the app's error handler answers in Amazon's shape.
 */
export function operationHandler(route: OperationRoute, deps: MockContext) {
  return async (request: FastifyRequest, reply: FastifyReply) => {
    request.operation = route.name;
    const raw = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
    const params = request.params as Record<string, string>;
    const pathEnv = params.environment === undefined ? null : params.environment;
    if (pathEnv !== null && pathEnv !== 'sandbox' && pathEnv !== 'live') {
      throw apiError('ResourceNotFound', `Unknown environment segment '/${pathEnv}/'. Use /v2/..., /sandbox/v2/... or /live/v2/....`);
    }
    const { publicKeyId } = identify(request, raw, deps);
    const ns = publicKeyId ? merchantNamespace(publicKeyId) : ANONYMOUS_NAMESPACE;
    request.merchant = ns;
    if (publicKeyId) request.publicKeyId = publicKeyId;
    const environment = resolveEnvironment(publicKeyId ? environmentFromKeyId(publicKeyId) : null, pathEnv as Environment | null, deps.config.envConflict, publicKeyId);
    const region = parseRegion(headerText(request.headers, 'x-amz-pay-region'));
    const body = route.hasBody ? parseJsonBody(raw) : undefined;
    const { environment: _e, ...routeParams } = params;
    const call: Call = { params: routeParams, query: (request.query ?? {}) as Record<string, unknown>, body, authToken: headerText(request.headers, 'x-amz-pay-authtoken') };
    const simulation = simulationOverride(route.name, headerText(request.headers, 'x-amz-pay-simulation-code'), environment);
    if (simulation) call.override = simulation;

    const keyHeader = route.method === 'POST' ? headerText(request.headers, 'x-amz-pay-idempotency-key') : undefined;
    const key = route.method === 'POST' ? readIdempotencyKey(keyHeader, route.idempotency === 'required' && deps.config.idempotencyKey === 'required') : null;
    let idem: Idempotent | null = null;
    let release: (() => void) | null = null;
    if (key !== null) {
      const id = idempotencyId(environment, key);
      const fingerprint = fingerprintOf(route.name, routeParams, raw);
      const slot = await deps.idempotency.acquire(ns, id, fingerprint);
      if ('replay' in slot) {
        request.replayed = true;
        return sendAmazonJson(reply, slot.replay.status, slot.replay.payload);
      }
      release = slot.release;
      idem = { id, fingerprint };
    }
    try {
      const outcome = await runOperation(route, deps, request, { ns, publicKeyId, region, environment }, call, idem);
      if ('error' in outcome) throw outcome.error;
      if (outcome.replayed) request.replayed = true;
      if (outcome.headers) reply.headers(outcome.headers);
      return sendAmazonJson(reply, outcome.status, outcome.payload);
    } catch (err) {
      if (err instanceof DroppedConnection) return dropConnection(request, reply, deps);
      throw err;
    } finally {
      release?.();
    }
  };
}


/** Thrown by a scenario rule that closes the connection instead of answering. */
class DroppedConnection extends Error {
  constructor(readonly rule: string) {
    super(`connection dropped by scenario rule ${rule}`);
  }
}

/** Closes the socket without a response, as a network fault would; the journal notes it with status 0. */
function dropConnection(request: FastifyRequest, reply: FastifyReply, deps: MockContext): FastifyReply {
  reply.hijack();
  deps.journal.record({ ...journalEntryOf(request, reply, null), status: 0 });
  request.log.info({ scenario: request.scenario }, 'connection dropped (fault injection)');
  request.raw.socket?.destroy();
  return reply;
}

/** The idempotency key of a POST that sent one: its record id and the request's fingerprint. */
interface Idempotent {
  id: string;
  fingerprint: string;
}

/** An answer to send, or a refusal for the error handler (already remembered under the key, if any). */
type Outcome = { status: number; payload: string | undefined; headers?: Record<string, string>; replayed: boolean } | { error: AmazonPayError };

/** The write that keeps an answer for replay under the request's key (none for transient answers). */
function remembering(idem: Idempotent | null, status: number, payload: string | undefined, now: number): Put[] {
  if (!idem || !isReplayable(status)) return [];
  const record: IdempotencyRecord = { fingerprint: idem.fingerprint, status, payload, createdAt: now };
  return [{ collection: 'idempotency', id: idem.id, value: record }];
}

/**
 * Inside a transaction: the answer already stored under the key, when another request (in this
 * process or another one sharing the store) got there first; DuplicateIdempotencyKey if that was
 * a different request.
 */
function storedAnswer(state: StateView, idem: Idempotent | null): Outcome | null {
  const record = idem && state.get<IdempotencyRecord>('idempotency', idem.id);
  return record ? { ...matchIdempotency(record, idem.fingerprint), replayed: true } : null;
}

/** A refusal is an answer too: the same request with the same key gets it again. */
function refuse(deps: MockContext, ns: string, idem: Idempotent | null, error: AmazonPayError): Promise<Outcome> {
  if (!idem) return Promise.resolve({ error });
  const now = deps.clocks.for(ns).now();
  return deps.store.transact<Outcome>(ns, (state) => {
    const stored = storedAnswer(state, idem);
    return stored ? { puts: [], result: stored } : { puts: remembering(idem, error.status, JSON.stringify(error.toBody()), now), result: { error } };
  });
}

/**
 * Settles due transitions, applies a matching scenario rule, then runs the domain operation in one
 * store transaction: the state it reads, the writes it makes and the answer kept under the
 * idempotency key commit together or not at all.
 */
async function runOperation(
  route: OperationRoute,
  deps: MockContext,
  request: FastifyRequest,
  who: Omit<RequestContext, 'now'>,
  call: Call,
  idem: Idempotent | null,
): Promise<Outcome> {
  try {
    await applyScenario(route, deps, request, who, call);
  } catch (err) {
    if (err instanceof AmazonPayError) return refuse(deps, who.ns, idem, err);
    throw err;
  }
  const now = deps.clocks.for(who.ns).now();
  return transactWithIds<Outcome>(deps.store, who.ns, deps.ids, (state, ids) => {
    const stored = storedAnswer(state, idem);
    if (stored) return { puts: [], result: stored };
    const issued = new Set<string>();
    const env: OperationEnv = { ctx: { ...who, now }, state: scopedView(state, who), ids: recordingIds(ids, issued), settings: deps.settings };
    let result: OperationResult;
    try {
      result = route.run(env, call);
    } catch (err) {
      if (!idem || !(err instanceof AmazonPayError)) throw err;
      return { puts: remembering(idem, err.status, JSON.stringify(err.toBody()), now), result: { error: err } };
    }
    for (const w of result.writes) {
      // A new object must never overwrite a stored one (say, a --seed sequence replayed): fail loudly.
      if (issued.has(w.id) && state.get(w.collection, w.id) !== undefined) throw new Error(`id collision: the new ${w.collection} id ${w.id} is already stored; nothing was written`);
    }
    // No body at all (204, 202): nothing to serialise.
    const payload = result.body === undefined ? undefined : JSON.stringify(result.body);
    return { puts: [...result.writes, ...remembering(idem, result.status, payload, now)], result: { status: result.status, payload, headers: result.headers, replayed: false } };
  });
}

/** Settles what is due, then takes the scenario rule matching this call: its delay, error, drop or override. */
async function applyScenario(route: OperationRoute, deps: MockContext, request: FastifyRequest, who: Omit<RequestContext, 'now'>, call: Call): Promise<void> {
  await deps.settler.settleNamespace(who.ns);
  const authToken = headerText(request.headers, 'x-amz-pay-authtoken');
  const routeFacts = await deps.store.transact(who.ns, (view) => {
    const state = scopedView(view, who);
    checkAuthorizationToken(state, authToken);
    return { puts: [], result: route.facts?.(state, call) ?? {} };
  });
  const facts: CallFacts = {
    operation: route.name,
    checkoutSessionId: call.params.checkoutSessionId ?? null,
    merchantReferenceId: null,
    amount: null,
    currency: null,
    publicKeyId: who.publicKeyId,
    headers: request.headers,
    ...routeFacts,
  };
  const scripted = applyScenarios(deps.scenarios, facts, who.ns);
  if (scripted) {
    request.scenario = scripted.names.join(', ');
    if (scripted.delayMs > 0) await sleep(scripted.delayMs);
    if (scripted.error) throw scripted.error;
    if (scripted.drop) throw new DroppedConnection(scripted.decidedBy!);
    if (scripted.override) call.override = scripted.override;
  }
}
