import { apiError } from '../domain/errors.js';
import { formatTimestamp, parseTimestamp } from '../domain/time.js';
import { saltLengthOf, type SigningAlgorithm } from './algorithms.js';
import { parseAuthorization } from './authorizationHeader.js';
import { bodyHashOf, buildCanonicalRequest, stringToSign as toStringToSign, type CanonicalRequestInput, type CanonicalVariant } from './canonicalRequest.js';
import { echo } from '../domain/echo.js';
import { headerText, type IncomingHeaders } from './headers.js';
import { environmentFromKeyId, type KeyRegistry } from './keyRegistry.js';
import type { SignatureVerifier } from './verifier.js';

/** The request as received: raw path and query text, Node's lower-cased headers, the unparsed body. */
export interface SignedRequestInput {
  method: string;
  path: string;
  query: string;
  headers: IncomingHeaders;
  body: Buffer;
}

export interface VerifyDeps {
  keys: KeyRegistry;
  verifier: SignatureVerifier;
  /** Real time, not the emulator's business clock: SDKs stamp x-amz-pay-date from the real clock. */
  wallTime: () => number;
  /** How old x-amz-pay-date may be. */
  skewSeconds: number;
}

/** Who signed a verified request, and what was verified (for the journal). */
export interface VerifiedCaller {
  publicKeyId: string;
  algorithm: SigningAlgorithm;
  keyEnvironment: 'sandbox' | 'live' | null;
  canonicalRequest: string;
  stringToSign: string;
  /** The normalisation that matched, which tells which SDK family signed. */
  variant: CanonicalVariant;
}

/**
 * Order matters: the first matches Java/.NET/PHP and any request without query or odd whitespace,
 * so a well-formed request costs exactly one RSA verify; the rest cover Ruby and Node queries and
 * .NET and Java whitespace folding (Node never folds whitespace, so 'node' is only tried with 'trim').
 */
export const VARIANT_ORDER: readonly CanonicalVariant[] = [
  { query: 'rfc3986', headerValues: 'trim' },
  { query: 'raw', headerValues: 'trim' },
  { query: 'node', headerValues: 'trim' },
  { query: 'rfc3986', headerValues: 'collapse' },
  { query: 'raw', headerValues: 'collapse' },
  { query: 'rfc3986', headerValues: 'spaces' },
  { query: 'raw', headerValues: 'spaces' },
];

// The SDKs stamp the date just before sending; allow a little clock disagreement ahead of us.
const FUTURE_TOLERANCE_MS = 5_000;

/** Checks the authorization header, the date and the signature ("Signing requests"; docs/amazon-pay-notes.md, "How the SDKs sign"); throws an AmazonPayError on failure. */
export async function verifyRequest(input: SignedRequestInput, deps: VerifyDeps): Promise<VerifiedCaller> {
  const auth = parseAuthorization(headerText(input.headers, 'authorization'));
  const key = deps.keys.get(auth.publicKeyId);
  if (!key) {
    throw apiError(
      'UnauthorizedAccess',
      `Unknown publicKeyId '${auth.publicKeyId}'. Register its public key with POST /__admin/publicKeys ` +
        `{"publicKeyId":"${auth.publicKeyId}","publicKey":"<PEM>"} or drop ${auth.publicKeyId}.pem into the keys directory.`,
    );
  }
  checkDate(headerText(input.headers, 'x-amz-pay-date'), deps);
  checkSignedHeaders(auth.signedHeaderNames, input.headers);

  const saltLength = saltLengthOf(auth.algorithm);
  const canonicalInput: CanonicalRequestInput = { method: input.method, path: input.path, query: input.query, headers: input.headers, body: input.body, signedHeaderNames: auth.signedHeaderNames, signedHeaders: auth.signedHeaders };
  const bodyHash = bodyHashOf(input.body);
  // Most requests canonicalise the same under every variant: each distinct string is verified once
  // (a short list of the strings tried: there are at most seven).
  const tried: string[] = [];
  for (const variant of VARIANT_ORDER) {
    const canonicalRequest = buildCanonicalRequest(canonicalInput, variant, bodyHash);
    const stringToSign = toStringToSign(auth.algorithm, canonicalRequest);
    if (tried.includes(stringToSign)) continue;
    tried.push(stringToSign);
    if (await deps.verifier.verify(key, { message: stringToSign, signatureBase64: auth.signature, saltLength })) {
      // The registry's own copy of the id, equal to the one in the header: that one is a slice of
      // the whole authorization header, and the records this call writes keep the id they are given.
      return { publicKeyId: key.publicKeyId, algorithm: auth.algorithm, keyEnvironment: environmentFromKeyId(key.publicKeyId), canonicalRequest, stringToSign, variant };
    }
  }
  // The first variant's strings are the ones a client should compare with its own.
  const first = { canonicalRequest: buildCanonicalRequest(canonicalInput, VARIANT_ORDER[0]!, bodyHash), stringToSign: tried[0]! };
  throw apiError('InvalidRequestSignature', `Unable to verify signature, signing String [${first.stringToSign}] , signature [${auth.signature}]`, first);
}

