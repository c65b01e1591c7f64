import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { decodeSignature } from '../../server/signing/decodeSignature.js';

// The rule as a pattern, the way decodeSignature used to check it: standard alphabet, at most two
// '=' at the end, a length that is not one past a multiple of four, and exactly the modulus's bytes.
function byPattern(text: string, modulusBytes: number): Buffer | null {
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(text) || text.length % 4 === 1) return null;
  const bytes = Buffer.from(text, 'base64');
  return bytes.length === modulusBytes ? bytes : null;
}

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
// Characters a mangled header may carry: the URL-safe alphabet, padding, whitespace, non-ASCII.
const STRANGERS = ['-', '_', '=', ' ', '\t', '\n', '.', '%', 'é', '\u2026', '\0'];

/** A random small change to a base64 text. */
function mutate(text: string, pick: () => number): string {
  const at = pick() % (text.length + 1);
  const char = pick() % 2 === 0 ? ALPHABET[pick() % ALPHABET.length]! : STRANGERS[pick() % STRANGERS.length]!;
  switch (pick() % 6) {
    case 0: return text.slice(0, at) + char + text.slice(at); // insert
    case 1: return text.slice(0, at) + char + text.slice(at + 1); // replace
    case 2: return text.slice(0, at) + text.slice(at + 1); // delete
    case 3: return text.replace(/=+$/, ''); // padding dropped
    case 4: return `${text.replace(/=+$/, '')}${'='.repeat(pick() % 4)}`; // padding of any length
    default: return text.slice(0, at); // cut short
  }
}

describe('decodeSignature', () => {
  const signature = randomBytes(256); // RSA-2048, as every Amazon Pay key
  const text = signature.toString('base64');

  it('decodes the standard base64 of exactly the modulus, padded or not', () => {
    expect(decodeSignature(text, 256)).toEqual(signature);
    expect(text.endsWith('==')).toBe(true);
    expect(decodeSignature(text.slice(0, -2), 256)).toEqual(signature);
    expect(decodeSignature(text.slice(0, -1), 256)).toEqual(signature);
  });

  it('refuses the URL-safe alphabet, whitespace, padding inside or too much of it, and the wrong length', () => {
    const withBoth = Buffer.from([0xfb, 0xff, 0xbf, ...randomBytes(253)]);
    const standard = withBoth.toString('base64');
    expect(standard.startsWith('+/+/')).toBe(true);
    expect(decodeSignature(standard, 256)).toEqual(withBoth);
    expect(decodeSignature(standard.replaceAll('+', '-').replaceAll('/', '_'), 256)).toBeNull();
    expect(decodeSignature(`${text.slice(0, 100)} ${text.slice(100)}`, 256)).toBeNull();
    expect(decodeSignature(`${text.slice(0, 100)}\n${text.slice(100)}`, 256)).toBeNull();
    expect(decodeSignature(`${text.slice(0, 342)}=A`, 256)).toBeNull();
    expect(decodeSignature(`${text}=`, 256)).toBeNull();
    expect(decodeSignature(text.slice(0, 340), 256)).toBeNull();
    expect(decodeSignature(`${text.slice(0, 342)}AAAA`, 256)).toBeNull();
    expect(decodeSignature('', 256)).toBeNull();
    expect(decodeSignature('==', 256)).toBeNull();
    expect(decodeSignature(42 as unknown as string, 256)).toBeNull();
  });

  it('ignores the unused low bits of the last character, as decoders do', () => {
    // 256 bytes leave 4 unused bits in character 342; 'A' and 'P' differ only in them.
    const canonical = Buffer.from([...randomBytes(255), 0]).toString('base64');
    expect(canonical.slice(341, 342)).toBe('A');
    const loose = `${canonical.slice(0, 341)}P==`;
    expect(decodeSignature(loose, 256)).toEqual(Buffer.from(canonical, 'base64'));
  });

  it('agrees with the pattern on thousands of mangled signatures', () => {
    let seed = 12345;
    const pick = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31);
    let accepted = 0;
    for (let i = 0; i < 5_000; i++) {
      let candidate = text;
      for (let n = 1 + (pick() % 3); n > 0; n--) candidate = mutate(candidate, pick);
      const expected = byPattern(candidate, 256);
      expect(decodeSignature(candidate, 256), JSON.stringify(candidate)).toEqual(expected);
      if (expected) accepted++;
    }
    // Both outcomes were exercised, not only refusals.
    expect(accepted).toBeGreaterThan(100);
  });

  it('is stricter than the pattern only on a stray character after a whole signature (moduli divisible by 3)', () => {
    // RSA-3072: 384 bytes are 512 characters with no padding. One more character decodes to no
    // more bytes, so the pattern let it through; it is not the base64 of the signature.
    const long = randomBytes(384);
    const exact = long.toString('base64');
    expect(decodeSignature(exact, 384)).toEqual(long);
    expect(byPattern(`${exact}A=`, 384)).toEqual(long);
    expect(decodeSignature(`${exact}A=`, 384)).toBeNull();
  });
});
