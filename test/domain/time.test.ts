import { describe, expect, it } from 'vitest';
import { formatTimestamp, parseTimestamp } from '../../server/domain/time.js';

/** The straightforward definitions the hand-written ones must agree with. */
const formatViaIso = (ms: number) => new Date(ms).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}Z$/, 'Z');
function parseViaRegex(text: string): number | null {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(text) ?? /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.\d{1,3})?Z$/.exec(text);
  if (!m) return null;
  const [, y, mo, d, h, mi, s] = m.map(Number);
  const ms = Date.UTC(y!, mo! - 1, d!, h!, mi!, s!);
  const back = new Date(ms);
  if (back.getUTCMonth() !== mo! - 1 || back.getUTCDate() !== d! || h! > 23 || mi! > 59 || s! > 59) return null;
  return ms;
}

/** A small seeded generator so the sampled cases are the same on every run. */
function sampler(seed: number) {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 2 ** 32;
  };
}

const YEAR_0 = -62_167_219_200_000;
const YEAR_10000 = 253_402_300_800_000;

describe('timestamps', () => {
  it('formats as YYYYMMDDTHHMMSSZ', () => {
    expect(formatTimestamp(Date.UTC(2019, 9, 15, 20, 43, 13))).toBe('20191015T204313Z');
  });

  it.each([
    ['the epoch', 0],
    ['just before the epoch', -1],
    ['fractions of a millisecond either side of the epoch', -0.5],
    ['a positive fraction', 999.9],
    ['a negative fraction', -999.9],
    ['a whole second before the epoch', -1000],
    ['29 February 2000', Date.UTC(2000, 1, 29, 23, 59, 59, 999)],
    ['1 March 1900 (no leap day)', Date.UTC(1900, 2, 1)],
    ['28 February 2100 (no leap day)', Date.UTC(2100, 1, 28, 12)],
    ['31 December 2024 (a leap year)', Date.UTC(2024, 11, 31, 23, 59, 59)],
    ['the first instant of year 0', YEAR_0],
    ['the first February of year 0', YEAR_0 + 40 * 86_400_000],
    ['the last instant of year 9999', YEAR_10000 - 1],
    ['year 10000 (six-digit ISO year)', YEAR_10000],
    ['year -1', YEAR_0 - 1],
    ['the largest valid time', 8.64e15],
    ['the smallest valid time', -8.64e15],
  ])('formats %s as toISOString does', (_name, ms) => {
    expect(formatTimestamp(ms)).toBe(formatViaIso(ms));
  });

  it('agrees with toISOString across years 0-9999, repeated and alternating instants included', () => {
    const random = sampler(8);
    const cases: number[] = [];
    for (let i = 0; i < 20_000; i++) cases.push(YEAR_0 + random() * (YEAR_10000 - YEAR_0));
    const now = Date.UTC(2026, 10, 29, 18, 0, 0, 123);
    cases.push(now, now + 400, now, now + 180 * 86_400_000, now, now + 1000, now + 999, now);
    expect(cases.map(formatTimestamp)).toEqual(cases.map(formatViaIso));
  });

  it('throws the RangeError toISOString throws for an invalid time', () => {
    for (const ms of [Number.NaN, Infinity, 8.64e15 + 1]) expect(() => formatTimestamp(ms)).toThrow(RangeError);
  });

  it('parses both SDK date forms', () => {
    const ms = Date.UTC(2024, 0, 1);
    expect(parseTimestamp('20240101T000000Z')).toBe(ms);
    expect(parseTimestamp('2024-01-01T00:00:00Z')).toBe(ms);
    expect(parseTimestamp('2024-01-01T00:00:00.5Z')).toBe(ms);
    expect(parseTimestamp('2024-01-01T00:00:00.123Z')).toBe(ms);
  });

  it.each([
    '20240231T000000Z',
    '2024-01-01 00:00:00',
    '20240101T250000Z',
    'yesterday',
    '20240101T000000z',
    '20240101T000000Z\n',
    '2024-01-01T00:00:00.Z',
    '2024-01-01T00:00:00.1234Z',
    '2024-01-01T00:00:00.12aZ',
    '2024-13-01T00:00:00Z',
    '2024-00-10T00:00:00Z',
    '20240100T000000Z',
    '20230229T000000Z',
    '00000229T000000Z',
    '20240101T006000Z',
    '20240101T000060Z',
    '2024-01-01T00:00:00+00:00',
    '２０２４0101T000000Z',
    '',
  ])('rejects %j', (text) => {
    expect(parseTimestamp(text)).toBeNull();
  });

  it('accepts and rejects exactly what the regular-expression definition does', () => {
    const random = sampler(14);
    const pick = (s: string) => s[Math.floor(random() * s.length)]!;
    const cases: string[] = ['20000229T120000Z', '19000228T000000Z', '00960229T000000Z', '99991231T235959Z', '2400-02-29T00:00:00Z'];
    for (let i = 0; i < 20_000; i++) {
      const y = String(Math.floor(random() * 10_000)).padStart(4, '0');
      const two = (max: number) => String(Math.floor(random() * max)).padStart(2, '0');
      const [mo, d, h, mi, s] = [two(14), two(33), two(26), two(62), two(62)];
      const fraction = ['', '.1', '.12', '.123'][Math.floor(random() * 4)]!;
      let text = random() < 0.5 ? `${y}${mo}${d}T${h}${mi}${s}Z` : `${y}-${mo}-${d}T${h}:${mi}:${s}${fraction}Z`;
      if (random() < 0.2) {
        const at = Math.floor(random() * text.length);
        text = text.slice(0, at) + pick('0123456789-:.TZx ') + text.slice(at + (random() < 0.5 ? 1 : 0));
      }
      cases.push(text);
    }
    expect(cases.map(parseTimestamp)).toEqual(cases.map(parseViaRegex));
  });
});