/** Headers a signature must cover: without the date one captured signature would replay forever. */
export const REQUIRED_SIGNED_HEADERS = ['x-amz-pay-date', 'x-amz-pay-host'] as const;

/**
 * Every official SDK signs x-amz-pay-date and x-amz-pay-host; a signature over less proves nothing
 * about when or for whom the request was made. A listed header that was not sent cannot have been
 * signed as sent either. Both fail as InvalidRequestSignature, naming the header.
 */
function checkSignedHeaders(names: readonly string[], headers: IncomingHeaders): void {
  // A handful of names: arrays serve better than sets here.
  const listed = names.map(lowerCase);
  const missing = REQUIRED_SIGNED_HEADERS.filter((h) => !listed.includes(h));
  if (missing.length) {
    throw apiError(
      'InvalidRequestSignature',
      `Unable to verify signature: SignedHeaders must include ${REQUIRED_SIGNED_HEADERS.join(' and ')}; ${missing.join(' and ')} ${missing.length === 1 ? 'is' : 'are'} not signed.`,
    );
  }
  let absent: string[] | null = null;
  for (let i = 0; i < listed.length; i++) {
    const h = listed[i]!;
    if (headerText(headers, h) === undefined && listed.indexOf(h) === i) (absent ??= []).push(h);
  }
  if (absent) {
    throw apiError(
      'InvalidRequestSignature',
      `Unable to verify signature: SignedHeaders lists ${absent.map((h) => `'${echo(h)}'`).join(', ')}, which the request does not carry.`,
    );
  }
}

const lowerCase = (name: string) => name.toLowerCase();

const DATE_FORMS = 'YYYYMMDDTHHMMSSZ or YYYY-MM-DDTHH:MM:SSZ (UTC)';

function checkDate(value: string | undefined, deps: VerifyDeps): void {
  if (value === undefined) throw apiError('MissingHeader', "The request must include the header 'x-amz-pay-date'.");
  const text = value.trim();
  // Present but empty is MissingHeaderValue, as for authorization and the idempotency key ("Manage errors").
  if (text === '') throw apiError('MissingHeaderValue', `The header 'x-amz-pay-date' has no value; expected ${DATE_FORMS}.`);
  const date = parseTimestamp(text);
  if (date === null) {
    throw apiError('InvalidHeaderValue', `The value ${echo(value)} provided for x-amz-pay-date is invalid; expected ${DATE_FORMS}.`);
  }
  const now = deps.wallTime();
  if (date - now > FUTURE_TOLERANCE_MS) {
    throw apiError('InvalidHeaderValue', `The value ${value} provided for x-amz-pay-date should not be in future`);
  }
  if (now - date > deps.skewSeconds * 1000) {
    throw apiError(
      'InvalidHeaderValue',
      `The value ${value} provided for x-amz-pay-date is outside the allowed window of ${deps.skewSeconds} seconds (server time ${formatTimestamp(now)}).`,
    );
  }
}
