import { randomBytes } from 'node:crypto';
import type Forge from 'node-forge';
import { nodeForge } from '../nodeForge.js';

/** Who signs a certificate: its own key (self-signed) or a CA's certificate and key. */
export interface Issuer {
  cert: Forge.pki.Certificate;
  key: Forge.pki.rsa.PrivateKey;
}

export interface CertificateSpec {
  /** The subject's public key. */
  publicKey: Forge.pki.rsa.PublicKey;
  subject: Forge.pki.CertificateField[];
  /** Absent: self-signed with `selfKey`. */
  issuer?: Issuer;
  /** The subject's own private key, needed only for a self-signed certificate. */
  selfKey?: Forge.pki.rsa.PrivateKey;
  validityDays: number;
  now?: Date;
  /** basicConstraints cA; a CA also gets pathLenConstraint 0 (it signs leaves only). */
  ca: boolean;
  /** node-forge extensions beyond basicConstraints and the key identifiers. */
  extensions: object[];
}

/** Builds and signs (SHA-256) an X.509 certificate with node-forge; returns the forge object. */
export function buildCertificate(spec: CertificateSpec): Forge.pki.Certificate {
  const now = spec.now ?? new Date();
  const cert = nodeForge().pki.createCertificate();
  cert.publicKey = spec.publicKey;
  // Positive 128-bit serial: DER integers are signed, so the first byte must stay below 0x80.
  const serial = randomBytes(16);
  serial[0] = (serial[0]! & 0x7f) | 0x01;
  cert.serialNumber = serial.toString('hex');
  // Back-date an hour so a client whose clock runs slightly behind still accepts it.
  cert.validity.notBefore = new Date(now.getTime() - 60 * 60 * 1000);
  cert.validity.notAfter = new Date(cert.validity.notBefore.getTime() + spec.validityDays * 24 * 60 * 60 * 1000);
  // UTF8String: PrintableString forbids characters such as ';', '_' or '@', and strict parsers
  // (Chromium) reject the whole certificate for one of them.
  const subject = spec.subject.map((field) => ({ valueTagClass: nodeForge().asn1.Type.UTF8 as unknown as Forge.asn1.Class, ...field }));
  cert.setSubject(subject);
  // The issuer is the CA's subject byte for byte, as chain building compares them.
  cert.setIssuer(spec.issuer ? spec.issuer.cert.subject.attributes : subject);
  const identifiers: object[] = [{ name: 'subjectKeyIdentifier' }];
  if (spec.issuer) identifiers.push({ name: 'authorityKeyIdentifier', keyIdentifier: spec.issuer.cert.generateSubjectKeyIdentifier().getBytes() });
  const basic = spec.ca ? { name: 'basicConstraints', cA: true, pathLenConstraint: 0, critical: true } : { name: 'basicConstraints', cA: false, critical: true };
  cert.setExtensions([basic, ...spec.extensions, ...identifiers]);
  const signer = spec.issuer?.key ?? spec.selfKey;
  if (!signer) throw new Error('buildCertificate: a self-signed certificate needs selfKey');
  cert.sign(signer, nodeForge().md.sha256.create());
  return cert;
}
