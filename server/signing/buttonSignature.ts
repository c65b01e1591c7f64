import { apiError } from '../domain/errors.js';
import { isSigningAlgorithm, saltLengthOf, SIGNING_ALGORITHMS, type SigningAlgorithm } from './algorithms.js';
import { sha256Hex } from './canonicalRequest.js';
import { environmentFromKeyId, type KeyRegistry } from './keyRegistry.js';
import type { SignatureVerifier } from './verifier.js';

/**
 * The signature of an Amazon Pay button payload ("Sign the payload" in Amazon's "Add the Amazon
 * Pay button" pages; the SDKs' generateButtonSignature): RSASSA-PSS over
 * `ALGORITHM + "\n" + hex(sha256(payloadJSON))`, no canonical request, with the key registered
 * for the button's publicKeyId. The algorithm decides the salt, as for API requests.
 */

/** The string a button signature covers. */
export function buttonStringToSign(algorithm: SigningAlgorithm, payloadJSON: string): string {
  return `${algorithm}\n${sha256Hex(payloadJSON)}`;
}

/**
 * PHP's stripcslashes: the PHP SDK hashes the payload after it, so a payload json_encode wrote
 * with `\/` verifies only in this form. Backslash escapes become the byte they name.
 */
export function stripcslashes(text: string): string {
  const named: Record<string, string> = { n: '\n', t: '\t', r: '\r', a: '\x07', v: '\v', b: '\b', f: '\f' };
  return text.replace(/\\(x[0-9A-Fa-f]{1,2}|[0-7]{1,3}|[\s\S])/g, (_m, esc: string) => {
    if (esc.length > 1 && esc[0] === 'x') return String.fromCharCode(parseInt(esc.slice(1), 16));
    if (/^[0-7]+$/.test(esc)) return String.fromCharCode(parseInt(esc, 8) & 0xff);
    return named[esc] ?? esc;
  });
}

/** What checkout.js sends for one button: the config's four values as the page gave them. */
export interface ButtonSignatureInput {
  payloadJSON: string;
  signature: string;
  publicKeyId: string;
  /** Absent means the original algorithm (AMZN-PAY-RSASSA-PSS), as the SDKs default. */
  algorithm?: string;
}

export interface VerifiedButton {
  publicKeyId: string;
  algorithm: SigningAlgorithm;
  keyEnvironment: 'sandbox' | 'live' | null;
  stringToSign: string;
}

/**
 * Verifies a button signature; throws UnauthorizedAccess (unknown key), InvalidParameterValue
 * (unknown algorithm) or InvalidRequestSignature carrying the payload and the string to sign
 * the mock computed, for the journal.
 */
export async function verifyButtonSignature(input: ButtonSignatureInput, deps: { keys: KeyRegistry; verifier: SignatureVerifier }): Promise<VerifiedButton> {
  const algorithm = input.algorithm === undefined || input.algorithm === '' ? 'AMZN-PAY-RSASSA-PSS' : input.algorithm;
  if (!isSigningAlgorithm(algorithm)) {
    throw apiError('InvalidParameterValue', `The algorithm '${algorithm.slice(0, 64)}' is not supported; use ${SIGNING_ALGORITHMS.join(' or ')}.`);
  }
  const key = deps.keys.get(input.publicKeyId);
  if (!key) {
    throw apiError('UnauthorizedAccess', `Unknown publicKeyId '${input.publicKeyId.slice(0, 64)}'. Register its public key with POST /__admin/publicKeys or drop it into the keys directory.`);
  }
  const saltLength = saltLengthOf(algorithm);
  const stringToSign = buttonStringToSign(algorithm, input.payloadJSON);
  const candidates = [stringToSign];
  const unescaped = stripcslashes(input.payloadJSON);
  if (unescaped !== input.payloadJSON) candidates.push(buttonStringToSign(algorithm, unescaped));
  for (const candidate of candidates) {
    if (await deps.verifier.verify(key, { message: candidate, signatureBase64: input.signature, saltLength })) {
      return { publicKeyId: input.publicKeyId, algorithm, keyEnvironment: environmentFromKeyId(input.publicKeyId), stringToSign: candidate };
    }
  }
  throw apiError('InvalidRequestSignature', `Unable to verify signature, signing String [${stringToSign}] , signature [${input.signature}]`, {
    canonicalRequest: input.payloadJSON,
    stringToSign,
  });
}
