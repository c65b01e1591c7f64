import { apiError } from '../domain/errors.js';

/** Deepest nesting a request body may have; Amazon's own bodies stay under 8 levels. */
export const MAX_JSON_DEPTH = 32;

/** Parses a raw request body as a JSON object; empty means `{}`. InvalidRequestFormat otherwise. */
export function parseJsonBody(raw: unknown): Record<string, unknown> {
  const parsed = parseJsonValue(raw);
  if (parsed === null && bufferOf(raw).length === 0) return {};
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw apiError('InvalidRequestFormat', 'The request body must be a JSON object.');
  }
  return parsed as Record<string, unknown>;
}

/** Like parseJsonBody, but also accepts a top-level array (control API lists); empty means null. */
export function parseJsonValue(raw: unknown): unknown {
  const buf = bufferOf(raw);
  if (buf.length === 0) return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(buf.toString('utf8'));
  } catch (err) {
    throw apiError('InvalidRequestFormat', `The request body is not valid JSON: ${(err as Error).message.slice(0, 200)}.`);
  }
  if (depthExceeds(parsed, MAX_JSON_DEPTH)) {
    throw apiError('InvalidRequestFormat', `The request body is nested deeper than ${MAX_JSON_DEPTH} levels.`);
  }
  return parsed;
}

function bufferOf(raw: unknown): Buffer {
  return Buffer.isBuffer(raw) ? raw : Buffer.alloc(0);
}

/** Whether any value sits deeper than `limit` objects/arrays; iterative, so no input can overflow the stack. */
export function depthExceeds(value: unknown, limit: number): boolean {
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length) {
    const [node, depth] = stack.pop()!;
    if (node === null || typeof node !== 'object') continue;
    if (depth + 1 > limit) return true;
    for (const child of Array.isArray(node) ? node : Object.values(node)) if (child !== null && typeof child === 'object') stack.push([child, depth + 1]);
  }
  return false;
}
