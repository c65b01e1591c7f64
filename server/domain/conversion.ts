import { minorDigits, price } from './money.js';
import type { Price } from './types.js';

/**
 * Amazon's "Multi-currency integration" page: EU/UK merchants may charge buyers in another
 * supported currency; Amazon reports the amount in the ledger currency as the Charge's
 * convertedAmount and conversionRate. The mock uses a fixed table (never live rates): each
 * entry is `<CURRENCY>=<rate>`, the ledger-currency value of one unit of CURRENCY.
 */
export const DEFAULT_CONVERSION_RATES: readonly string[] = [
  'USD=0.92', 'GBP=1.17', 'CHF=1.05', 'DKK=0.134', 'SEK=0.087', 'NOK=0.086',
  'AUD=0.61', 'HKD=0.118', 'JPY=0.0062', 'NZD=0.56', 'ZAR=0.05',
];

/** Parsed rate table: currency → rate as a decimal string with at most 8 fraction digits. */
export type ConversionRates = ReadonlyMap<string, string>;

const entryPattern = /^([A-Z]{3})=(\d{1,6}(?:\.\d{1,8})?)$/;

/** Parses `CUR=rate` entries; throws an Error naming the first bad entry. */
export function parseConversionRates(entries: readonly string[]): ConversionRates {
  const rates = new Map<string, string>();
  for (const entry of entries) {
    const m = entryPattern.exec(entry.trim());
    if (!m || Number(m[2]) <= 0) throw new Error(`bad conversion rate "${entry}": expected CUR=rate, e.g. USD=0.92 (a positive decimal, at most 8 decimals)`);
    if (rates.has(m[1]!)) throw new Error(`conversion rate for ${m[1]} given twice`);
    rates.set(m[1]!, m[2]!);
  }
  return rates;
}

/**
 * The ledger-currency equivalent of `amount`: null when it already is in the ledger currency or
 * the table has no rate for it. Rounded half up to the ledger currency's minor unit, computed
 * exactly on integers.
 */
export function convertToLedger(amount: Price, ledger: string, rates: ConversionRates): { convertedAmount: Price; conversionRate: string } | null {
  if (amount.currencyCode === ledger) return null;
  const rate = rates.get(amount.currencyCode);
  if (rate === undefined) return null;
  const [whole, fraction = ''] = rate.split('.');
  const rateScaled = BigInt(whole! + fraction);
  const fromDigits = minorDigits(amount.currencyCode);
  const [aw, af = ''] = amount.amount.split('.');
  const amountMinor = BigInt(aw! + af.padEnd(fromDigits, '0').slice(0, fromDigits));
  const numerator = amountMinor * rateScaled * 10n ** BigInt(minorDigits(ledger));
  const denominator = 10n ** BigInt(fromDigits + fraction.length);
  const convertedMinor = (numerator * 2n + denominator) / (denominator * 2n);
  return { convertedAmount: price(Number(convertedMinor), ledger), conversionRate: rate };
}
