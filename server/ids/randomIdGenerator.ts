import type { IdGenerator } from '../domain/ids.js';
import type { ChargePermissionType, Environment, Region } from '../domain/types.js';
import type { RandomBytes } from './random.js';

/** The two lowercase hex characters of every byte value. */
const hexOfByte = Array.from({ length: 256 }, (_, b) => b.toString(16).padStart(2, '0'));
// Each character comes from one byte, modulo the alphabet's length (the distribution ids always had).
const digitOfByte = Array.from({ length: 256 }, (_, b) => String(b % 10));
const alnum = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
const alnumOfByte = Array.from({ length: 256 }, (_, b) => alnum[b % alnum.length]!);
const regionDigit: Record<Region, string> = { na: '1', eu: '2', jp: '3' };

/** The characters `table` gives bytes `from` to `to` (exclusive), built directly rather than through an array and join. */
function spell(table: readonly string[], bytes: Uint8Array, from = 0, to = bytes.length): string {
  let text = '';
  for (let i = from; i < to; i++) text += table[bytes[i]!];
  return text;
}

const hex = (bytes: Uint8Array) => spell(hexOfByte, bytes);

/** The one generator of every id the emulator hands out (formats: docs/amazon-pay-notes.md, "Id formats"), drawing on a random source. */
export class RandomIdGenerator implements IdGenerator {
  constructor(private readonly random: RandomBytes) {}

  /** Lowercase UUID v4, the form of checkoutSessionId and of request ids. */
  uuid(): string {
    const b = this.random(16);
    b[6] = (b[6]! & 0x0f) | 0x40;
    b[8] = (b[8]! & 0x3f) | 0x80;
    return `${spell(hexOfByte, b, 0, 4)}-${spell(hexOfByte, b, 4, 6)}-${spell(hexOfByte, b, 6, 8)}-${spell(hexOfByte, b, 8, 10)}-${spell(hexOfByte, b, 10, 16)}`;
  }

  /** `count` decimal digits. */
  digits(count: number): string {
    return spell(digitOfByte, this.random(count));
  }

  /** `count` characters of A-Z0-9. */
  alphanumeric(count: number): string {
    return spell(alnumOfByte, this.random(count));
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
