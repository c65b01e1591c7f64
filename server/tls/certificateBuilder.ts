import { createHash, randomBytes, sign, X509Certificate, type KeyObject } from 'node:crypto';
import { isIP } from 'node:net';
import { bitString, boolean, children, explicit, namedBits, nullValue, objectId, octetString, readElement, sequence, set, smallInteger, time, tlv, unsignedInteger, utf8String } from './der.js';

/** Who signs a certificate: its own key (self-signed) or a CA's certificate and key. */
export interface Issuer {
  certPem: string;
  key: KeyObject;
}

/** A subject attribute the mock's certificates use. */
export interface SubjectField {
  name: 'commonName' | 'organizationName' | 'organizationalUnitName';
  value: string;
}

/** KeyUsage bits by name (RFC 5280 §4.2.1.3). */
const keyUsageBits = { digitalSignature: 0, keyEncipherment: 2, keyCertSign: 5, cRLSign: 6 } as const;
export type KeyUsage = keyof typeof keyUsageBits;

export interface CertificateSpec {
  /** The subject's public key (RSA or EC). */
  publicKey: KeyObject;
  subject: SubjectField[];
  /** Absent: self-signed with `selfKey`. */
  issuer?: Issuer;
  /** The subject's own private key, needed only for a self-signed certificate. */
  selfKey?: KeyObject;
  validityDays: number;
  now?: Date;
  /** basicConstraints cA; a CA also gets pathLenConstraint 0 (it signs leaves only). */
  ca: boolean;
  /** KeyUsage, marked critical. */
  keyUsage: KeyUsage[];
  /** A server certificate for these DNS names and IP addresses: subjectAltName plus extKeyUsage serverAuth. */
  serverNames?: readonly string[];
}

const oids = {
  commonName: '2.5.4.3',
  organizationName: '2.5.4.10',
  organizationalUnitName: '2.5.4.11',
  sha256WithRSAEncryption: '1.2.840.113549.1.1.11',
  ecdsaWithSHA256: '1.2.840.10045.4.3.2',
  subjectKeyIdentifier: '2.5.29.14',
  keyUsage: '2.5.29.15',
  subjectAltName: '2.5.29.17',
  basicConstraints: '2.5.29.19',
  authorityKeyIdentifier: '2.5.29.35',
  extKeyUsage: '2.5.29.37',
  serverAuth: '1.3.6.1.5.5.7.3.1',
} as const;

/**
 * Builds and signs (SHA-256, with node:crypto) an X.509 v3 certificate; returns its PEM. RSA
 * issuers sign sha256WithRSAEncryption, EC issuers ecdsa-with-SHA256.
 */
export function buildCertificate(spec: CertificateSpec): string {
  const now = spec.now ?? new Date();
  const signer = spec.issuer?.key ?? spec.selfKey;
  if (!signer) throw new Error('buildCertificate: a self-signed certificate needs selfKey');
  const algorithm = signatureAlgorithm(signer);
  // Positive 128-bit serial: DER integers are signed, so the first byte must stay below 0x80.
  const serial = randomBytes(16);
  serial[0] = (serial[0]! & 0x7f) | 0x01;
  // Back-date an hour so a client whose clock runs slightly behind still accepts it.
  const notBefore = new Date(Math.floor(now.getTime() / 1000) * 1000 - 60 * 60 * 1000);
  const notAfter = new Date(notBefore.getTime() + spec.validityDays * 24 * 60 * 60 * 1000);
  // UTF8String: PrintableString forbids characters such as ';', '_' or '@', and strict parsers
  // (Chromium) reject the whole certificate for one of them.
  const subject = sequence(...spec.subject.map((field) => set(sequence(objectId(oids[field.name]), utf8String(field.value)))));
  // The issuer is the CA's subject byte for byte, as chain building compares them.
  const issuer = spec.issuer ? subjectOf(spec.issuer.certPem) : subject;
  const spki = spec.publicKey.export({ type: 'spki', format: 'der' });

  const extensions = [
    extension(oids.basicConstraints, true, spec.ca ? sequence(boolean(true), smallInteger(0)) : sequence()),
    extension(oids.keyUsage, true, namedBits(spec.keyUsage.map((usage) => keyUsageBits[usage]))),
  ];
  if (spec.serverNames) {
    extensions.push(extension(oids.extKeyUsage, false, sequence(objectId(oids.serverAuth))));
    extensions.push(extension(oids.subjectAltName, false, sequence(...spec.serverNames.map(generalName))));
  }
  extensions.push(extension(oids.subjectKeyIdentifier, false, octetString(keyIdentifier(spki))));
  if (spec.issuer) {
    const issuerSpki = new X509Certificate(spec.issuer.certPem).publicKey.export({ type: 'spki', format: 'der' });
    extensions.push(extension(oids.authorityKeyIdentifier, false, sequence(tlv(0x80, keyIdentifier(issuerSpki)))));
  }

  const tbs = sequence(explicit(0, smallInteger(2)), unsignedInteger(serial), algorithm, issuer, sequence(time(notBefore), time(notAfter)), subject, spki, explicit(3, sequence(...extensions)));
  const signature = sign('sha256', tbs, signer);
  return toPem(sequence(tbs, algorithm, bitString(signature)));
}

