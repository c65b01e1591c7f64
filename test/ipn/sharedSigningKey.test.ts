import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { shareSigningKey } from '../../server/ipn/sharedSigningKey.js';
import { signingIdentity } from '../../server/ipn/signingIdentity.js';
import { createStore } from '../../server/store/createStore.js';
import { SERVER_NAMESPACE } from '../../server/store/serverState.js';

const pemOf = async () => (await signingIdentity()).privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;

describe('one IPN signing key for every process sharing a store', () => {
  it('stores this process\'s key when the store has none', async () => {
    const store = createStore('memory');
    await shareSigningKey(store);
    expect(await store.read(SERVER_NAMESPACE, 'settings', 'ipnSigningKey')).toEqual({ keyPem: await pemOf() });
  });

  it('signs with the key another process stored, and serves a certificate for it', async () => {
    const store = createStore('memory');
    const keyPem = generateKeyPairSync('rsa', { modulusLength: 2048, privateKeyEncoding: { type: 'pkcs8', format: 'pem' }, publicKeyEncoding: { type: 'spki', format: 'pem' } }).privateKey;
    await store.transact(SERVER_NAMESPACE, () => ({ puts: [{ collection: 'settings', id: 'ipnSigningKey', value: { keyPem } }], result: null }));
    await shareSigningKey(store);
    expect(await pemOf()).toBe(keyPem);
    const { X509Certificate, createPrivateKey, createPublicKey } = await import('node:crypto');
    const certKey = new X509Certificate((await signingIdentity()).certPem).publicKey.export({ type: 'spki', format: 'pem' });
    expect(certKey).toBe(createPublicKey(createPrivateKey(keyPem)).export({ type: 'spki', format: 'pem' }));
  });
});
