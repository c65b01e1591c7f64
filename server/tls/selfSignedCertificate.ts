import { randomBytes } from 'node:crypto';
import type Forge from 'node-forge';
import { nodeForge } from '../nodeForge.js';

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
  const now = options.now ?? new Date();
  const key = nodeForge().pki.privateKeyFromPem(options.keyPem) as Forge.pki.rsa.PrivateKey;
  const cert = nodeForge().pki.createCertificate();
  cert.publicKey = nodeForge().pki.setRsaPublicKey(key.n, key.e);
  // Positive 128-bit serial: DER integers are signed, so the first byte must stay below 0x80.
  const serial = randomBytes(16);
  serial[0] = serial[0]! & 0x7f;
  cert.serialNumber = serial.toString('hex');
  // Back-date an hour so a client whose clock runs slightly behind still accepts it.
  cert.validity.notBefore = new Date(now.getTime() - 60 * 60 * 1000);
  cert.validity.notAfter = new Date(cert.validity.notBefore.getTime() + options.validityDays * 24 * 60 * 60 * 1000);
  const subject = [
    { name: 'commonName', value: options.commonName },
    { name: 'organizationName', value: options.organizationName },
  ];
  cert.setSubject(subject);
  cert.setIssuer(subject);
  cert.setExtensions([{ name: 'basicConstraints', cA: false, critical: true }, ...options.extensions, { name: 'subjectKeyIdentifier' }]);
  cert.sign(key, nodeForge().md.sha256.create());
  return nodeForge().pki.certificateToPem(cert);
}