/** The AlgorithmIdentifier of a SHA-256 signature by `key`. */
function signatureAlgorithm(key: KeyObject): Buffer {
  if (key.asymmetricKeyType === 'rsa') return sequence(objectId(oids.sha256WithRSAEncryption), nullValue());
  if (key.asymmetricKeyType === 'ec') return sequence(objectId(oids.ecdsaWithSHA256));
  throw new Error(`buildCertificate: cannot sign with a ${key.asymmetricKeyType} key (RSA or EC only)`);
}

function extension(id: string, critical: boolean, value: Buffer): Buffer {
  return critical ? sequence(objectId(id), boolean(true), octetString(value)) : sequence(objectId(id), octetString(value));
}

/** RFC 5280 §4.2.1.2 method 1: SHA-1 of the subjectPublicKey bits (what node-forge and OpenSSL compute too). */
function keyIdentifier(spki: Buffer): Buffer {
  const [, key] = children(spki, readElement(spki, 0));
  return createHash('sha1').update(spki.subarray(key!.contentStart + 1, key!.end)).digest();
}

/** The subject Name of a PEM certificate, as its DER bytes. */
function subjectOf(certPem: string): Buffer {
  const der = new X509Certificate(certPem).raw;
  const [tbs] = children(der, readElement(der, 0));
  const fields = children(der, tbs!);
  // version [0] is optional: serial, signature, issuer, validity, subject follow it.
  const subject = fields[fields[0]!.tag === 0xa0 ? 5 : 4]!;
  return der.subarray(subject.start, subject.end);
}

/** A subjectAltName entry: dNSName [2] or iPAddress [7] (4 or 16 bytes). */
function generalName(name: string): Buffer {
  const version = isIP(name);
  if (version === 0) return tlv(0x82, Buffer.from(name, 'latin1'));
  return tlv(0x87, version === 4 ? Buffer.from(name.split('.').map(Number)) : ipv6Bytes(name));
}

/** The 16 bytes of an IPv6 address in any textual form (`::`, an IPv4 tail, a zone id, which is dropped). */
function ipv6Bytes(text: string): Buffer {
  let address = text.replace(/%.*$/, '');
  const v4 = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(address);
  if (v4) {
    const [a, b, c, d] = v4.slice(1).map(Number) as [number, number, number, number];
    address = `${address.slice(0, v4.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head, tail] = address.split('::') as [string, string | undefined];
  const groups = (part: string | undefined) => (part ? part.split(':') : []);
  const left = groups(head);
  const right = groups(tail);
  const all = tail === undefined ? left : [...left, ...Array<string>(8 - left.length - right.length).fill('0'), ...right];
  const bytes = Buffer.alloc(16);
  all.forEach((group, i) => bytes.writeUInt16BE(parseInt(group, 16), i * 2));
  return bytes;
}

function toPem(der: Buffer): string {
  const lines = der.toString('base64').match(/.{1,64}/g) ?? [];
  return `-----BEGIN CERTIFICATE-----\n${lines.join('\n')}\n-----END CERTIFICATE-----\n`;
}
