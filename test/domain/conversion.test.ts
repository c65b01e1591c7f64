import { describe, expect, it } from 'vitest';
import { convertToLedger, DEFAULT_CONVERSION_RATES, parseConversionRates } from '../../server/domain/conversion.js';
import { currencies } from '../../server/domain/money.js';

/** Amazon's "Multi-currency integration" page: convertedAmount/conversionRate report the ledger-currency value. */
const rates = parseConversionRates(['USD=0.92', 'CHF=1.05', 'JPY=0.0062', 'GBP=1.17']);

describe('multi-currency conversion to the ledger currency (Multi-currency integration)', () => {
  it('converts a presentment amount to EUR with the table rate and reports the rate', () => {
    expect(convertToLedger({ amount: '100.00', currencyCode: 'USD' }, 'EUR', rates)).toEqual({
      convertedAmount: { amount: '92.00', currencyCode: 'EUR' },
      conversionRate: '0.92',
    });
  });

  it('rounds half up to the ledger minor unit, exactly', () => {
    // 10.05 × 1.05 = 10.5525 → 10.55; 0.10 × 1.05 = 0.105 → 0.11 (binary floats would give 0.10)
    expect(convertToLedger({ amount: '10.05', currencyCode: 'CHF' }, 'EUR', rates)?.convertedAmount.amount).toBe('10.55');
    expect(convertToLedger({ amount: '0.10', currencyCode: 'CHF' }, 'EUR', rates)?.convertedAmount.amount).toBe('0.11');
  });

  it('handles a zero-decimal presentment currency (JPY 1234 × 0.0062 = 7.6508 → 7.65)', () => {
    expect(convertToLedger({ amount: '1234', currencyCode: 'JPY' }, 'EUR', rates)?.convertedAmount).toEqual({ amount: '7.65', currencyCode: 'EUR' });
  });

  it('leaves ledger-currency amounts and currencies without a rate unconverted (null)', () => {
    expect(convertToLedger({ amount: '5.00', currencyCode: 'EUR' }, 'EUR', rates)).toBeNull();
    expect(convertToLedger({ amount: '5.00', currencyCode: 'SEK' }, 'EUR', rates)).toBeNull();
  });

  it('refuses malformed, non-positive and repeated rate entries', () => {
    expect(() => parseConversionRates(['USD:0.92'])).toThrow(/USD:0.92/);
    expect(() => parseConversionRates(['USD=0'])).toThrow(/USD=0/);
    expect(() => parseConversionRates(['usd=1'])).toThrow();
    expect(() => parseConversionRates(['USD=1', 'USD=2'])).toThrow(/twice/);
  });

  it('has a default rate for every supported presentment currency except the EUR ledger itself', () => {
    const table = parseConversionRates(DEFAULT_CONVERSION_RATES);
    expect([...table.keys()].sort()).toEqual(currencies.filter((c) => c !== 'EUR').sort());
  });
});
