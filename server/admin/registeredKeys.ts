import type { KeyRegistry, RegisteredKey } from '../signing/keyRegistry.js';
import type { Store } from '../store/store.js';
import { SERVER_NAMESPACE } from '../store/serverState.js';

/** A public key registered through the control API, as the store keeps it. */
export interface StoredKey {
  publicKeyId: string;
  pem: string;
}

/** Saves a key registered at run time; resolves once it is durable. */
export function saveKey(store: Store, key: RegisteredKey): Promise<void> {
  const value: StoredKey = { publicKeyId: key.publicKeyId, pem: key.pem };
  return store.transact(SERVER_NAMESPACE, () => ({ puts: [{ collection: 'publicKeys', id: key.publicKeyId, value }], result: undefined }));
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

/** The saved keys, to write back after a full reset (registered keys outlive resets). */
export function savedKeys(store: Store): Promise<StoredKey[]> {
  return store.readAll<StoredKey>(SERVER_NAMESPACE, 'publicKeys');
}

/** Writes keys back (after a full reset cleared the server namespace). */
export function resaveKeys(store: Store, stored: readonly StoredKey[]): Promise<void> {
  if (stored.length === 0) return Promise.resolve();
  return store.transact(SERVER_NAMESPACE, () => ({ puts: stored.map((value) => ({ collection: 'publicKeys' as const, id: value.publicKeyId, value })), result: undefined }));
}
