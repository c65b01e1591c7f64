import type { SaltLength } from './algorithms.js';
import type { RegisteredKey } from './keyRegistry.js';

/** A message (UTF-8) as signed: the signature as sent (base64) and the PSS salt length it should use. */
export interface SignedMessage {
  message: string;
  signatureBase64: string;
  saltLength: SaltLength;
}

/** One RSASSA-PSS (SHA-256, MGF1-SHA-256) implementation; `createVerifier` picks one by name. */
export interface SignatureVerifier {
  readonly name: 'native' | 'forge';
  /**
   * True only for a valid signature of the message; false, never a rejection, for anything else.
   * Asynchronous so the RSA work can leave the event loop (the native verifier runs it on a worker
   * thread, which lets a second core verify while the loop answers other requests).
   */
  verify(key: RegisteredKey, signed: SignedMessage): Promise<boolean>;
}
