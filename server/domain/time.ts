const twoDigits = Array.from({ length: 100 }, (_, i) => (i < 10 ? `0${i}` : String(i)));
// Years 0000-9999, the range in which an ISO date has exactly four year digits.
const FIRST_FOUR_DIGIT_MS = -62_167_219_200_000;
const PAST_FOUR_DIGIT_MS = 253_402_300_800_000;
// One operation formats the same instant several times: keep the last second's text.
let lastSecond = NaN;
let lastText = '';

/** Amazon's wire timestamp format, `YYYYMMDDTHHMMSSZ` in UTC. */
export function formatTimestamp(ms: number): string {
  const t = Math.trunc(ms); // as new Date(ms) does
  if (!(t >= FIRST_FOUR_DIGIT_MS && t < PAST_FOUR_DIGIT_MS)) return viaIsoString(ms);
  const second = Math.floor(t / 1000);
  if (second === lastSecond) return lastText;
  // Date's UTC getters and a table of two-digit strings: no toISOString and no regex replaces.
  const d = new Date(second * 1000);
  const year = d.getUTCFullYear();
  const text = `${twoDigits[Math.floor(year / 100)]}${twoDigits[year % 100]}${twoDigits[d.getUTCMonth() + 1]}${twoDigits[d.getUTCDate()]}T${twoDigits[d.getUTCHours()]}${twoDigits[d.getUTCMinutes()]}${twoDigits[d.getUTCSeconds()]}Z`;
  lastSecond = second;
  lastText = text;
  return text;
}

/** The same format through Date#toISOString, for years outside 0000-9999 (and its RangeError for invalid times). */
function viaIsoString(ms: number): string {
  return new Date(ms).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}Z$/, 'Z');
}

/** The number written by `count` ASCII digits at `start`, or -1 if any of them is not a digit. */
function digitsAt(text: string, start: number, count: number): number {
  let n = 0;
  for (let i = start; i < start + count; i++) {
    const c = text.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return -1;
    n = n * 10 + c;
  }
  return n;
}

const T = 84;
const Z = 90;
const DASH = 45;
const COLON = 58;
const DOT = 46;

/** Where the fields of each accepted form start: year, month, day, hour, minute, second. */
const compactAt = [0, 4, 6, 9, 11, 13] as const;
const extendedAt = [0, 5, 8, 11, 14, 17] as const;

/** `YYYYMMDDTHHMMSSZ`, or `YYYY-MM-DDTHH:MM:SS` with up to three fraction digits and `Z`. */
function fieldStarts(text: string): readonly number[] | null {
  const n = text.length;
  if (n === 16) return text.charCodeAt(8) === T && text.charCodeAt(15) === Z ? compactAt : null;
  if (n < 20 || n > 24 || n === 21 || text.charCodeAt(n - 1) !== Z) return null;
  if (text.charCodeAt(4) !== DASH || text.charCodeAt(7) !== DASH || text.charCodeAt(10) !== T || text.charCodeAt(13) !== COLON || text.charCodeAt(16) !== COLON) return null;
  if (n > 20 && (text.charCodeAt(19) !== DOT || digitsAt(text, 20, n - 21) < 0)) return null;
  return extendedAt;
}

const daysInMonth = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Parses both timestamp forms the SDKs send (`20240101T000000Z`, `2024-01-01T00:00:00Z`). */
export function parseTimestamp(text: string): number | null {
  const at = fieldStarts(text);
  if (!at) return null;
  const y = digitsAt(text, at[0]!, 4);
  const mo = digitsAt(text, at[1]!, 2);
  const d = digitsAt(text, at[2]!, 2);
  const h = digitsAt(text, at[3]!, 2);
  const mi = digitsAt(text, at[4]!, 2);
  const s = digitsAt(text, at[5]!, 2);
  if (y < 0 || mo < 1 || mo > 12 || d < 1 || h < 0 || h > 23 || mi < 0 || mi > 59 || s < 0 || s > 59) return null;
  // Reject impossible dates such as 20240231 rather than letting them roll over. Date.UTC reads
  // years 0-99 as 1900-1999, so their leap years are that century's.
  const year = y <= 99 ? 1900 + y : y;
  const leap = mo === 2 && year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  if (d > daysInMonth[mo - 1]! + (leap ? 1 : 0)) return null;
  return Date.UTC(y, mo - 1, d, h, mi, s);
}

export const SECOND = 1000;
export const MINUTE = 60 * SECOND;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;
