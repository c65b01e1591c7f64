import { forgeVerifier } from './forgeVerifier.js';
import { nativeVerifier } from './nativeVerifier.js';
import type { SignatureVerifier } from './verifier.js';

/** The verifier named in the config (`--verifier native|forge`). */
export function createVerifier(name: 'native' | 'forge'): SignatureVerifier {
  switch (name) {
    case 'native':
      return nativeVerifier;
    case 'forge':
      return forgeVerifier;
  }
}
