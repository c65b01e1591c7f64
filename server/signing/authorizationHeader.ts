import { apiError } from '../domain/errors.js';
import { SIGNING_ALGORITHMS, isSigningAlgorithm, type SigningAlgorithm } from './algorithms.js';

/** The four parts of an Amazon Pay `authorization` header. */
export interface ParsedAuthorization {
  algorithm: SigningAlgorithm;
  publicKeyId: string;
  /** Exactly as sent: it goes into the canonical request verbatim, casing included. */
  signedHeaders: string;
  /** The names of `signedHeaders`, in order, casing as sent (the Node SDK keeps the caller's casing). */
  signedHeaderNames: string[];
  /** Base64 as sent; may be empty or garbage, which the verifier rejects (403) rather than the parser (400). */
  signature: string;
}

const EXPECTED_FORM = '<algorithm> PublicKeyId=<publicKeyId>, SignedHeaders=<header1>;<header2>;..., Signature=<base64>';

// The SDKs all write exactly one space after the algorithm and ", " between parts; whitespace around
// the commas is tolerated so a hand-written header fails on its content, not on spacing.
const PARTS = /^PublicKeyId=([^\s,]+)\s*,\s*SignedHeaders=([^\s,]+)\s*,\s*Signature=(\S*)$/;
// RFC 9110 token characters: anything else cannot be a header name.
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/** Parses the `authorization` header; throws MissingHeader / MissingHeaderValue / InvalidHeaderValue. */
export function parseAuthorization(value: string | undefined): ParsedAuthorization {
  if (value === undefined) throw apiError('MissingHeader', "The request must include the header 'authorization'.");
  const text = value.trim();
  if (text === '') throw apiError('MissingHeaderValue', "The header 'authorization' must have a value of the form " + EXPECTED_FORM + '.');

  const space = text.search(/\s/);
  const algorithm = space === -1 ? text : text.slice(0, space);
  if (!isSigningAlgorithm(algorithm)) {
    throw apiError(
      'InvalidHeaderValue',
      `The algorithm ${quote(algorithm)} in the header 'authorization' is not supported; use ${SIGNING_ALGORITHMS.join(' or ')}.`,
    );
  }

  const parts = space === -1 ? null : PARTS.exec(text.slice(space).trimStart());
  const signedHeaderNames = parts ? parts[2]!.split(';') : [];
  if (!parts || !signedHeaderNames.every((name) => HEADER_NAME.test(name))) {
    throw apiError('InvalidHeaderValue', `The value provided for the header 'authorization' is invalid; expected ${EXPECTED_FORM}.`);
  }
  return { algorithm, publicKeyId: parts[1]!, signedHeaders: parts[2]!, signedHeaderNames, signature: parts[3]! };
}

/** Best-effort PublicKeyId from an authorization header, for when verification is off; never throws. */
export function peekPublicKeyId(value: string | undefined): string | null {
  if (typeof value !== 'string') return null;
  return /PublicKeyId=([^\s,]+)/.exec(value)?.[1] ?? null;
}

// Echoes caller input in a message without letting a huge header bloat the response.
function quote(text: string): string {
  return `'${text.length > 64 ? `${text.slice(0, 64)}...` : text}'`;
}
