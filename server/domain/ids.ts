import type { ChargePermissionType, Environment, Region } from './types.js';

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

const hex = (bytes: Uint8Array) => Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
const regionDigit: Record<Region, string> = { na: '1', eu: '2', jp: '3' };
const alnum = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

/** The one generator of every id the emulator hands out (formats: docs/amazon-pay-notes.md, "Id formats"). */
export class IdGenerator {
  constructor(private readonly random: RandomBytes) {}

  /** Lowercase UUID v4, the form of checkoutSessionId and of request ids. */
  uuid(): string {
    const b = this.random(16);
    b[6] = (b[6]! & 0x0f) | 0x40;
    b[8] = (b[8]! & 0x3f) | 0x80;
    const h = hex(b);
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
  }

  /** `count` decimal digits. */
  digits(count: number): string {
    const b = this.random(count);
    return Array.from(b, (x) => String(x % 10)).join('');
  }

  /** `count` characters of A-Z0-9. */
  alphanumeric(count: number): string {
    const b = this.random(count);
    return Array.from(b, (x) => alnum[x % alnum.length]).join('');
  }

  /**
   * `S01-1234567-1234567`: S/P for sandbox/live one-time, C/B for sandbox/live recurring and
   * payment-method-on-file (inferred convention); digit 1/2/3 for NA/EU/JP.
   */
  chargePermissionId(region: Region, environment: Environment, type: ChargePermissionType): string {
    const oneTime = type === 'OneTime';
    const letter = environment === 'sandbox' ? (oneTime ? 'S' : 'C') : oneTime ? 'P' : 'B';
    return `${letter}0${regionDigit[region]}-${this.digits(7)}-${this.digits(7)}`;
  }

  /** A fresh `S01-…-…` base for charges that do not hang off a one-time permission id. */
  chargeBase(region: Region, environment: Environment): string {
    return `${environment === 'sandbox' ? 'S' : 'P'}0${regionDigit[region]}-${this.digits(7)}-${this.digits(7)}`;
  }

  chargeId(base: string): string {
    return `${base}-C${this.digits(6)}`;
  }

  refundId(chargeId: string): string {
    return `${chargeId.replace(/-C\d{6}$/, '')}-R${this.digits(6)}`;
  }

  buyerId(): string {
    return `amzn1.account.${this.alphanumeric(28)}`;
  }

  /** An all-digit id without a leading zero (report and schedule ids look like `59007019641`). */
  numericId(length = 11): string {
    return `${1 + (this.random(1)[0]! % 9)}${this.digits(length - 1)}`;
  }

  /** `amzn1.tortuga.0.<uuid>.<14 digits>`, the observed form of a reportDocumentId. */
  reportDocumentId(): string {
    return `amzn1.tortuga.0.${this.uuid()}.${this.digits(14)}`;
  }

  /** `<charge base>-B<6 digits>`, the form of a disputeId (the SDK READMEs' example `S01-0000000-0000000-B000000`). */
  disputeId(chargeId: string): string {
    return `${chargeId.replace(/-C\d{6}$/, '')}-B${this.digits(6)}`;
  }

  /** 32 hex characters: the secret part of a download or upload URL. */
  token(): string {
    return hex(this.random(16));
  }
}

/**
 * The same generator, noting every id it hands out in `issued`: a write whose id was issued by
 * this very operation but is already stored is a collision, never an update.
 */
export function recordingIds(ids: IdGenerator, issued: Set<string>): IdGenerator {
  const note = (id: string) => {
    issued.add(id);
    return id;
  };
  const recording = Object.create(ids) as IdGenerator;
  recording.uuid = () => note(ids.uuid());
  recording.chargePermissionId = (region, environment, type) => note(ids.chargePermissionId(region, environment, type));
  recording.chargeBase = (region, environment) => note(ids.chargeBase(region, environment));
  recording.chargeId = (base) => note(ids.chargeId(base));
  recording.refundId = (chargeId) => note(ids.refundId(chargeId));
  recording.buyerId = () => note(ids.buyerId());
  return recording;
}
