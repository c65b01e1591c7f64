import { describe, expect, it } from 'vitest';
import { AmazonPayError } from '../../server/domain/errors.js';
import { formatMinor, samePrice, toMinor } from '../../server/domain/money.js';

describe('money', () => {
  it.each([
    ['50', 'USD', 5000],
    [50, 'USD', 5000],
    ['50.5', 'USD', 5050],
    [12.34, 'USD', 1234],
    ['0.00', 'EUR', 0],
    ['1.10', 'GBP', 110],
    ['500', 'JPY', 500],
    ['500.0', 'JPY', 500],
  ])('reads %j %s as %i minor units', (amount, currency, minor) => {
    expect(toMinor(amount, currency, 'a')).toBe(minor);
  });

  it.each([['1.001', 'USD'], ['5.5', 'JPY'], ['-1', 'USD'], ['1e3', 'USD'], ['', 'USD'], [true, 'USD'], [Number.NaN, 'USD']])('rejects %j in %s', (amount, currency) => {
    expect(() => toMinor(amount, currency, 'chargeAmount.amount')).toThrow(AmazonPayError);
  });

  it('formats in the currency\'s minor units', () => {
    expect(formatMinor(1500, 'USD')).toBe('15.00');
    expect(formatMinor(140, 'EUR')).toBe('1.40');
    expect(formatMinor(0, 'USD')).toBe('0.00');
    expect(formatMinor(500, 'JPY')).toBe('500');
  });

  it('compares prices numerically and by currency', () => {
    expect(samePrice({ amount: '50', currencyCode: 'USD' }, { amount: '50.00', currencyCode: 'USD' })).toBe(true);
    expect(samePrice({ amount: '50', currencyCode: 'USD' }, { amount: '50', currencyCode: 'EUR' })).toBe(false);
  });
});
