import { apiError } from './errors.js';
import { ledgerCurrency, price, toMinor } from './money.js';
import type { Price, Region } from './types.js';
import type { PriceInput } from './validation.js';

/** A validated request Price (amount as string or number) in Amazon's normalised form. */
export function normalizePrice(raw: PriceInput, field: string): Price {
  return price(toMinor(raw.amount, raw.currencyCode, `${field}.amount`), raw.currencyCode);
}

export function normalizeOptionalPrice(raw: PriceInput | null | undefined, field: string): Price | null {
  return raw === null || raw === undefined ? null : normalizePrice(raw, field);
}

/**
 * NA and JP merchants transact in their ledger currency only; EU/UK merchants may present any
 * supported currency ("Multi-currency integration").
 */
export function assertCurrencyAllowed(region: Region, currency: string, field: string): void {
  if (region === 'eu') return;
  const ledger = ledgerCurrency(region);
  if (currency !== ledger) {
    throw apiError('CurrencyMismatch', `The currency '${currency}' provided for '${field}' is not supported for this merchant; use ${ledger}.`);
  }
}
