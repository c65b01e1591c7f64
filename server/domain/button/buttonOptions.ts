import { apiError } from '../errors.js';
import type { Environment, Region } from '../types.js';

/**
 * The renderButton options the mock acts on, as documented in Amazon's "Amazon Pay script"
 * reference: which product, which ledger (and so which region), which environment.
 */

export const productTypes = ['PayAndShip', 'PayOnly', 'SignIn'] as const;
export type ButtonProductType = (typeof productTypes)[number];
export const ledgerCurrencies = ['USD', 'EUR', 'GBP', 'JPY'] as const;
export type LedgerCurrency = (typeof ledgerCurrencies)[number];
export const placements = ['Home', 'Product', 'Cart', 'Checkout', 'Other'] as const;
export const buttonColors = ['Gold', 'LightGray', 'DarkGray'] as const;
export const checkoutLanguages = ['en_US', 'en_GB', 'de_DE', 'fr_FR', 'it_IT', 'es_ES', 'ja_JP'] as const;

/** The region a merchant's ledger currency belongs to (US: na, EU and UK: eu, JP: jp). */
export function regionOfLedger(currency: LedgerCurrency): Region {
  return currency === 'USD' ? 'na' : currency === 'JPY' ? 'jp' : 'eu';
}

/**
 * The environment of a button: the key id's prefix decides; an unprefixed key follows the
 * button's `sandbox` option (`optioned`), which defaults to false (live), as the reference states.
 */
export function buttonEnvironment(keyEnvironment: Environment | null, optioned: Environment): Environment {
  return keyEnvironment ?? optioned;
}

/** The product type a checkout button sends (SignIn has its own route); PayAndShip when absent. */
export function checkoutProductType(value: string | undefined): 'PayAndShip' | 'PayOnly' {
  if (value === undefined || value === '' || value === 'PayAndShip') return 'PayAndShip';
  if (value === 'PayOnly') return 'PayOnly';
  throw apiError('InvalidParameterValue', `The value '${value.slice(0, 64)}' provided for 'productType' is invalid. Use PayAndShip or PayOnly with createCheckoutSessionConfig, SignIn with signInConfig.`);
}

/** The ledger currency option, required. */
export function ledgerCurrencyOf(value: string | undefined): LedgerCurrency {
  if (value === undefined || value === '') throw apiError('MissingParameterValue', "The button option 'ledgerCurrency' is required.");
  const currency = ledgerCurrencies.find((c) => c === value);
  if (currency === undefined) {
    throw apiError('InvalidParameterValue', `The value '${value.slice(0, 64)}' provided for 'ledgerCurrency' is invalid. Allowed values: ${ledgerCurrencies.join(', ')}.`);
  }
  return currency;
}
