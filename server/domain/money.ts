import { echo } from './echo.js';
import { apiError } from './errors.js';
import type { Price, Region } from './types.js';

/** Presentment currencies the SDKs know (the .NET SDK's enum); anything else breaks a client. */
export const currencies = ['AUD', 'GBP', 'DKK', 'EUR', 'HKD', 'JPY', 'NZD', 'NOK', 'ZAR', 'SEK', 'CHF', 'USD'] as const;

const zeroDecimal = new Set(['JPY']);

/** Digits after the decimal point in the currency's minor unit. */
export function minorDigits(currency: string): number {
  return zeroDecimal.has(currency) ? 0 : 2;
}

/** Ledger currency of a region ("Multi-currency integration"). EU accounts may also use GBP. */
export function ledgerCurrency(region: Region): string {
  return region === 'jp' ? 'JPY' : region === 'eu' ? 'EUR' : 'USD';
}

/** Largest single transaction ("Charge"): 150,000 in USD/EUR/GBP units, 10,000,000 JPY. */
export function maxTransactionMinor(currency: string): number {
  return currency === 'JPY' ? 10_000_000 : 150_000 * 100;
}

/**
 * Parses an amount sent as a string or a JSON number into minor units. Throws
 * InvalidParameterValue naming `field` for anything that is not a non-negative decimal with at
 * most the currency's minor digits.
 */
export function toMinor(amount: unknown, currency: string, field: string): number {
  const text = typeof amount === 'number' && Number.isFinite(amount) ? String(amount) : typeof amount === 'string' ? amount.trim() : null;
  const digits = minorDigits(currency);
  const minor = text === null ? -1 : minorUnitsOf(text, digits);
  if (minor < 0) {
    throw apiError('InvalidParameterValue', `The value '${echo(amount)}' provided for '${field}' is invalid. Use a positive decimal with at most ${digits} decimal places for ${currency}.`);
  }
  return minor;
}

/**
 * `text` as minor units with `digits` decimals, or -1 unless it is 1-12 digits, optionally a point
 * and one or more digits, none of them past the `digits`-th other than zeros. Read by character
 * codes: this runs several times per completion.
 */
function minorUnitsOf(text: string, digits: number): number {
  const n = text.length;
  let i = 0;
  let whole = 0;
  for (; i < n && i <= 12; i++) {
    const c = text.charCodeAt(i) - 48;
    if (c < 0 || c > 9) break;
    whole = whole * 10 + c;
  }
  if (i === 0 || i > 12) return -1;
  const scale = 10 ** digits;
  if (i === n) return whole * scale;
  if (text.charCodeAt(i) !== 46 || i + 1 === n) return -1;
  let fraction = 0;
  let place = 0;
  for (let j = i + 1; j < n; j++) {
    const c = text.charCodeAt(j) - 48;
    if (c < 0 || c > 9) return -1;
    place++;
    if (place <= digits) fraction = fraction * 10 + c;
    else if (c !== 0) return -1;
  }
  return whole * scale + fraction * 10 ** Math.max(0, digits - place);
}

/** Formats minor units as Amazon does: "15.00", "0.00", JPY "500". */
export function formatMinor(minor: number, currency: string): string {
  const digits = minorDigits(currency);
  if (digits === 0) return String(minor);
  const sign = minor < 0 ? '-' : '';
  const abs = Math.abs(minor);
  return `${sign}${Math.floor(abs / 10 ** digits)}.${String(abs % 10 ** digits).padStart(digits, '0')}`;
}

export function price(minor: number, currency: string): Price {
  return { amount: formatMinor(minor, currency), currencyCode: currency };
}

/** Minor units of a stored (already normalised) Price. */
export function minorOf(p: Price): number {
  return toMinor(p.amount, p.currencyCode, 'amount');
}

/** True when two prices are the same amount in the same currency ("50" equals "50.00"). */
export function samePrice(a: Price, b: Price): boolean {
  return a.currencyCode === b.currencyCode && minorOf(a) === minorOf(b);
}
