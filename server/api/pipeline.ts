import type { FastifyReply, FastifyRequest } from 'fastify';
import { headerText } from '../signing/headers.js';
import { simulationOverride } from '../scenarios/simulations.js';
import { parseJsonBody } from '../http/jsonBody.js';
import type { MockContext } from '../context.js';
import { identifyCaller } from './caller.js';
import { sendAmazonJson } from './contentType.js';
import type { Call, OperationRequest, OperationRoute } from './operationRoute.js';
import { DroppedConnection, runOperation } from './runOperation.js';
import type { Environment } from '../domain/types.js';
import { recordDroppedCall } from '../journal/recordCalls.js';

/**
 * The request flow of one operation: identify the caller (signature, environment, region) ->
 * parse the call -> claim its idempotency key (or replay) -> run the operation (settle, scripted
 * outcome, domain, one store transaction) -> reply. Every step that fails throws an
 * AmazonPayError, which the app's error handler answers in Amazon's shape.
 */
export function operationHandler(route: OperationRoute, deps: MockContext) {
  return async (request: OperationRequest, reply: FastifyReply) => {
    const trace = request.trace;
    trace.operation = route.name;
    const raw = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
    const caller = await identifyCaller(request, raw, deps);
    const call = callOf(request, { route, raw, environment: caller.environment });
    const claim = await deps.idempotency.claim(caller.ns, { route, environment: caller.environment, region: caller.region, headers: request.headers, params: call.params, raw });
    if ('replay' in claim) {
      trace.replayed = true;
      return sendAmazonJson(reply, claim.replay.status, claim.replay.payload);
    }
    try {
      const answer = await runOperation({ route, deps, request, caller, call, key: claim.key });
      trace.replayed = answer.replayed;
      if (answer.headers) reply.headers(answer.headers);
      return sendAmazonJson(reply, answer.status, answer.bytes ?? answer.payload);
    } catch (err) {
      if (err instanceof DroppedConnection) return dropConnection(request, reply, deps);
      throw err;
    } finally {
      claim.release();
    }
  };
}

/** The parsed parts of the call: path parameters, query, JSON body, auth token and simulation code. */
function callOf(request: OperationRequest, { route, raw, environment }: { route: OperationRoute; raw: Buffer; environment: Environment }): Call {
  const { environment: _segment, ...params } = request.params;
  const call: Call = {
    params,
    query: request.query ?? {},
    body: route.hasBody ? parseJsonBody(raw) : undefined,
    authToken: headerText(request.headers, 'x-amz-pay-authtoken'),
  };
  const simulation = simulationOverride(route.name, headerText(request.headers, 'x-amz-pay-simulation-code'), environment);
  if (simulation) call.override = simulation;
  return call;
}

/** Closes the socket without a response, as a network fault would; the journal notes it with status 0. */
function dropConnection(request: FastifyRequest, reply: FastifyReply, deps: MockContext): FastifyReply {
  reply.hijack();
  recordDroppedCall(deps, request, reply.elapsedTime);
  request.log.info({ scenario: request.trace.scenario }, 'connection dropped (fault injection)');
  request.raw.socket?.destroy();
  return reply;
}
