import type Forge from 'node-forge';
import { nodeForge } from '../nodeForge.js';
import { buildCertificate } from './certificateBuilder.js';

export interface SelfSignedOptions {
  /** PKCS#8 PEM private key (RSA). */
  keyPem: string;
  commonName: string;
  organizationName: string;
  validityDays: number;
  /** node-forge extensions beyond basicConstraints (always cA:false) and subjectKeyIdentifier. */
  extensions: object[];
  now?: Date;
}

/** Builds and signs (SHA-256) a self-signed certificate around an RSA key with node-forge; returns its PEM. */
export function selfSignedCertificate(options: SelfSignedOptions): string {
  const key = nodeForge().pki.privateKeyFromPem(options.keyPem) as Forge.pki.rsa.PrivateKey;
  const cert = buildCertificate({
    publicKey: nodeForge().pki.setRsaPublicKey(key.n, key.e),
    subject: [
      { name: 'commonName', value: options.commonName },
      { name: 'organizationName', value: options.organizationName },
    ],
    selfKey: key,
    validityDays: options.validityDays,
    ca: false,
    extensions: options.extensions,
    ...(options.now ? { now: options.now } : {}),
  });
  return nodeForge().pki.certificateToPem(cert);
}
