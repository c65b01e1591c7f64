import type Forge from 'node-forge';
import { nodeForge } from '../nodeForge.js';
import type { SaltLength } from './algorithms.js';
import type { RegisteredKey } from './keyRegistry.js';
import { decodeSignature } from './decodeSignature.js';
import type { SignatureVerifier, SignedMessage } from './verifier.js';

// One scheme per salt length, built once. Safe to share: verification is synchronous and the
// scheme restarts its digests on every call.
const schemes = new Map<SaltLength, unknown>();

function pssScheme(saltLength: SaltLength): unknown {
  let scheme = schemes.get(saltLength);
  if (!scheme) {
    const forge = nodeForge();
    scheme = forge.pss.create({ md: forge.md.sha256.create(), mgf: forge.mgf.mgf1.create(forge.md.sha256.create()), saltLength });
    schemes.set(saltLength, scheme);
  }
  return scheme;
}

/** RSASSA-PSS in pure JavaScript with node-forge, for comparison with the native verifier. */
export const forgeVerifier: SignatureVerifier = {
  name: 'forge',
  async verify(key: RegisteredKey, { message, signatureBase64, saltLength }: SignedMessage): Promise<boolean> {
    const signature = decodeSignature(signatureBase64, key.modulusBytes);
    if (!signature) return false;
    try {
      const digest = nodeForge().md.sha256.create().update(message, 'utf8').digest().getBytes();
      return key.forgeKey.verify(digest, signature.toString('binary'), pssScheme(saltLength));
    } catch {
      // forge throws instead of returning false for a bad encoding (wrong salt, no 0xBC trailer, ...).
      return false;
    }
  },
};
