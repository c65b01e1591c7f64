import { apiError } from '../domain/errors.js';

/** Parses a raw request body as a JSON object; empty means `{}`. InvalidRequestFormat otherwise. */
export function parseJsonBody(raw: unknown): Record<string, unknown> {
  const buf = Buffer.isBuffer(raw) ? raw : Buffer.alloc(0);
  if (buf.length === 0) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(buf.toString('utf8'));
  } catch (err) {
    throw apiError('InvalidRequestFormat', `The request body is not valid JSON: ${(err as Error).message}.`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw apiError('InvalidRequestFormat', 'The request body must be a JSON object.');
  }
  return parsed as Record<string, unknown>;
}

/** Like parseJsonBody, but also accepts a top-level array (control API lists). */
export function parseJsonValue(raw: unknown): unknown {
  const buf = Buffer.isBuffer(raw) ? raw : Buffer.alloc(0);
  if (buf.length === 0) return null;
  try {
    return JSON.parse(buf.toString('utf8'));
  } catch (err) {
    throw apiError('InvalidRequestFormat', `The request body is not valid JSON: ${(err as Error).message}.`);
  }
}
