import type { SaltLength } from './algorithms.js';
import { forgeVerifier } from './forgeVerifier.js';
import type { RegisteredKey } from './keyRegistry.js';
import { nativeVerifier } from './nativeVerifier.js';

/** One RSASSA-PSS (SHA-256, MGF1-SHA-256) implementation. */
export interface SignatureVerifier {
  readonly name: 'native' | 'forge';
  /** True only for a valid signature of `message` (UTF-8); false, never a throw, for anything else. */
  verify(key: RegisteredKey, message: string, signatureBase64: string, saltLength: SaltLength): boolean;
}

/** The verifier named in the config (`--verifier native|forge`). */
export function createVerifier(name: 'native' | 'forge'): SignatureVerifier {
  switch (name) {
    case 'native':
      return nativeVerifier;
    case 'forge':
      return forgeVerifier;
  }
}
