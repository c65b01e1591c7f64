import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../server/config.js';

describe('conversionRates option', () => {
  it('defaults to the documented table and takes CUR=rate lists from the environment and flags', () => {
    expect(loadConfig().conversionRates).toContain('USD=0.92');
    expect(loadConfig([], { AMAZON_PAY_MOCK_CONVERSION_RATES: 'USD=0.5, CHF=1' }).conversionRates).toEqual(['USD=0.5', 'CHF=1']);
    expect(loadConfig(['--conversion-rates', 'GBP=1.2']).conversionRates).toEqual(['GBP=1.2']);
  });

  it('stops the start with a ConfigError naming a bad entry', () => {
    expect(() => loadConfig(['--conversion-rates', 'USD=abc'])).toThrow(ConfigError);
    expect(() => loadConfig(['--conversion-rates', 'USD=abc'])).toThrow(/conversionRates: .*USD=abc/);
  });
});
