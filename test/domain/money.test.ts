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

  it('accepts and reads exactly what the regular-expression definition does', () => {
    const byRegex = (amount: unknown, currency: string): number | 'invalid' => {
      const text = typeof amount === 'number' && Number.isFinite(amount) ? String(amount) : typeof amount === 'string' ? amount.trim() : null;
      const digits = currency === 'JPY' ? 0 : 2;
      const m = text === null ? null : /^(\d{1,12})(?:\.(\d+))?$/.exec(text);
      if (!m || (m[2] !== undefined && m[2].replace(/0+$/, '').length > digits)) return 'invalid';
      return Number(m[1]) * 10 ** digits + (digits ? Number((m[2] ?? '').padEnd(digits, '0').slice(0, digits)) : 0);
    };
    const read = (amount: unknown, currency: string): number | 'invalid' => {
      try {
        return toMinor(amount, currency, 'a');
      } catch (err) {
        if (!(err instanceof AmazonPayError)) throw err;
        return 'invalid';
      }
    };
    let seed = 21;
    const random = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32);
    const cases: unknown[] = ['999999999999', '1000000000000', '999999999999.99', '0', '00', '.5', '5.', '5..0', ' 7.10 ', '7.1000000', '7.0001', '1.000000000000000000001', 0.1 + 0.2, 1e21, -0, 12.5, 1e-7, '１', null, undefined, {}];
    for (let i = 0; i < 20_000; i++) {
      const length = 1 + Math.floor(random() * 16);
      let text = '';
      for (let j = 0; j < length; j++) text += '0123456789012345678900000.. -e'[Math.floor(random() * 31)];
      cases.push(random() < 0.1 ? Number(text) : text);
    }
    for (const currency of ['USD', 'JPY']) expect(cases.map((c) => read(c, currency))).toEqual(cases.map((c) => byRegex(c, currency)));
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
