import type { FastifyRequest } from 'fastify';
import type { DeferredEntry, JournalEntry } from './journal.js';

const idKeys = ['checkoutSessionId', 'chargePermissionId', 'chargeId', 'refundId', 'buyerToken'] as const;
const maxBodyChars = 16 * 1024;

/** The signature is a long random string; its first characters are enough to tell requests apart. */
export function shortenAuthorization(value: string): string {
  return value.replace(/Signature=(\S{12})\S+/, 'Signature=$1…');
}

function headersOf(headers: FastifyRequest['headers']): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    const text = Array.isArray(value) ? value.join(', ') : String(value);
    out[name] = name === 'authorization' ? shortenAuthorization(text) : text;
  }
  return out;
}

/** JSON when it parses, else the text (cut at 16 KiB), null when empty. Larger bodies are kept cut, as text. */
function bodyOf(raw: unknown): unknown {
  const text = Buffer.isBuffer(raw) ? raw.toString('utf8', 0, maxBodyChars * 4 + 4) : typeof raw === 'string' ? raw : '';
  if (text === '') return null;
  // The journal holds the last N calls: a megabyte body must not become a megabyte entry.
  if (text.length > maxBodyChars) return `${text.slice(0, maxBodyChars)}…`;
  try {
    return JSON.parse(text);
  } catch {
    return text.length > maxBodyChars ? `${text.slice(0, maxBodyChars)}…` : text;
  }
}

function collectIds(into: Set<string>, value: unknown): void {
  if (!value || typeof value !== 'object') return;
  for (const key of idKeys) {
    const v = (value as Record<string, unknown>)[key];
    if (typeof v === 'string' && v) into.add(v);
  }
}

/** How a request came through the mock's proxy (the Amazon host and the mode), or null for a direct call. */
export function proxyOf(request: FastifyRequest): JournalEntry['proxy'] {
  const served = request.servedHost;
  return served && served.via !== 'host-header' ? { host: served.host, mode: served.via } : null;
}

/**
 * The reasonCode of an error answered without being thrown: a simulated or scripted decline that
 * still changes state, or the replay of a refused request.
 */
function answeredReasonCode(status: number, body: unknown): string | null {
  if (status < 400 || typeof body !== 'object' || body === null) return null;
  const code = (body as { reasonCode?: unknown }).reasonCode;
  return typeof code === 'string' ? code : null;
}

/** How a call ended: its status (0 for a dropped connection), when (real ms), the time it took and the body sent. */
export interface CallEnd {
  status: number;
  endedAt: number;
  elapsedMs: number;
  responsePayload: unknown;
}

/** The canonical request and string to sign the mock computed for a refused signature, or null. */
export function signatureOf(diagnostics: Record<string, unknown> | undefined): JournalEntry['signature'] {
  return typeof diagnostics?.canonicalRequest === 'string' && typeof diagnostics?.stringToSign === 'string'
    ? { canonicalRequest: diagnostics.canonicalRequest, stringToSign: diagnostics.stringToSign }
    : null;
}

/** What an entry is built from: the parts of the request it reads, kept without the request itself. */
interface CapturedCall {
  method: string;
  url: string;
  headers: FastifyRequest['headers'];
  params: Record<string, string>;
  body: unknown;
  trace: FastifyRequest['trace'];
  proxy: JournalEntry['proxy'];
  end: CallEnd;
}

/**
 * The journal entry of a call, deferred: the parts it needs are captured now (references, no
 * copies), and parsing bodies and collecting ids waits until someone reads the journal.
 */
export function journalEntryOf(request: FastifyRequest, end: CallEnd): DeferredEntry {
  const call: CapturedCall = {
    method: request.method,
    url: request.raw.url ?? '/',
    headers: request.headers,
    params: (request.params ?? {}) as Record<string, string>,
    body: request.body,
    trace: request.trace,
    proxy: proxyOf(request),
    end,
  };
  return { at: end.endedAt - end.elapsedMs, merchant: call.trace.caller?.ns ?? null, build: () => builtEntry(call) };
}

/** Builds the journal entry of a call from what Fastify kept of it and the request's trace. */
function builtEntry({ method, url, headers, params, body, trace, proxy, end }: CapturedCall): Omit<JournalEntry, 'id'> {
  const requestBody = bodyOf(body);
  const responseBody = bodyOf(end.responsePayload);
  const ids = new Set<string>();
  for (const value of Object.values(params)) if (value && value !== 'sandbox' && value !== 'live') ids.add(value);
  collectIds(ids, requestBody);
  collectIds(ids, responseBody);
  return {
    time: new Date(end.endedAt - end.elapsedMs).toISOString(),
    merchant: trace.caller?.ns ?? null,
    publicKeyId: trace.caller?.publicKeyId ?? null,
    operation: trace.operation,
    method,
    path: url,
    status: end.status,
    durationMs: Math.round(end.elapsedMs * 10) / 10,
    reasonCode: trace.error?.reasonCode ?? answeredReasonCode(end.status, responseBody),
    scenario: trace.scenario,
    replayed: trace.replayed,
    objectIds: [...ids],
    request: { headers: headersOf(headers), body: requestBody },
    response: { body: responseBody },
    proxy,
    signature: signatureOf(trace.error?.diagnostics),
  };
}
