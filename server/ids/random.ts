import { randomBytes } from 'node:crypto';

/** A source of random bytes; crypto in production, a seeded generator for deterministic runs. */
export type RandomBytes = (n: number) => Uint8Array;

/**
 * A small seeded generator (xoshiro128**) so that `--seed` makes every id reproducible. Not for
 * secrets: ids only need to be unique and well spread.
 */
export function seededRandom(seed: string): RandomBytes {
  return seededSource(seed).random;
}

/** A seeded source that counts the 32-bit words it drew, so a restart can continue after them. */
export interface SeededSource {
  random: RandomBytes;
  /** Words drawn so far. */
  words(): number;
  /** Draws and discards words until `words` have been drawn (never goes back). */
  skipTo(words: number): void;
  /** Called after every draw with the words drawn so far. */
  onDraw: ((words: number) => void) | null;
}

export function seededSource(seed: string): SeededSource {
  // Spread the seed string over four 32-bit words with FNV-1a variants.
  const s = new Uint32Array(4);
  for (let k = 0; k < 4; k++) {
    let h = 0x811c9dc5 ^ (k * 0x9e3779b9);
    for (let i = 0; i < seed.length; i++) h = Math.imul(h ^ seed.charCodeAt(i), 0x01000193);
    s[k] = h >>> 0 || 1;
  }
  const rotl = (x: number, k: number) => (x << k) | (x >>> (32 - k));
  let drawn = 0;
  const next = () => {
    drawn++;
    const result = Math.imul(rotl(Math.imul(s[1]!, 5), 7), 9) >>> 0;
    const t = s[1]! << 9;
    s[2]! ^= s[0]!;
    s[3]! ^= s[1]!;
    s[1]! ^= s[2]!;
    s[0]! ^= s[3]!;
    s[2]! ^= t;
    s[3] = rotl(s[3]!, 11);
    return result;
  };
  const source: SeededSource = {
    random: (n) => {
      const out = new Uint8Array(n);
      for (let i = 0; i < n; i += 4) {
        const word = next();
        for (let j = 0; j < 4 && i + j < n; j++) out[i + j] = (word >>> (8 * j)) & 0xff;
      }
      source.onDraw?.(drawn);
      return out;
    },
    words: () => drawn,
    skipTo: (words) => {
      while (drawn < words) next();
    },
    onDraw: null,
  };
  return source;
}

/**
 * Draws from a source in blocks: one call for many ids instead of one per id (crypto.randomBytes
 * per id cost 6% of a busy server's CPU).
 */
export function pooledRandom(source: RandomBytes, blockSize = 4096): RandomBytes {
  let block: Uint8Array = new Uint8Array(0);
  let offset = 0;
  return (n) => {
    if (n > blockSize) return source(n);
    if (offset + n > block.length) {
      block = source(blockSize);
      offset = 0;
    }
    const out = block.slice(offset, offset + n);
    offset += n;
    return out;
  };
}

/** The system's cryptographic randomness, drawn in blocks: the source of ids without --seed. */
export const systemRandom = (): RandomBytes => pooledRandom((n) => randomBytes(n));
