import { createPublicKey } from 'node:crypto';
import { keyFingerprint, keyInUseError, merchantNamespace, type KeyRegistry, type RegisteredKey } from '../signing/keyRegistry.js';
import type { KeptRecords, Store } from '../store/store.js';
import { SERVER_NAMESPACE } from '../store/serverState.js';

/** A public key registered through the control API, as the store keeps it. */
export interface StoredKey {
  publicKeyId: string;
  pem: string;
}

/**
 * Saves a key registered at run time; resolves once it is durable, with false when the store held
 * it already (nothing written). Unless `replace`, a different key the store holds for the merchant
 * (under this id or another form of it) is 409 PublicKeyIdInUse: with several instances on one
 * store, another one may have registered it, and this process's registry has not seen it yet.
 * `knownHere`: this process has the key already (from a keys directory), so it need not be stored.
 */
export function saveKey(store: Store, key: RegisteredKey, options: { replace?: boolean; knownHere?: boolean } = {}): Promise<boolean> {
  const value: StoredKey = { publicKeyId: key.publicKeyId, pem: key.pem };
  const merchant = merchantNamespace(key.publicKeyId);
  return store.transact(SERVER_NAMESPACE, (view) => {
    let storedHere = false;
    for (const stored of view.list<StoredKey>('publicKeys')) {
      if (merchantNamespace(stored.publicKeyId) !== merchant) continue;
      const same = stored.pem === key.pem || fingerprintOf(stored.pem) === key.fingerprint;
      if (same && stored.publicKeyId === key.publicKeyId) storedHere = true;
      else if (!same && !options.replace) throw keyInUseError(key.publicKeyId, { publicKeyId: stored.publicKeyId, fingerprint: fingerprintOf(stored.pem) });
    }
    const unchanged = storedHere || (options.knownHere === true && view.get<StoredKey>('publicKeys', key.publicKeyId) === undefined);
    return { puts: unchanged ? [] : [{ collection: 'publicKeys', id: key.publicKeyId, value }], result: !unchanged };
  });
}

/** The fingerprint of a stored PEM; one the store holds was checked when it was registered. */
function fingerprintOf(pem: string): string {
  try {
    return keyFingerprint(createPublicKey(pem));
  } catch {
    return '';
  }
}

/** Registers again every key saved before a restart (they win over key files: they were registered later). */
export async function restoreKeys(store: Store, keys: KeyRegistry): Promise<string[]> {
  const problems: string[] = [];
  for (const stored of await store.readAll<StoredKey>(SERVER_NAMESPACE, 'publicKeys')) {
    const problem = adoptKey(keys, stored);
    if (problem !== null) problems.push(problem);
  }
  return problems;
}

/** Registers a stored key unless it is registered already with the same PEM; what is wrong with it, or null. */
export function adoptKey(keys: KeyRegistry, stored: StoredKey): string | null {
  if (keys.get(stored.publicKeyId)?.pem === stored.pem) return null;
  try {
    keys.add(stored.publicKeyId, stored.pem, { replace: true });
    return null;
  } catch (err) {
    return `stored key ${stored.publicKeyId}: ${(err as Error).message}`;
  }
}

/** The collection a full reset keeps (see resetRoutes): registered keys outlive resets. */
export const registeredKeysCollection: KeptRecords = { ns: SERVER_NAMESPACE, collection: 'publicKeys' };
