import { createPrivateKey, generateKeyPair as generateKeyPairCb, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { promisify } from 'node:util';
import { selfSignedCertificate } from '../tls/selfSignedCertificate.js';

const generateKeyPair = promisify(generateKeyPairCb);

/** The key SNS envelopes are signed with and the self-signed certificate receivers verify them against. */
export interface SigningIdentity {
  /** PEM certificate served at SigningCertURL. */
  certPem: string;
  privateKey: KeyObject;
}

/** Days the signing certificate is valid (it lives for one process only). */
const validityDays = 365;

/** Builds a self-signed RSA / SHA-256 certificate around a PKCS#8 PEM key. */
export function certificateFor(keyPem: string, now: Date = new Date()): SigningIdentity {
  // Real SNS certificates name sns.amazonaws.com; the organization says plainly this is not one.
  const certPem = selfSignedCertificate({
    keyPem,
    commonName: 'sns.amazonaws.com',
    organizationName: 'amazon-pay-mock (local test double, not Amazon)',
    validityDays,
    now,
    keyUsage: ['digitalSignature'],
  });
  return { certPem, privateKey: createPrivateKey(keyPem) };
}

const keyOptions = {
  modulusLength: 2048,
  publicKeyEncoding: { type: 'spki', format: 'pem' },
  privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
} as const;

let ready: SigningIdentity | null = null;
let pending: Promise<SigningIdentity> | null = null;

/** The process's signing identity, generated off the main thread on first call and then reused. */
export function signingIdentity(): Promise<SigningIdentity> {
  if (ready) return Promise.resolve(ready);
  pending ??= generateKeyPair('rsa', keyOptions).then(({ privateKey }) => (ready ??= certificateFor(privateKey)));
  return pending;
}

/**
 * The identity now, generating it synchronously (~0.1 s, once) if `signingIdentity()` has not
 * finished yet; lets notifications be signed at commit time without awaiting.
 */
export function signingIdentitySync(): SigningIdentity {
  if (ready) return ready;
  const { privateKey } = generateKeyPairSync('rsa', keyOptions);
  ready = certificateFor(privateKey);
  return ready;
}

/** Signs with this PKCS#8 PEM key from now on (the key every process sharing a store uses) instead of one of this process's own. */
export function adoptSigningKey(keyPem: string): void {
  ready = certificateFor(keyPem);
  pending = Promise.resolve(ready);
}
