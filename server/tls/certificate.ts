import { X509Certificate, createPrivateKey, generateKeyPair as generateKeyPairCb, randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { isIP } from 'node:net';
import path from 'node:path';
import { promisify } from 'node:util';
import type Forge from 'node-forge';
import { nodeForge } from '../nodeForge.js';
import { selfSignedCertificate } from './selfSignedCertificate.js';
import { ConfigError, type Config } from '../config.js';

const generateKeyPair = promisify(generateKeyPairCb);

/** The certificate HTTPS serves, and where it came from. */
export interface TlsCertificate {
  cert: string;
  key: string;
  /** `configured`: --tls-cert/--tls-key; `reused`: found in <dataDir>/tls; `generated`: written there now. */
  source: 'generated' | 'reused' | 'configured';
  /** Path of the certificate file. */
  file?: string;
  /** subjectAltName entries of a generated or reused certificate. */
  names?: string[];
  /** Why a certificate found in <dataDir>/tls was replaced by a generated one. */
  replaced?: string;
}

/** Names every generated certificate covers, before `config.tlsNames`. */
export const defaultNames: readonly string[] = ['localhost', '127.0.0.1', '::1'];

/** Apple and browsers refuse server certificates valid for longer than 825 days. */
export const validityDays = 825;

/** A stored certificate this close to expiry is replaced rather than reused. */
const renewMarginMs = 24 * 60 * 60 * 1000;

const hostnamePattern = /^(\*\.)?[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?(\.[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?)*\.?$/i;

// Present in node-forge's util but missing from @types/node-forge.
const bytesFromIP = (ip: string): string | null => (nodeForge().util as unknown as { bytesFromIP(ip: string): string | null }).bytesFromIP(ip);

type AltName = { type: 2; value: string } | { type: 7; ip: string };

/** Default names plus `config.tlsNames`, normalised (IPv6 brackets dropped, DNS lower-cased) and deduplicated. */
export function certificateNames(config: Pick<Config, 'tlsNames'>): string[] {
  const names: string[] = [];
  const seen = new Set<string>();
  for (const raw of [...defaultNames, ...config.tlsNames]) {
    const name = raw.trim().replace(/^\[(.*)\]$/, '$1');
    if (isIP(name) === 0 && !hostnamePattern.test(name)) throw new ConfigError(`tlsNames: ${JSON.stringify(raw)} is neither an IP address nor a DNS name`);
    const id = nameId(name);
    if (seen.has(id)) continue;
    seen.add(id);
    names.push(isIP(name) ? name : name.toLowerCase());
  }
  return names;
}

/** A comparable identity for a SAN: IPs by their bytes (so `::1` equals `0:0:0:0:0:0:0:1`), DNS names case-insensitively. */
function nameId(name: string): string {
  return isIP(name) ? `ip:${nodeForge().util.bytesToHex(bytesFromIP(name) ?? name)}` : `dns:${name.toLowerCase()}`;
}

function altName(name: string): AltName {
  return isIP(name) ? { type: 7, ip: name } : { type: 2, value: name };
}

/** Builds and signs a self-signed RSA-2048 / SHA-256 server certificate for `names` with node-forge. */
export async function generateCertificate(names: readonly string[], now: Date = new Date()): Promise<{ cert: string; key: string }> {
  // node:crypto generates the key off the main thread in ~100 ms; forge's pure-JS keygen takes seconds.
  const { privateKey: keyPem } = await generateKeyPair('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
  const cert = selfSignedCertificate({
    keyPem,
    commonName: 'amazon-pay-mock',
    organizationName: 'amazon-pay-mock (local test double)',
    validityDays,
    now,
    extensions: [
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
      { name: 'extKeyUsage', serverAuth: true },
      { name: 'subjectAltName', altNames: names.map(altName) },
    ],
  });
  return { cert, key: keyPem };
}

/**
 * Why a stored certificate cannot be served for `names` at `now`, or null when it can:
 * it must parse, match its key, cover every name and stay valid for at least another day.
 */
export function reuseProblem(certPem: string, keyPem: string, names: readonly string[], now: Date = new Date()): string | null {
  let cert: Forge.pki.Certificate;
  let key: Forge.pki.rsa.PrivateKey;
  try {
    cert = nodeForge().pki.certificateFromPem(certPem);
    key = nodeForge().pki.privateKeyFromPem(keyPem) as Forge.pki.rsa.PrivateKey;
  } catch (err) {
    return `unreadable (${(err as Error).message})`;
  }
  const publicKey = cert.publicKey as Forge.pki.rsa.PublicKey;
  if (!publicKey.n || publicKey.n.compareTo(key.n) !== 0) return 'the key does not belong to the certificate';
  if (cert.validity.notBefore.getTime() > now.getTime()) return 'not valid yet';
  if (cert.validity.notAfter.getTime() - renewMarginMs <= now.getTime()) return `expires ${cert.validity.notAfter.toISOString()}`;
  const covered = new Set(certificateSans(cert).map(nameId));
  const missing = names.filter((n) => !covered.has(nameId(n)));
  if (missing.length > 0) return `does not cover ${missing.join(', ')}`;
  return null;
}

function certificateSans(cert: Forge.pki.Certificate): string[] {
  const ext = cert.getExtension('subjectAltName') as { altNames?: Array<{ type: number; value?: string; ip?: string }> } | null;
  const out: string[] = [];
  for (const alt of ext?.altNames ?? []) {
    if (alt.type === 7 && alt.ip) out.push(alt.ip);
    else if (alt.type === 2 && alt.value) out.push(alt.value);
  }
  return out;
}

/** Where the generated certificate and key live. */
export function certificatePaths(config: Pick<Config, 'dataDir'>): { dir: string; cert: string; key: string } {
  const dir = path.join(config.dataDir, 'tls');
  return { dir, cert: path.join(dir, 'cert.pem'), key: path.join(dir, 'key.pem') };
}

/**
 * The certificate HTTPS serves: the configured `tlsCert`/`tlsKey` files when set; otherwise
 * `<dataDir>/tls/{cert,key}.pem` when they still fit the configured names and are not expiring;
 * otherwise a new one written there (key file mode 0600).
 */
export async function loadOrCreateCertificate(config: Config, now: Date = new Date()): Promise<TlsCertificate> {
  if (config.tlsCert !== null || config.tlsKey !== null) return loadConfigured(config);
  const names = certificateNames(config);
  const paths = certificatePaths(config);
  const stored = await readPair(paths.cert, paths.key);
  const problem = stored ? reuseProblem(stored.cert, stored.key, names, now) : null;
  if (stored && problem === null) {
    const sans = certificateSans(nodeForge().pki.certificateFromPem(stored.cert));
    return { ...stored, source: 'reused', file: paths.cert, names: sans };
  }
  const fresh = await generateCertificate(names, now);
  await mkdir(config.dataDir, { recursive: true });
  await mkdir(paths.dir, { recursive: true, mode: 0o700 });
  // Key first: a crash between the two renames leaves a pair that reuseProblem rejects, never a silent mismatch.
  await writeAtomically(paths.key, fresh.key, 0o600);
  await writeAtomically(paths.cert, fresh.cert, 0o644);
  return { ...fresh, source: 'generated', file: paths.cert, names, ...(problem === null ? {} : { replaced: problem }) };
}

async function loadConfigured(config: Config): Promise<TlsCertificate> {
  if (config.tlsCert === null || config.tlsKey === null) throw new ConfigError('tlsCert and tlsKey go together: set both or neither');
  const cert = await readConfigured(config.tlsCert, 'tlsCert');
  const key = await readConfigured(config.tlsKey, 'tlsKey');
  // Checked here so a wrong file is a clear start-up error, not an OpenSSL message from https.createServer.
  let x509: X509Certificate;
  try {
    x509 = new X509Certificate(cert);
  } catch (err) {
    throw new ConfigError(`tlsCert ${config.tlsCert}: not a PEM certificate (${(err as Error).message})`);
  }
  let keyObject;
  try {
    keyObject = createPrivateKey(key);
  } catch (err) {
    throw new ConfigError(`tlsKey ${config.tlsKey}: not a PEM private key (${(err as Error).message})`);
  }
  if (!x509.checkPrivateKey(keyObject)) throw new ConfigError(`tlsKey ${config.tlsKey} does not belong to tlsCert ${config.tlsCert}`);
  return { cert, key, source: 'configured', file: path.resolve(config.tlsCert) };
}

async function readConfigured(file: string, option: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (err) {
    throw new ConfigError(`${option}: cannot read ${file} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
}

async function readPair(certFile: string, keyFile: string): Promise<{ cert: string; key: string } | null> {
  try {
    return { cert: await readFile(certFile, 'utf8'), key: await readFile(keyFile, 'utf8') };
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
}

/** Writes through a fresh temp file (created with `mode`) and renames it over `file`. */
async function writeAtomically(file: string, text: string, mode: number): Promise<void> {
  const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    await writeFile(tmp, text, { mode, flag: 'wx' });
    await rename(tmp, file);
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
}
