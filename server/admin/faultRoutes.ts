import type { FastifyInstance } from 'fastify';
import { apiError } from '../domain/errors.js';
import { operationNames } from '../domain/operations.js';
import type { ReasonCode } from '../domain/reasonCodes.js';
import { parseRule } from '../domain/scenarios.js';
import { parseJsonBody } from '../http/jsonBody.js';
import { merchantParam } from '../http/merchantParam.js';
import type { MockContext } from '../context.js';

const statusCodes: Record<number, ReasonCode> = { 429: 'TooManyRequests', 500: 'InternalServerError', 503: 'ServiceUnavailable' };
const allowed = new Set(['operation', 'latencyMs', 'status', 'drop', 'times']);
const FAULTS = 'faults';

/**
 * /__admin/faults[?merchant=id]: fault injection per operation — added latency, 429/500/503 for
 * the next N calls (then recovery), or a dropped connection. Each fault is a scenario rule of
 * source "faults", so scenario files can say the same thing.
 */
export function faultRoutes(app: FastifyInstance, deps: MockContext): void {
  app.get('/__admin/faults', async (request) => ({ faults: deps.scenarios.list(merchantParam(request.query)).filter((r) => r.source === FAULTS) }));

  app.post('/__admin/faults', async (request, reply) => {
    const merchant = merchantParam(request.query) ?? null;
    const raw = parseJsonBody(request.body);
    for (const key of Object.keys(raw)) if (!allowed.has(key)) throw apiError('UnrecognizedField', `The field '${key}' is invalid for this API. Use ${[...allowed].join(', ')}.`);
    // null means absent, as everywhere else in the API.
    const body = Object.fromEntries(Object.entries(raw).filter(([, v]) => v !== null)) as Record<string, unknown>;
    for (const [key, max] of [['latencyMs', 60_000], ['times', 1_000_000]] as const) {
      const v = body[key];
      const n = typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : v;
      if (v !== undefined && !(typeof n === 'number' && Number.isInteger(n) && n >= 0 && n <= max)) {
        throw apiError('InvalidParameterValue', `The value '${String(v)}' provided for '${key}' is invalid. Use a whole number from 0 to ${max}.`);
      }
    }
    const operation = body.operation ?? '*';
    if (typeof operation !== 'string' || (operation !== '*' && !(operationNames as readonly string[]).includes(operation))) {
      throw apiError('InvalidParameterValue', `The value '${String(operation)}' provided for 'operation' is invalid. Use * or an operation name.`);
    }
    const status = body.status;
    if (status !== undefined && !(typeof status === 'number' && statusCodes[status])) throw apiError('InvalidParameterValue', "The value provided for 'status' is invalid. Use 429, 500 or 503.");
    if (body.drop !== undefined && typeof body.drop !== 'boolean') throw apiError('InvalidParameterValue', "The value provided for 'drop' is invalid. Expected true or false.");
    if (status !== undefined && body.drop === true) throw apiError('InvalidParameterCombination', 'A fault either answers a status or drops the connection, not both.');
    if (status === undefined && body.drop !== true && body.latencyMs === undefined) {
      throw apiError('MissingParameterValue', 'Give at least one of latencyMs, status or drop.');
    }
    const outcome = status !== undefined ? { kind: 'error', reasonCode: statusCodes[status as number] } : body.drop === true ? { kind: 'drop' } : { kind: 'normal' };
    const name = `fault:${operation}:${status ?? (body.drop ? 'drop' : 'latency')}`;
    const rule = parseRule({ name, match: { operation }, outcome, delayMs: body.latencyMs, times: body.times }, 'body');
    const [added] = deps.scenarios.add([rule], merchant, FAULTS);
    return reply.code(201).send(added);
  });

  app.delete('/__admin/faults', async (request) => ({ cleared: deps.scenarios.removeSource(FAULTS, merchantParam(request.query)) }));
}
