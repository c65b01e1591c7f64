import { constants, createPrivateKey, sign, type KeyObject } from 'node:crypto';
import { formatTimestamp } from '../domain/time.js';
import { saltLengthOf, type SigningAlgorithm } from './algorithms.js';
import { buildCanonicalRequest, canonicalQuery, stringToSign as toStringToSign } from './canonicalRequest.js';

/** A request to sign, the way a client (an SDK, curl via scripts/sign-request, a test) would send it. */
export interface SignRequestInput {
  method: string;
  /** Absolute URL; its host (with port) becomes x-amz-pay-host, as the Node SDK does with overrideServiceUrl. */
  url: string;
  body?: string | Buffer;
  /** Extra headers, signed with the name casing given (like the Node SDK); they override the defaults. */
  headers?: Record<string, string>;
  /** PEM (PKCS#1 or PKCS#8) or a KeyObject. */
  privateKey: string | KeyObject;
  publicKeyId: string;
  algorithm?: SigningAlgorithm;
  /** x-amz-pay-region; default 'na'. */
  region?: string;
  /** 'iso' = 2024-01-01T00:00:00Z (Node SDK), 'compact' = 20240101T000000Z (PHP, Java, .NET, Ruby). */
  dateFormat?: 'iso' | 'compact';
  /** Milliseconds since the epoch for x-amz-pay-date; default the real time. */
  now?: number;
}

/** What to send: the URL (query in canonical order), every header including authorization, and what was signed. */
export interface SignedRequest {
  url: string;
  headers: Record<string, string>;
  canonicalRequest: string;
  stringToSign: string;
}

/**
 * Signs a request like the Node SDK's signHeaders: every header sent is signed, names sorted
 * case-insensitively with their casing kept. One difference: the query is written in RFC 3986 form
 * and the URL rewritten to match, so the mock verifies it on its first try.
 */
export function signRequest(input: SignRequestInput): SignedRequest {
  const url = new URL(input.url);
  const algorithm = input.algorithm ?? 'AMZN-PAY-RSASSA-PSS';
  const now = input.now ?? Date.now();
  const date = input.dateFormat === 'compact' ? formatTimestamp(now) : `${new Date(now).toISOString().slice(0, 19)}Z`;

  const headers = new Map<string, [name: string, value: string]>();
  const put = (name: string, value: string) => headers.set(name.toLowerCase(), [name, value]);
  put('accept', 'application/json');
  put('content-type', 'application/json');
  put('x-amz-pay-date', date);
  put('x-amz-pay-host', url.host);
  put('x-amz-pay-region', input.region ?? 'na');
  for (const [name, value] of Object.entries(input.headers ?? {})) put(name, value.trim());

  const entries = [...headers.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const signedHeaderNames = entries.map(([, [name]]) => name);
  const signedHeaders = signedHeaderNames.join(';');
  const query = canonicalQuery(url.search.slice(1), 'rfc3986');
  const canonicalRequest = buildCanonicalRequest(
    {
      method: input.method,
      path: url.pathname,
      query,
      headers: Object.fromEntries(entries.map(([lower, [, value]]) => [lower, value])),
      signedHeaderNames,
      signedHeaders,
      body: Buffer.from(input.body ?? ''),
    },
    { query: 'raw', headerValues: 'trim' }, // query is canonical already
  );
  const stringToSign = toStringToSign(algorithm, canonicalRequest);
  const signature = sign('sha256', Buffer.from(stringToSign, 'utf8'), {
    key: typeof input.privateKey === 'string' ? createPrivateKey(input.privateKey) : input.privateKey,
    padding: constants.RSA_PKCS1_PSS_PADDING,
    saltLength: saltLengthOf(algorithm), // unset, OpenSSL would use the maximum salt and nothing would verify
  }).toString('base64');

  const sent: Record<string, string> = Object.fromEntries(entries.map(([, [name, value]]) => [name, value]));
  sent['authorization'] = `${algorithm} PublicKeyId=${input.publicKeyId}, SignedHeaders=${signedHeaders}, Signature=${signature}`;
  url.search = query;
  return { url: url.toString(), headers: sent, canonicalRequest, stringToSign };
}
