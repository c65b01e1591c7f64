import { X509Certificate, createPrivateKey } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { isIP } from 'node:net';
import path from 'node:path';
import { ConfigError, type Config } from '../config.js';

/** A certificate and key given with --tls-cert/--tls-key, served as they are. */
export interface ConfiguredCertificate {
  cert: string;
  key: string;
  /** Absolute path of the certificate file. */
  file: string;
}

/** Names the default certificate always covers, before `config.tlsNames`. */
export const defaultNames: readonly string[] = ['localhost', '127.0.0.1', '::1'];

const hostnamePattern = /^(\*\.)?[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?(\.[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?)*\.?$/i;

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

/**
 * A comparable identity for a SAN: IPs in their canonical text (so `::1` equals `0:0:0:0:0:0:0:1`;
 * the URL parser writes IPv6 in RFC 5952 form), DNS names case-insensitively.
 */
export function nameId(name: string): string {
  const version = isIP(name);
  if (version === 0) return `dns:${name.toLowerCase()}`;
  if (version === 4) return `ip:${name}`;
  try {
    return `ip:${new URL(`http://[${name}]`).hostname}`;
  } catch {
    return `ip:${name.toLowerCase()}`; // a zone id (fe80::1%eth0): compared as written
  }
}

/** Reads and checks --tls-cert/--tls-key, so a wrong file is a clear start-up error, not an OpenSSL message. */
export async function loadConfiguredCertificate(config: Pick<Config, 'tlsCert' | 'tlsKey'>): Promise<ConfiguredCertificate> {
  if (config.tlsCert === null || config.tlsKey === null) throw new ConfigError('tlsCert and tlsKey go together: set both or neither');
  const cert = await readConfigured(config.tlsCert, 'tlsCert');
  const key = await readConfigured(config.tlsKey, 'tlsKey');
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
  return { cert, key, file: path.resolve(config.tlsCert) };
}

async function readConfigured(file: string, option: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (err) {
    throw new ConfigError(`${option}: cannot read ${file} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
}
