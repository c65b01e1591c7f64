import { SERVER_NAMESPACE } from '../store/serverState.js';
import type { KeptRecords, Store } from '../store/store.js';
import { adoptSigningKey, signingIdentity } from './signingIdentity.js';

/** The record under the server namespace holding the IPN signing key on a shared store. */
const KEY_ID = 'ipnSigningKey';

/**
 * On a store shared by several processes, all of them sign IPN envelopes with one key, so a
 * receiver that fetches SigningCertURL through a load balancer gets a certificate for the key that
 * signed, whichever instance answers. The first process stores its key; the others adopt it.
 */
export async function shareSigningKey(store: Store): Promise<void> {
  const stored = await store.read<{ keyPem: string }>(SERVER_NAMESPACE, 'settings', KEY_ID);
  if (stored) return adoptSigningKey(stored.keyPem);
  const own = (await signingIdentity()).privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
  const kept = await store.transact(SERVER_NAMESPACE, (view) => {
    const first = view.get<{ keyPem: string }>('settings', KEY_ID);
    return first ? { puts: [], result: first.keyPem } : { puts: [{ collection: 'settings', id: KEY_ID, value: { keyPem: own } }], result: own };
  });
  if (kept !== own) adoptSigningKey(kept);
}

/**
 * The record a full reset keeps (see resetRoutes): the running processes keep signing with the
 * shared key, and one started after the reset must adopt it rather than store a key of its own.
 */
export const sharedSigningKeyRecord: KeptRecords = { ns: SERVER_NAMESPACE, collection: 'settings', id: KEY_ID };
