import { createPrivateKey, createPublicKey, generateKeyPair as generateKeyPairCb, X509Certificate, type KeyObject } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { rootCertificates } from 'node:tls';
import { promisify } from 'node:util';
import { buildCertificate } from './certificateBuilder.js';
import { ensureTlsDir, readIfPresent, tlsPaths, writeAtomically } from './tlsFiles.js';

const generateKeyPair = promisify(generateKeyPairCb);

/** Ten years: the CA is trusted once and should outlive every project that trusts it. */
export const caValidityDays = 3650;

/** A stored CA this close to expiry is replaced (and the user told so). */
const renewMarginMs = 30 * 24 * 60 * 60 * 1000;

/** The mock's local certificate authority: it signs every certificate the mock serves. */
export interface CertificateAuthority {
  /** Its private key (EC P-256 when made by this version, RSA when an older one made it). */
  key: KeyObject;
  certPem: string;
  /** Absolute path of ca.pem (what users trust). */
  file: string;
  /** Absolute path of ca-bundle.pem: this CA followed by Node's bundled public roots. */
  bundleFile: string;
  /** `generated`: written now; `reused`: found in the data dir. */
  source: 'generated' | 'reused';
  /** The subject's common name, e.g. `amazon-pay-mock local CA (build-host, 2026-11-29)`. */
  name: string;
  /** Why a CA found in the data dir was replaced, when it was. */
  replaced?: string;
}

/**
 * A new EC P-256 private key as PKCS#8 PEM, for the CA and the leaves. Making one takes well under a
 * millisecond (an RSA-2048 key took 0.1 to 2 s, which a fresh data dir's first start waited for),
 * and every TLS client the mock serves (OpenSSL, Java, .NET, browsers) accepts ECDSA certificates.
 */
export async function newKeyPem(): Promise<string> {
  const { privateKey } = await generateKeyPair('ec', {
    namedCurve: 'prime256v1',
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
  return privateKey;
}

/** Builds a new CA certificate (PEM) around `keyPem`; its name says what it is, on which machine and when it was made. */
export function buildAuthorityCertificate(keyPem: string, now: Date = new Date(), where: string = os.hostname()): string {
  const key = createPrivateKey(keyPem);
  const day = now.toISOString().slice(0, 10);
  return buildCertificate({
    publicKey: createPublicKey(key),
    subject: [
      { name: 'commonName', value: `amazon-pay-mock local CA (${where}, ${day})`.slice(0, 64) },
      { name: 'organizationName', value: 'amazon-pay-mock (local test double, not Amazon)' },
      { name: 'organizationalUnitName', value: `made on ${where} for offline tests, trust it on test machines only`.slice(0, 64) },
    ],
    selfKey: key,
    validityDays: caValidityDays,
    now,
    ca: true,
    keyUsage: ['digitalSignature', 'keyCertSign', 'cRLSign'],
  });
}

/** Why a stored CA cannot be used at `now`, or null when it can. */
export function authorityProblem(certPem: string, keyPem: string, now: Date = new Date()): string | null {
  let cert: X509Certificate;
  let key: KeyObject;
  try {
    cert = new X509Certificate(certPem);
    key = createPrivateKey(keyPem);
  } catch (err) {
    return `unreadable (${(err as Error).message})`;
  }
  if ((key.asymmetricKeyType !== 'rsa' && key.asymmetricKeyType !== 'ec') || !cert.checkPrivateKey(key)) return 'the key does not belong to the certificate';
  if (!cert.ca) return 'not a CA certificate';
  const notAfter = new Date(cert.validTo);
  if (notAfter.getTime() - renewMarginMs <= now.getTime()) return `expires ${notAfter.toISOString()}`;
  return null;
}

/**
 * The CA in `<dataDir>/tls/ca.pem` + `ca-key.pem` (key mode 0600), created on first use and then
 * kept: adding TLS names never replaces it, so what a user trusted stays trusted. Also keeps
 * `ca-bundle.pem` (this CA plus Node's public roots) current for SSL_CERT_FILE-style settings.
 */
export async function loadOrCreateAuthority(dataDir: string, now: Date = new Date()): Promise<CertificateAuthority> {
  const paths = tlsPaths(dataDir);
  const storedCert = await readIfPresent(dataDir, paths.caCert);
  const storedKey = await readIfPresent(dataDir, paths.caKey);
  let source: CertificateAuthority['source'] = 'reused';
  let certPem = storedCert ?? '';
  let keyPem = storedKey ?? '';
  let replaced: string | undefined;
  if (storedCert === null || storedKey === null || (replaced = authorityProblem(storedCert, storedKey, now) ?? undefined) !== undefined) {
    source = 'generated';
    keyPem = await newKeyPem();
    certPem = buildAuthorityCertificate(keyPem, now);
    await ensureTlsDir(dataDir);
    // Key first: a crash between the two renames leaves a pair authorityProblem rejects, never a silent mismatch.
    await writeAtomically({ dataDir, file: paths.caKey }, keyPem, 0o600);
    await writeAtomically({ dataDir, file: paths.caCert }, certPem, 0o644);
  }
  const bundle = `${certPem.trim()}\n${rootCertificates.join('\n')}\n`;
  if ((await readIfPresent(dataDir, paths.bundle)) !== bundle) {
    await ensureTlsDir(dataDir);
    await writeAtomically({ dataDir, file: paths.bundle }, bundle, 0o644);
  }
  const cn = new X509Certificate(certPem).subject.split('\n').find((line) => line.startsWith('CN='));
  return {
    key: createPrivateKey(keyPem),
    certPem,
    file: path.resolve(paths.caCert),
    bundleFile: path.resolve(paths.bundle),
    source,
    name: cn?.slice(3).replace(/\\(.)/g, '$1') ?? '', // RFC 2253 escapes (`\,`) undone
    ...(replaced !== undefined ? { replaced } : {}),
  };
}

/**
 * The one private key of every leaf, kept in `<dataDir>/tls/leaf-key.pem` (mode 0600) so a restart
 * needs no key generation; leaves themselves are issued anew by each process.
 */
export async function loadOrCreateLeafKey(dataDir: string): Promise<string> {
  const file = tlsPaths(dataDir).leafKey;
  const stored = await readIfPresent(dataDir, file);
  if (stored !== null) {
    try {
      createPrivateKey(stored);
      return stored;
    } catch {
      // Unreadable: replaced below.
    }
  }
  const keyPem = await newKeyPem();
  await ensureTlsDir(dataDir);
  await writeAtomically({ dataDir, file }, keyPem, 0o600);
  return keyPem;
}
