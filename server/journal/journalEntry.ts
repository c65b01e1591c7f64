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

/**
 * The journal entry of a call, deferred: the parts it needs are captured now (references, no
 * copies), and parsing bodies and collecting ids waits until someone reads the journal. One
 * object per call: the journal keeps the last calls alive across garbage collections, so every
 * object kept per call is copied again and again.
 */
export function journalEntryOf(request: FastifyRequest, end: CallEnd): DeferredEntry {
  return new CapturedCall(request, end);
}

/** What an entry is built from: the parts of the request it reads, kept without the request itself. */
class CapturedCall implements DeferredEntry {
  readonly at: number;
  readonly merchant: string | null;
  readonly #method: string;
  readonly #url: string;
  readonly #headers: FastifyRequest['headers'];
  readonly #params: Record<string, string>;
  readonly #body: unknown;
  readonly #publicKeyId: string | null;
  readonly #operation: string | null;
  readonly #scenario: string | null;
  readonly #replayed: boolean;
  readonly #error: FastifyRequest['trace']['error'];
  readonly #proxy: JournalEntry['proxy'];
  readonly #status: number;
  readonly #elapsedMs: number;
  readonly #responsePayload: unknown;

  constructor(request: FastifyRequest, end: CallEnd) {
    const trace = request.trace;
    this.at = end.endedAt - end.elapsedMs;
    this.merchant = trace.caller?.ns ?? null;
    this.#method = request.method;
    this.#url = request.raw.url ?? '/';
    this.#headers = request.headers;
    this.#params = (request.params ?? {}) as Record<string, string>;
    this.#body = request.body;
    this.#publicKeyId = trace.caller?.publicKeyId ?? null;
    this.#operation = trace.operation;
    this.#scenario = trace.scenario;
    this.#replayed = trace.replayed;
    this.#error = trace.error;
    this.#proxy = proxyOf(request);
    this.#status = end.status;
    this.#elapsedMs = end.elapsedMs;
    this.#responsePayload = end.responsePayload;
  }

  /** Builds the journal entry from what was kept of the call. */
  build(): Omit<JournalEntry, 'id'> {
    const requestBody = bodyOf(this.#body);
    const responseBody = bodyOf(this.#responsePayload);
    const ids = new Set<string>();
    for (const value of Object.values(this.#params)) if (value && value !== 'sandbox' && value !== 'live') ids.add(value);
    collectIds(ids, requestBody);
    collectIds(ids, responseBody);
    return {
      time: new Date(this.at).toISOString(),
      merchant: this.merchant,
      publicKeyId: this.#publicKeyId,
      operation: this.#operation,
      method: this.#method,
      path: this.#url,
      status: this.#status,
      durationMs: Math.round(this.#elapsedMs * 10) / 10,
      reasonCode: this.#error?.reasonCode ?? answeredReasonCode(this.#status, responseBody),
      scenario: this.#scenario,
      replayed: this.#replayed,
      objectIds: [...ids],
      request: { headers: headersOf(this.#headers), body: requestBody },
      response: { body: responseBody },
      proxy: this.#proxy,
      signature: signatureOf(this.#error?.diagnostics),
    };
  }
}
