import { createPrivateKey, generateKeyPair as generateKeyPairCb, generateKeyPairSync, randomBytes, type KeyObject } from 'node:crypto';
import { promisify } from 'node:util';
import forge from 'node-forge';

const generateKeyPair = promisify(generateKeyPairCb);

/** The key SNS envelopes are signed with and the self-signed certificate receivers verify them against. */
export interface SigningIdentity {
  /** PEM certificate served at SigningCertURL. */
  certPem: string;
  privateKey: KeyObject;
}

/** Days the signing certificate is valid (it lives for one process only). */
const validityDays = 365;

/** Builds a self-signed RSA / SHA-256 certificate around a PKCS#8 PEM key with node-forge. */
export function certificateFor(keyPem: string, now: Date = new Date()): SigningIdentity {
  const key = forge.pki.privateKeyFromPem(keyPem) as forge.pki.rsa.PrivateKey;
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.setRsaPublicKey(key.n, key.e);
  const serial = randomBytes(16);
  serial[0] = serial[0]! & 0x7f;
  cert.serialNumber = serial.toString('hex');
  cert.validity.notBefore = new Date(now.getTime() - 60 * 60 * 1000);
  cert.validity.notAfter = new Date(cert.validity.notBefore.getTime() + validityDays * 24 * 60 * 60 * 1000);
  // Real SNS certificates name sns.amazonaws.com; the organization says plainly this is not one.
  const subject = [
    { name: 'commonName', value: 'sns.amazonaws.com' },
    { name: 'organizationName', value: 'amazon-pay-mock (local test double, not Amazon)' },
  ];
  cert.setSubject(subject);
  cert.setIssuer(subject);
  cert.setExtensions([
    { name: 'basicConstraints', cA: false, critical: true },
    { name: 'keyUsage', digitalSignature: true, critical: true },
    { name: 'subjectKeyIdentifier' },
  ]);
  cert.sign(key, forge.md.sha256.create());
  return { certPem: forge.pki.certificateToPem(cert), privateKey: createPrivateKey(keyPem) };
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
