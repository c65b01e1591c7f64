import { constants, verify } from 'node:crypto';
import type { RegisteredKey } from './keyRegistry.js';
import { decodeSignature } from './decodeSignature.js';
import type { SignatureVerifier, SignedMessage } from './verifier.js';

/**
 * RSASSA-PSS with node:crypto (OpenSSL): about 30x faster than forge, the default. The callback
 * form of `verify` runs in libuv's thread pool, so the 20-50 µs of RSA per request are spent off
 * the event loop.
 */
export const nativeVerifier: SignatureVerifier = {
  name: 'native',
  verify(key: RegisteredKey, { message, signatureBase64, saltLength }: SignedMessage): Promise<boolean> {
    const signature = decodeSignature(signatureBase64, key.modulusBytes);
    if (!signature) return Promise.resolve(false);
    return new Promise((resolve) => {
      try {
        // The cached KeyObject: passing PEM text would re-parse the key on every request.
        const options = { key: key.keyObject, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength };
        verify('sha256', Buffer.from(message, 'utf8'), options, signature, (err, valid) => resolve(!err && valid));
      } catch {
        resolve(false); // e.g. a signature numerically larger than the modulus
      }
    });
  },
};
