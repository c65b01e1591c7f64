import { hash } from 'node:crypto';
import type { SigningAlgorithm } from './algorithms.js';
import { headerText, type IncomingHeaders } from './headers.js';

/** What the canonical request is built from: the request exactly as it arrived. */
export interface CanonicalRequestInput {
  method: string;
  /** Raw path as on the wire (no query); never re-encoded, trailing slash kept. */
  path: string;
  /** Raw text after '?', '' if none. */
  query: string;
  headers: IncomingHeaders;
  /** Names from SignedHeaders, in order, casing as sent. */
  signedHeaderNames: readonly string[];
  /** SignedHeaders verbatim. */
  signedHeaders: string;
  body: Buffer;
}

/**
 * How to normalise the parts the SDKs disagree on (docs/amazon-pay-notes.md, "How the SDKs sign").
 * query: 'rfc3986' re-encodes decoded pairs with the RFC 3986 unreserved set (Java, .NET, PHP);
 * 'raw' keeps the wire pairs as sent (Ruby's '+' for space; any client whose wire query is its
 * canonical one); 'node' re-encodes with encodeURIComponent's set, which also leaves !'()* alone:
 * the Node SDK signs "it's" but axios sends "it%27s" (WHATWG URL encodes the apostrophe), so only
 * decoding and re-encoding the Node way finds what it signed.
 * headerValues: 'trim' (Node, PHP, Ruby), 'collapse' whitespace runs to one space (.NET), or
 * 'spaces': each whitespace character becomes one space (Java: a tab next to a space is two spaces).
 */
export interface CanonicalVariant {
  query: 'rfc3986' | 'raw' | 'node';
  headerValues: 'trim' | 'collapse' | 'spaces';
}

/**
 * Lower-case hex SHA-256, the hash used for the body and the canonical request. The one-shot
 * `hash` makes no Hash object (about half the cost of createHash for a canonical request).
 */
export function sha256Hex(data: string | Buffer): string {
  return hash('sha256', data, 'hex');
}

/** The hash of an empty body (every GET and DELETE), computed once. */
const EMPTY_BODY_HASH = sha256Hex('');

/** The hash of a request body; an empty one is not hashed again. */
export function bodyHashOf(body: Buffer): string {
  return body.length === 0 ? EMPTY_BODY_HASH : sha256Hex(body);
}

/**
 * Builds the canonical request ("Signing requests"). `bodyHash` may be passed in so that trying several
 * variants hashes a large body once.
 */
export function buildCanonicalRequest(input: CanonicalRequestInput, variant: CanonicalVariant, bodyHash = bodyHashOf(input.body)): string {
  return [
    input.method.toUpperCase(),
    input.path,
    canonicalQuery(input.query, variant.query),
    canonicalHeaders(input.headers, input.signedHeaderNames, variant.headerValues), // ends in '\n': blank line follows
    input.signedHeaders,
    bodyHash,
  ].join('\n');
}

/** `ALG\nhex(sha256(canonicalRequest))`, the bytes that are signed. */
export function stringToSign(algorithm: SigningAlgorithm, canonicalRequest: string): string {
  return `${algorithm}\n${sha256Hex(canonicalRequest)}`;
}

/** The canonical header block: `lowercase(name):value\n` per signed header, in SignedHeaders order. */
export function canonicalHeaders(headers: IncomingHeaders, signedHeaderNames: readonly string[], mode: CanonicalVariant['headerValues']): string {
  let block = '';
  for (const name of signedHeaderNames) {
    const lower = name.toLowerCase();
    // A signed header that did not arrive still takes its line, with an empty value, so the
    // signature fails on the content instead of the request being refused for shape.
    let value = (headerText(headers, lower) ?? '').trim();
    if (mode === 'collapse') value = value.replace(/\s+/g, ' ');
    else if (mode === 'spaces') value = value.replace(/\s/g, ' ');
    block += `${lower}:${value}\n`;
  }
  return block;
}

/** The canonical query string of a raw query, in either normalisation. */
export function canonicalQuery(query: string, mode: CanonicalVariant['query']): string {
  if (query === '') return '';
  const pairs: [key: string, value: string, text: string][] = [];
  for (const text of query.split('&')) {
    if (text === '') continue; // 'a=1&&b=2' or a trailing '&': no signer emits an empty pair
    const eq = text.indexOf('=');
    const key = eq === -1 ? text : text.slice(0, eq);
    const value = eq === -1 ? '' : text.slice(eq + 1);
    if (mode === 'raw') pairs.push([key, value, text]);
    else {
      const keep = mode === 'node' ? isNodeUnescapedByte : isUnreservedByte;
      const k = reencode(key, keep);
      const v = reencode(value, keep);
      pairs.push([k, v, `${k}=${v}`]);
    }
  }
  // Java sorts the *encoded* names and values (TreeMap over encoded keys); encoded text is ASCII,
  // so code-unit order is byte order.
  pairs.sort((a, b) => compare(a[0], b[0]) || compare(a[1], b[1]));
  return pairs.map((p) => p[2]).join('&');
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

const UNRESERVED = /^[A-Za-z0-9\-._~]*$/;
const HEX = Array.from({ length: 256 }, (_, b) => `%${b.toString(16).toUpperCase().padStart(2, '0')}`);

/**
 * Percent-decodes one component to bytes and re-encodes every byte that `keep` rejects as %XX
 * (uppercase). Works on bytes, not text, so malformed escapes or invalid UTF-8 cannot throw. '+'
 * is a literal plus here (it is "%2B" in every RFC 3986 signer); Ruby's '+'-for-space is what the
 * 'raw' variant is for.
 */
function reencode(component: string, keep: (byte: number) => boolean): string {
  if (UNRESERVED.test(component)) return component; // the common case: nothing to decode or encode
  const src = Buffer.from(component, 'utf8');
  let out = '';
  for (let i = 0; i < src.length; i++) {
    let byte = src[i]!;
    if (byte === 0x25 && i + 2 < src.length && isHexDigit(src[i + 1]!) && isHexDigit(src[i + 2]!)) {
      byte = parseInt(String.fromCharCode(src[i + 1]!, src[i + 2]!), 16);
      i += 2;
    }
    out += keep(byte) ? String.fromCharCode(byte) : HEX[byte]!;
  }
  return out;
}

function isHexDigit(byte: number): boolean {
  return (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x46) || (byte >= 0x61 && byte <= 0x66);
}

function isUnreservedByte(byte: number): boolean {
  return (
    (byte >= 0x41 && byte <= 0x5a) || (byte >= 0x61 && byte <= 0x7a) || (byte >= 0x30 && byte <= 0x39) ||
    byte === 0x2d || byte === 0x2e || byte === 0x5f || byte === 0x7e
  );
}

// encodeURIComponent leaves these five unescaped besides the unreserved set: ! ' ( ) *
function isNodeUnescapedByte(byte: number): boolean {
  return isUnreservedByte(byte) || byte === 0x21 || byte === 0x27 || byte === 0x28 || byte === 0x29 || byte === 0x2a;
}
