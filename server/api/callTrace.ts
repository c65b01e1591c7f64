import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AmazonPayError } from '../domain/errors.js';

/**
 * What the app learns about one request while answering it, for the request journal and the log
 * line: the only thing routes and hooks write onto a request.
 */
export interface CallTrace {
  /** The caller, once its Authorization header was read (even when its signature was refused). */
  caller: { publicKeyId: string | null; ns: string } | null;
  /** The emulated operation this request is for. */
  operation: string | null;
  /** Names of the scenario rules that answered this call. */
  scenario: string | null;
  /** True when the answer was an idempotent replay. */
  replayed: boolean;
  /** The Amazon-shaped error this request was answered with. */
  error: AmazonPayError | null;
  /** The answer's body as sent. */
  responsePayload: unknown;
}

const TRACE: unique symbol = Symbol('callTrace');

declare module 'fastify' {
  interface FastifyRequest {
    /** This request's trace, created on first use. */
    readonly trace: CallTrace;
    [TRACE]?: CallTrace;
  }
}


/**
 * The trace of a request, created on first use. Also for the bare request Fastify hands its
 * framework-error handler, which has no decorations.
 */
export function traceOf(request: FastifyRequest): CallTrace {
  return (request[TRACE] ??= { caller: null, operation: null, scenario: null, replayed: false, error: null, responsePayload: undefined });
}

/** Gives every request its `trace`. */
export function installCallTrace(app: FastifyInstance): void {
  app.decorateRequest('trace', {
    getter(this: FastifyRequest) {
      return traceOf(this);
    },
  });
}
