import { createHash, createPublicKey, type KeyObject } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type Forge from 'node-forge';
import { nodeForge } from '../nodeForge.js';
import { apiError } from '../domain/errors.js';

const PUBLIC_KEY_ID = /^[A-Za-z0-9_-]{1,64}$/;
// Below this the V2 salt (32 bytes) plus the hash does not even fit in the PSS encoding.
const MIN_MODULUS_BITS = 1024;

/** One registered public key; the parsed forms are built once and reused by the verifiers. */
export class RegisteredKey {
  /** Lower-case hex SHA-256 of the DER SubjectPublicKeyInfo, the same for every PEM form of one key. */
  readonly fingerprint: string;
  /** Signature length in bytes (the modulus size): anything else cannot verify. */
  readonly modulusBytes: number;
  #forgeKey: Forge.pki.rsa.PublicKey | undefined;

  constructor(
    readonly publicKeyId: string,
    readonly pem: string,
    readonly keyObject: KeyObject,
  ) {
    this.fingerprint = keyFingerprint(keyObject);
    this.modulusBytes = Math.ceil(keyObject.asymmetricKeyDetails!.modulusLength! / 8);
  }

  /** The node-forge form, parsed on first use (only the forge verifier needs it). */
  get forgeKey(): Forge.pki.rsa.PublicKey {
    // Re-exported as SPKI so forge reads every form node:crypto accepted (PKCS#1, SPKI, certificate).
    this.#forgeKey ??= nodeForge().pki.publicKeyFromPem(this.keyObject.export({ type: 'spki', format: 'pem' }) as string);
    return this.#forgeKey;
  }
}

/** Lower-case hex SHA-256 of a key's DER SubjectPublicKeyInfo: equal for every PEM form of one key. */
export function keyFingerprint(key: KeyObject): string {
  return createHash('sha256').update(key.export({ type: 'spki', format: 'der' })).digest('hex');
}

/** 409 PublicKeyIdInUse: `publicKeyId` (or another form of its merchant's id, `other`) already has a different key. */
export function keyInUseError(publicKeyId: string, other: { publicKeyId: string; fingerprint: string }): Error {
  const which = other.publicKeyId === publicKeyId ? `The publicKeyId '${publicKeyId}' is` : `The publicKeyId '${publicKeyId}' belongs to the same merchant as '${other.publicKeyId}', which is`;
  return apiError('PublicKeyIdInUse', `${which} already registered with a different key (fingerprint ${other.fingerprint.slice(0, 16)}…). Send "replace": true to replace it.`);
}

/** What `loadDir` did: ids registered, files skipped on purpose, files that failed. */
export interface LoadDirResult {
  loaded: string[];
  warnings: { file: string; message: string }[];
  errors: { file: string; message: string }[];
}

/** True when `id` can be a publicKeyId here (1-64 of A-Z a-z 0-9 _ -), which also makes it a safe file name. */
export function isValidPublicKeyId(id: string): boolean {
  return PUBLIC_KEY_ID.test(id);
}

/**
 * True when `id` is a key id that names a merchant: a valid publicKeyId with something left after
 * its `SANDBOX-`/`LIVE-` prefix. `SANDBOX-` alone names no one (its namespace would be empty), and
 * nothing outside the key id characters can reach the server's own namespace (`~server`).
 */
export function namesMerchant(id: string): boolean {
  return isValidPublicKeyId(id) && merchantNamespace(id) !== '';
}

/** The public keys callers sign with, by exact publicKeyId. */
export class KeyRegistry {
  readonly #keys = new Map<string, RegisteredKey>();

  /**
   * Registers a key and returns it. An id that already has a different key, or another form of
   * the same merchant's id (`X`, `SANDBOX-X`, `LIVE-X` share state) with a different key, is 409
   * PublicKeyIdInUse unless `replace` is set: otherwise anyone could take over a merchant's
   * objects by registering their own key under its id. Throws InvalidParameterValue for a bad id
   * or anything but an RSA public key.
   */
  add(publicKeyId: string, pem: string, options: { replace?: boolean } = {}): RegisteredKey {
    const key = this.prepare(publicKeyId, pem, options);
    this.#keys.set(publicKeyId, key);
    return key;
  }

  /** The checks and parsing of `add` without registering, so a caller can persist first. */
  prepare(publicKeyId: string, pem: string, options: { replace?: boolean } = {}): RegisteredKey {
    if (typeof publicKeyId !== 'string' || !namesMerchant(publicKeyId)) {
      throw apiError('InvalidParameterValue', 'The publicKeyId must be 1 to 64 characters from A-Z a-z 0-9 _ -, and more than a SANDBOX- or LIVE- prefix.');
    }
    const key = new RegisteredKey(publicKeyId, pem, parseRsaPublicKey(pem));
    if (options.replace) return key;
    const merchant = merchantNamespace(publicKeyId);
    for (const other of this.#keys.values()) {
      if (other.fingerprint === key.fingerprint || merchantNamespace(other.publicKeyId) !== merchant) continue;
      throw keyInUseError(publicKeyId, other);
    }
    return key;
  }

