import { createPrivateKey, createPublicKey } from 'node:crypto';
import { buildCertificate, type KeyUsage } from './certificateBuilder.js';

export interface SelfSignedOptions {
  /** PKCS#8 PEM private key (RSA or EC). */
  keyPem: string;
  commonName: string;
  organizationName: string;
  validityDays: number;
  /** KeyUsage (critical); basicConstraints is always cA:false. */
  keyUsage: KeyUsage[];
  now?: Date;
}

/** Builds and signs (SHA-256) a self-signed certificate around a private key; returns its PEM. */
export function selfSignedCertificate(options: SelfSignedOptions): string {
  const key = createPrivateKey(options.keyPem);
  return buildCertificate({
    publicKey: createPublicKey(key),
    subject: [
      { name: 'commonName', value: options.commonName },
      { name: 'organizationName', value: options.organizationName },
    ],
    selfKey: key,
    validityDays: options.validityDays,
    ca: false,
    keyUsage: options.keyUsage,
    ...(options.now ? { now: options.now } : {}),
  });
}
