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

describe('values refused at start (ConfigError, exit 2)', () => {
  it('refuses a --public-url that is not an absolute http(s) URL, from a flag or the environment', () => {
    expect(() => loadConfig(['--public-url', 'mock.example:8443'])).toThrow(/publicUrl: "mock\.example:8443" .*https:\/\/127\.0\.0\.1:8443/);
    expect(() => loadConfig([], { AMAZON_PAY_MOCK_PUBLIC_URL: 'not a url' })).toThrow(ConfigError);
    expect(() => loadConfig(['--public-url', 'ftp://mock.example'])).toThrow(/publicUrl: .*ftp:/);
    expect(loadConfig(['--public-url', 'https://mock.example:9443/']).publicUrl).toBe('https://mock.example:9443/');
  });

  it('refuses --ipn-urls entries that POST /__admin/ipn would refuse', () => {
    expect(() => loadConfig(['--ipn-urls', 'http://127.0.0.1:9000/ipn,receiver.local/ipn'])).toThrow(/ipnUrls: "receiver\.local\/ipn" is not an absolute URL/);
    expect(() => loadConfig([], { AMAZON_PAY_MOCK_IPN_URLS: 'file:///tmp/ipn' })).toThrow(ConfigError);
    expect(loadConfig(['--ipn-urls', 'http://127.0.0.1:9000/ipn, https://shop.example/ipn']).ipnUrls).toEqual(['http://127.0.0.1:9000/ipn', 'https://shop.example/ipn']);
  });

  it('refuses an --ipn-timeout-ms a Node timer cannot hold (it would fire after 1 ms) or 0 (every attempt aborted at once)', () => {
    expect(() => loadConfig(['--ipn-timeout-ms', '2147483648'])).toThrow(/ipnTimeoutMs: 2147483648 is out of range/);
    expect(() => loadConfig(['--ipn-timeout-ms', '0'])).toThrow(ConfigError);
    expect(loadConfig(['--ipn-timeout-ms', '2147483647']).ipnTimeoutMs).toBe(2147483647);
  });
});
