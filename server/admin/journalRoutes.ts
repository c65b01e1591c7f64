import type { FastifyInstance } from 'fastify';
import { apiError } from '../domain/errors.js';
import type { JournalQuery } from '../journal/journal.js';
import { merchantParam } from '../http/merchantParam.js';
import type { MockContext } from '../context.js';

function text(query: Record<string, unknown>, key: string): string | undefined {
  const v = query[key];
  if (v === undefined || v === '') return undefined;
  if (typeof v !== 'string') throw apiError('InvalidParameterValue', `The query parameter '${key}' must be given once.`);
  return v;
}

function wholeNumber(value: string | undefined, key: string, max: number): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value) || Number(value) > max) throw apiError('InvalidParameterValue', `The value '${value}' provided for '${key}' is invalid. Use a whole number up to ${max}.`);
  return Number(value);
}

/** Reads the journal filters from a query string; anything unusable is 400, never ignored. */
export function journalQuery(raw: unknown): JournalQuery {
  const q = (raw ?? {}) as Record<string, unknown>;
  const known = new Set(['merchant', 'operation', 'status', 'publicKeyId', 'since', 'objectId', 'limit']);
  for (const key of Object.keys(q)) if (!known.has(key)) throw apiError('UnrecognizedField', `The query parameter '${key}' is invalid. Use ${[...known].join(', ')}.`);
  const since = text(q, 'since');
  let sinceMs: number | undefined;
  if (since !== undefined) {
    sinceMs = /^\d+$/.test(since) ? Number(since) : Date.parse(since);
    if (Number.isNaN(sinceMs)) throw apiError('InvalidParameterValue', `The value '${since}' provided for 'since' is invalid. Use an ISO 8601 time or milliseconds since the epoch.`);
  }
  return {
    merchant: merchantParam(q),
    operation: text(q, 'operation'),
    status: wholeNumber(text(q, 'status'), 'status', 599),
    publicKeyId: text(q, 'publicKeyId'),
    since: sinceMs,
    objectId: text(q, 'objectId'),
    limit: wholeNumber(text(q, 'limit'), 'limit', 10_000) ?? 100,
  };
}

/** GET/DELETE /__admin/requests: the request journal, filtered, newest first; clear one merchant or all. */
export function journalRoutes(app: FastifyInstance, deps: MockContext): void {
  app.get('/__admin/requests', async (request) => {
    const entries = await deps.journal.query(journalQuery(request.query));
    return { requests: entries };
  });
  app.delete('/__admin/requests', async (request) => ({ cleared: await deps.journal.clear(merchantParam(request.query)) }));
}
