import type Forge from 'node-forge';
import { nodeForge } from '../nodeForge.js';
import type { SaltLength } from './algorithms.js';
import type { RegisteredKey } from './keyRegistry.js';
import { decodeSignature } from './decodeSignature.js';
import type { SignatureVerifier, SignedMessage } from './verifier.js';

interface PssScheme {
  verify(digest: string, encoded: string, modulusBits: number): boolean;
}

// One scheme per salt length, built once. Safe to share: verification is synchronous and the
// scheme restarts its digests on every call.
const schemes = new Map<SaltLength, PssScheme>();

function pssScheme(saltLength: SaltLength): PssScheme {
  let scheme = schemes.get(saltLength);
  if (!scheme) {
    const forge = nodeForge();
    const pss = forge.pss.create({ md: forge.md.sha256.create(), mgf: forge.mgf.mgf1.create(forge.md.sha256.create()), saltLength }) as PssScheme;
    scheme = {
      // forge hands over the whole k-byte block and keeps its last emLen = ceil((modBits - 1) / 8)
      // bytes without looking at the rest. With a modulus of 8k+1 bits that drops one byte, which
      // must be zero (RFC 8017 8.1.2 step 2c: the integer must fit in emLen bytes; OpenSSL checks it).
      verify(digest, encoded, modulusBits) {
        const above = encoded.length - Math.ceil((modulusBits - 1) / 8);
        for (let i = 0; i < above; i++) if (encoded.charCodeAt(i) !== 0) return false;
        return pss.verify(digest, encoded, modulusBits);
      },
    };
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
