import { constants, verify, type KeyObject } from 'node:crypto';

/**
 * One RSASSA-PSS (SHA-256, MGF1-SHA-256) check with the callback form of node:crypto's `verify`,
 * which runs it in libuv's thread pool. Each call queues its own pool job, which costs the event
 * loop a mutex, a wake-up and a callback per request; the batching worker avoids that and uses
 * this only while it starts or after it failed. Any error means false.
 */
export function verifyInThreadPool(key: KeyObject, message: string, signature: Uint8Array, saltLength: number): Promise<boolean> {
  return new Promise((resolve) => {
    try {
      verify('sha256', Buffer.from(message, 'utf8'), { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength }, signature, (err, valid) => resolve(!err && valid));
    } catch {
      resolve(false); // e.g. a signature numerically larger than the modulus
    }
  });
}
