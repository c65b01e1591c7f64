import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../server/ids/random.js';
import { RandomIdGenerator } from '../../server/ids/randomIdGenerator.js';

describe('ids', () => {
  const ids = new RandomIdGenerator(seededRandom('test'));

  it('makes lowercase UUID v4 session ids', () => {
    expect(ids.uuid()).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it.each([
    ['na', 'sandbox', 'OneTime', /^S01-\d{7}-\d{7}$/],
    ['eu', 'live', 'OneTime', /^P02-\d{7}-\d{7}$/],
    ['jp', 'sandbox', 'Recurring', /^C03-\d{7}-\d{7}$/],
    ['na', 'live', 'PaymentMethodOnFile', /^B01-\d{7}-\d{7}$/],
  ] as const)('makes %s %s %s permission ids', (region, env, type, pattern) => {
    expect(ids.chargePermissionId(region, env, type)).toMatch(pattern);
  });

  it('derives charge and refund ids from their parents', () => {
    const charge = ids.chargeId('S01-1234567-7654321');
    expect(charge).toMatch(/^S01-1234567-7654321-C\d{6}$/);
    expect(ids.refundId(charge)).toMatch(/^S01-1234567-7654321-R\d{6}$/);
    expect(ids.buyerId()).toMatch(/^amzn1\.account\.[A-Z0-9]{28}$/);
  });

  it('repeats the same ids for the same seed', () => {
    const a = new RandomIdGenerator(seededRandom('seed-1'));
    const b = new RandomIdGenerator(seededRandom('seed-1'));
    const c = new RandomIdGenerator(seededRandom('seed-2'));
    const run = (g: RandomIdGenerator) => [g.uuid(), g.chargePermissionId('na', 'sandbox', 'OneTime'), g.buyerId()];
    const first = run(a);
    expect(run(b)).toEqual(first);
    expect(run(c)).not.toEqual(first);
  });
});

describe('ids drawn from known bytes', () => {
  /** A source handing out 0, 1, 2, ... 255, 0, ... so every byte value is seen equally often. */
  const cycling = () => {
    let next = 0;
    return (n: number) => Uint8Array.from({ length: n }, () => next++ % 256);
  };
  const count = (text: string) => {
    const counts: Record<string, number> = {};
    for (const ch of text) counts[ch] = (counts[ch] ?? 0) + 1;
    return counts;
  };

  it('spells each byte as byte % 10 for digits, over exactly 0-9', () => {
    const digits = new RandomIdGenerator(cycling()).digits(256);
    expect(digits).toMatch(/^\d{256}$/);
    expect(digits.slice(0, 12)).toBe('012345678901');
    expect(digits.slice(250)).toBe('012345');
    // 256 byte values over 10 digits: 0-5 come up 26 times, 6-9 25 times (the distribution ids always had).
    expect(count(digits)).toEqual({ 0: 26, 1: 26, 2: 26, 3: 26, 4: 26, 5: 26, 6: 25, 7: 25, 8: 25, 9: 25 });
  });

  it('spells each byte as A-Z0-9 by byte % 36 for alphanumeric ids', () => {
    const text = new RandomIdGenerator(cycling()).alphanumeric(256);
    expect(text.slice(0, 38)).toBe('ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789AB');
    const counts = count(text);
    expect(Object.keys(counts)).toHaveLength(36);
    expect(counts.A).toBe(8);
    expect(counts.E).toBe(7);
    expect(counts['9']).toBe(7);
  });

  it('writes every byte of a token as two lowercase hex digits', () => {
    const ids = new RandomIdGenerator(cycling());
    const tokens = Array.from({ length: 16 }, () => ids.token()).join('');
    expect(tokens).toBe(Array.from({ length: 256 }, (_, b) => b.toString(16).padStart(2, '0')).join(''));
  });

  it('lays a UUID out 8-4-4-4-12 from its 16 bytes, with the version and variant bits set', () => {
    const ids = new RandomIdGenerator((n) => Uint8Array.from({ length: n }, (_, i) => i * 17));
    expect(ids.uuid()).toBe('00112233-4455-4677-8899-aabbccddeeff');
    expect(new RandomIdGenerator((n) => new Uint8Array(n).fill(0xff)).uuid()).toBe('ffffffff-ffff-4fff-bfff-ffffffffffff');
    expect(new RandomIdGenerator((n) => new Uint8Array(n)).uuid()).toBe('00000000-0000-4000-8000-000000000000');
  });

  it('keeps the ids a seed has always given', () => {
    const ids = new RandomIdGenerator(seededRandom('pinned'));
    expect([ids.uuid(), ids.chargePermissionId('na', 'sandbox', 'OneTime'), ids.chargeId('S01-1234567-7654321'), ids.buyerId(), ids.token(), ids.numericId()]).toEqual(PINNED);
  });
});

/** What seed 'pinned' gave before ids were spelled through lookup tables: a --seed run must repeat its old ids. */
const PINNED = [
  'c7cdeeb5-3b59-4a0a-a79f-b42caf7c10e7',
  'S01-8664052-2866041',
  'S01-1234567-7654321-C997259',
  'amzn1.account.3YJHF80I9AYJLFFMK182FQM4QQ2B',
  '46139ba3938640045730247a6c293fa7',
  '24231712553',
];
