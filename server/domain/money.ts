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
  const m = text === null ? null : /^(\d{1,12})(?:\.(\d+))?$/.exec(text);
  if (!m || (m[2] !== undefined && m[2].replace(/0+$/, '').length > digits)) {
    throw apiError('InvalidParameterValue', `The value '${echo(amount)}' provided for '${field}' is invalid. Use a positive decimal with at most ${digits} decimal places for ${currency}.`);
  }
  const fraction = (m[2] ?? '').padEnd(digits, '0').slice(0, digits);
  return Number(m[1]) * 10 ** digits + (digits ? Number(fraction) : 0);
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