  /** Registers a key `prepare` returned. */
  set(key: RegisteredKey): void {
    this.#keys.set(key.publicKeyId, key);
  }

  /** The key registered under exactly this id (case-sensitive, prefix included). */
  get(publicKeyId: string): RegisteredKey | undefined {
    return this.#keys.get(publicKeyId);
  }

  has(publicKeyId: string): boolean {
    return this.#keys.has(publicKeyId);
  }

  /** Unregisters a key; false when there was none. */
  remove(publicKeyId: string): boolean {
    return this.#keys.delete(publicKeyId);
  }

  /** Every registered id with its key fingerprint, sorted by id. */
  list(): { publicKeyId: string; fingerprint: string }[] {
    return [...this.#keys.values()]
      .map((k) => ({ publicKeyId: k.publicKeyId, fingerprint: k.fingerprint }))
      .sort((a, b) => (a.publicKeyId < b.publicKeyId ? -1 : 1));
  }

  /**
   * Registers every `<publicKeyId>.pem` / `<publicKeyId>.pub.pem` in `dir`. Never throws: private
   * keys (the demo one lives next to its public key) become warnings, unusable files errors.
   */
  loadDir(dir: string): LoadDirResult {
    const result: LoadDirResult = { loaded: [], warnings: [], errors: [] };
    let names: string[];
    try {
      names = readdirSync(dir).filter((n) => n.endsWith('.pem')).sort();
    } catch (err) {
      result.errors.push({ file: dir, message: `cannot read the keys directory: ${(err as Error).message}` });
      return result;
    }
    for (const name of names) {
      const file = path.join(dir, name);
      try {
        const pem = readFileSync(file, 'utf8');
        if (isPrivateKeyPem(pem)) {
          result.warnings.push({ file, message: 'skipped: a private key (only public keys are registered)' });
          continue;
        }
        const id = name.endsWith('.pub.pem') ? name.slice(0, -'.pub.pem'.length) : name.slice(0, -'.pem'.length);
        this.add(id, pem, { replace: true });
        if (result.loaded.includes(id)) {
          result.warnings.push({ file, message: `publicKeyId ${id} is defined by two files; this one wins` });
        } else result.loaded.push(id);
      } catch (err) {
        result.errors.push({ file, message: (err as Error).message });
      }
    }
    return result;
  }
}

/** 'sandbox' / 'live' from the key id prefix, the Node SDK's test (case-insensitive, no hyphen needed); null when unprefixed. */
export function environmentFromKeyId(publicKeyId: string): 'sandbox' | 'live' | null {
  const upper = publicKeyId.toUpperCase();
  if (upper.startsWith('SANDBOX')) return 'sandbox';
  if (upper.startsWith('LIVE')) return 'live';
  return null;
}

/** The merchant a key id belongs to: the id without a `SANDBOX-` / `LIVE-` prefix, so all forms of one key share state. */
export function merchantNamespace(publicKeyId: string): string {
  return publicKeyId.replace(/^(?:sandbox|live)-/i, '');
}

function isPrivateKeyPem(pem: string): boolean {
  return /-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(pem);
}

function parseRsaPublicKey(pem: unknown): KeyObject {
  const invalid = (why: string) => apiError('InvalidParameterValue', `The publicKey is not usable: ${why}.`);
  if (typeof pem !== 'string' || !pem.includes('-----BEGIN')) throw invalid('expected an RSA public key in PEM form (-----BEGIN PUBLIC KEY-----)');
  // createPublicKey would happily derive a public key from a private one; refuse so secrets are not stored.
  if (isPrivateKeyPem(pem)) throw invalid('this is a private key; register its public key instead (openssl rsa -in key.pem -pubout)');
  let key: KeyObject;
  try {
    key = createPublicKey(pem);
  } catch {
    throw invalid('the PEM text does not parse as a public key');
  }
  if (key.asymmetricKeyType !== 'rsa') throw invalid(`expected an RSA key, got ${key.asymmetricKeyType ?? 'an unknown type'}`);
  const bits = key.asymmetricKeyDetails?.modulusLength ?? 0;
  if (bits < MIN_MODULUS_BITS) throw invalid(`the key has ${bits} bits; at least ${MIN_MODULUS_BITS} are needed`);
  return key;
}
