import type { SaltLength } from './algorithms.js';
import type { RegisteredKey } from './keyRegistry.js';

/** One RSASSA-PSS (SHA-256, MGF1-SHA-256) implementation; `createVerifier` picks one by name. */
export interface SignatureVerifier {
  readonly name: 'native' | 'forge';
  /** True only for a valid signature of `message` (UTF-8); false, never a throw, for anything else. */
  verify(key: RegisteredKey, message: string, signatureBase64: string, saltLength: SaltLength): boolean;
}
