import type { FastifyRequest } from 'fastify';
import type { OperationEnv, OperationInput, OperationResult } from '../domain/operation.js';
import type { OperationName } from '../domain/operationNames.js';
import type { CallFacts } from '../scenarios/facts.js';
import type { StateView } from '../domain/operation.js';

/** A request to an emulated operation: its path parameters (with the optional environment segment) and query, as Fastify parsed them. */
export type OperationRequest = FastifyRequest<{ Params: Record<string, string> & { environment?: string }; Querystring: Record<string, unknown> }>;

export type HttpMethod = 'GET' | 'POST' | 'PATCH' | 'DELETE';

/** The parsed parts of a call a domain operation gets. */
export interface Call extends OperationInput {
  params: Record<string, string>;
  query: Record<string, unknown>;
}

/** One emulated operation: where it is served and which domain function answers it. */
export interface OperationRoute {
  name: OperationName;
  method: HttpMethod;
  /** Path after the version segment, Fastify syntax (`/checkoutSessions/:checkoutSessionId`). */
  path: string;
  /** For POSTs: whether x-amz-pay-idempotency-key must be sent (create-type operations) or may be. */
  idempotency?: 'required' | 'optional';
  /** Whether the operation reads a JSON body (DELETE operations do; GET never). */
  hasBody: boolean;
  run(env: OperationEnv, call: Call): OperationResult;
  /** Facts for scenario matching beyond the generic ones (the session's reference id, amounts). */
  facts?(state: StateView, call: Call): Partial<CallFacts>;
}
