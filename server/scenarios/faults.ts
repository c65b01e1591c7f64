import { apiError } from '../domain/errors.js';
import { operationNames } from '../domain/operationNames.js';
import type { ReasonCode } from '../domain/reasonCodes.js';
import { validateBody, type Fields } from '../domain/validation.js';
import { parseRule, type ScenarioRule } from './rules.js';

/** Rules added through /__admin/faults carry this source, so they can be listed and cleared apart. */
export const FAULTS = 'faults';

const statusCodes: Record<number, ReasonCode> = { 429: 'TooManyRequests', 500: 'InternalServerError', 503: 'ServiceUnavailable' };

const faultFields = {
  operation: { type: 'string', enum: ['*', ...operationNames] },
  latencyMs: { type: 'wholeNumber', max: 60_000 },
  status: { type: 'wholeNumber', max: 599 },
  drop: { type: 'boolean' },
  times: { type: 'wholeNumber', max: 1_000_000 },
} satisfies Fields;

/**
 * A fault as posted to the control API — added latency, 429/500/503 for the next N calls, or a
 * dropped connection — as the scenario rule that does it (null fields count as absent).
 */
export function parseFault(body: unknown): ScenarioRule {
  const fault = validateBody(body, faultFields);
  const operation = fault.operation ?? '*';
  const status = fault.status ?? undefined;
  if (status !== undefined && !(typeof status === 'number' && statusCodes[status])) throw apiError('InvalidParameterValue', "The value provided for 'status' is invalid. Use 429, 500 or 503.");
  if (status !== undefined && fault.drop === true) throw apiError('InvalidParameterCombination', 'A fault either answers a status or drops the connection, not both.');
  if (status === undefined && fault.drop !== true && fault.latencyMs == null) throw apiError('MissingParameterValue', 'Give at least one of latencyMs, status or drop.');
  const outcome = status !== undefined ? { kind: 'error', reasonCode: statusCodes[status] } : fault.drop === true ? { kind: 'drop' } : { kind: 'normal' };
  const name = `fault:${operation}:${status ?? (fault.drop ? 'drop' : 'latency')}`;
  return parseRule({ name, match: { operation }, outcome, delayMs: fault.latencyMs ?? undefined, times: fault.times ?? undefined }, 'body');
}
