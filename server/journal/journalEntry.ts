import type { FastifyRequest } from 'fastify';
import type { DeferredEntry, JournalEntry } from './journal.js';

const idKeys = ['checkoutSessionId', 'chargePermissionId', 'chargeId', 'refundId', 'buyerToken'] as const;
const maxBodyChars = 16 * 1024;

/**
 * The signature is a long random string; its first characters are enough to tell requests apart.
 * `cut` marks where the rest was left out (the journal keeps CUT, and shows '…').
 */
export function shortenAuthorization(value: string, cut: string): string {
  // The common case without the replacing expression (every call recorded pays for it):
  // 'Signature=' and a run of base64 to the end or to a space; anything else goes through it.
  // The run is found with indexOf and checked with a test: a loop over its ~344 characters with
  // charCodeAt cost about 2.4 µs per call, this about 0.4.
  const at = value.indexOf('Signature=');
  if (at !== -1) {
    const start = at + 'Signature='.length;
    const space = value.indexOf(' ', start);
    const end = space === -1 ? value.length : space;
    if (end - start > 12 && BASE64_RUN.test(value.slice(start, end))) return `${value.slice(0, start + 12)}${cut}${value.slice(end)}`;
  }
  return value.replace(/Signature=(\S{12})\S+/, `Signature=$1${cut}`);
}

const BASE64_RUN = /^[A-Za-z0-9+/=]*$/;

// Where a kept authorization header was cut: a one-byte stand-in for '…', which would make the
// whole packed string two bytes a character. Like NUL, no HTTP request can carry it in a header.
const CUT = '\u0001';

// Names and values alternate, separated by NUL, which an HTTP request cannot carry in a header
// (Node's parser answers 400); only a request injected in-process could.
const SEPARATOR = '\u0000';

/**
 * The headers as one string: the journal keeps its last calls across garbage collections, and one
 * string is one object to copy where the headers object and each of its strings were a dozen
 * (docs/benchmark-log.md). The authorization is kept shortened, as the journal shows it.
 */
function packHeaders(headers: FastifyRequest['headers']): { text: string; count: number } {
  const parts: string[] = [];
  for (const name in headers) {
    const value = headers[name];
    if (value === undefined) continue;
    const text = Array.isArray(value) ? value.join(', ') : String(value);
    parts.push(name, name === 'authorization' ? shortenAuthorization(text, CUT) : text);
  }
  return { text: parts.join(SEPARATOR), count: parts.length / 2 };
}

function unpackHeaders(packed: string, count: number): Record<string, string> {
  const out: Record<string, string> = {};
  if (count === 0) return out;
  const parts = packed.split(SEPARATOR);
  // A value with a NUL in it (injected in-process): the pairs cannot be told apart.
  if (parts.length !== count * 2) return { '(headers)': packed.replaceAll(SEPARATOR, ' ').replace(CUT, '…') };
  for (let i = 0; i < parts.length; i += 2) out[parts[i]!] = parts[i] === 'authorization' ? parts[i + 1]!.replace(CUT, '…') : parts[i + 1]!;
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

/**
 * `value` with every string longer than the journal keeps a body (16 KiB) cut, as `bodyOf` cuts a
 * body: for entries made of parts that are not one body (a button's form fields, what the mock
 * signed for it), so no part of a call makes its entry megabytes long.
 */
export function cutLongStrings(value: unknown): unknown {
  if (typeof value === 'string') return value.length > maxBodyChars ? `${value.slice(0, maxBodyChars)}…` : value;
  if (Array.isArray(value)) return value.map(cutLongStrings);
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, cutLongStrings(v)]));
  return value;
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

/** A call's duration as the journal shows it: Fastify's reply.elapsedTime (request start to answer sent), to 0.1 ms. */
export function journalDuration(elapsedMs: number): number {
  return Math.round(elapsedMs * 10) / 10;
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
  /** packHeaders' string, and how many headers it holds. */
  readonly #headers: string;
  readonly #headerCount: number;
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
    const headers = packHeaders(request.headers);
    this.#headers = headers.text;
    this.#headerCount = headers.count;
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
      durationMs: journalDuration(this.#elapsedMs),
      reasonCode: this.#error?.reasonCode ?? answeredReasonCode(this.#status, responseBody),
      scenario: this.#scenario,
      replayed: this.#replayed,
      objectIds: [...ids],
      request: { headers: unpackHeaders(this.#headers, this.#headerCount), body: requestBody },
      response: { body: responseBody },
      proxy: this.#proxy,
      signature: signatureOf(this.#error?.diagnostics),
    };
  }
}
