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
  /** True only for a valid signature of the message; false, never a throw, for anything else. */
  verify(key: RegisteredKey, signed: SignedMessage): boolean;
}
