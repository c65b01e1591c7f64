import { apiError } from '../errors.js';
import { ledgerCurrency } from '../money.js';
import { assertCurrencyAllowed, normalizeOptionalPrice } from '../prices.js';
import type { PaymentDetails, Region } from '../types.js';

type Raw = Record<string, unknown> | null;

/**
 * Merges requested paymentDetails onto the current ones (create starts from none). The charged
 * currency decides presentmentCurrency; asking for a different presentmentCurrency outright is an
 * error ("Multi-currency integration"; code UNCONFIRMED: InvalidParameterValue chosen).
 */
export function mergePaymentDetails(current: PaymentDetails | null, raw: Raw, region: Region): PaymentDetails {
  const base: PaymentDetails = current ?? {
    paymentIntent: null,
    canHandlePendingAuthorization: false,
    chargeAmount: null,
    totalOrderAmount: null,
    softDescriptor: null,
    presentmentCurrency: null,
    allowOvercharge: false,
    extendExpiration: false,
  };
  if (!raw) return { ...base, presentmentCurrency: base.presentmentCurrency ?? ledgerCurrency(region) };
  const chargeAmount = normalizeOptionalPrice(raw.chargeAmount, 'paymentDetails.chargeAmount') ?? base.chargeAmount;
  const totalOrderAmount = normalizeOptionalPrice(raw.totalOrderAmount, 'paymentDetails.totalOrderAmount') ?? base.totalOrderAmount;
  for (const [field, p] of [['paymentDetails.chargeAmount', chargeAmount], ['paymentDetails.totalOrderAmount', totalOrderAmount]] as const) {
    if (p) assertCurrencyAllowed(region, p.currencyCode, field);
  }
  if (chargeAmount && totalOrderAmount && chargeAmount.currencyCode !== totalOrderAmount.currencyCode) {
    throw apiError('CurrencyMismatch', 'paymentDetails.chargeAmount and paymentDetails.totalOrderAmount must use the same currency.');
  }
  const requested = (raw.presentmentCurrency as string | null) ?? null;
  const charged = chargeAmount?.currencyCode ?? null;
  if (requested && charged && requested !== charged) {
    throw apiError('InvalidParameterValue', `The value '${requested}' provided for 'paymentDetails.presentmentCurrency' is invalid. It must match the currency of chargeAmount (${charged}).`);
  }
  if (requested) assertCurrencyAllowed(region, requested, 'paymentDetails.presentmentCurrency');
  const pick = <K extends keyof PaymentDetails>(key: K): PaymentDetails[K] => (raw[key] ?? base[key]) as PaymentDetails[K];
  return {
    paymentIntent: pick('paymentIntent'),
    canHandlePendingAuthorization: pick('canHandlePendingAuthorization'),
    chargeAmount,
    totalOrderAmount,
    softDescriptor: pick('softDescriptor'),
    presentmentCurrency: charged ?? requested ?? base.presentmentCurrency ?? ledgerCurrency(region),
    allowOvercharge: pick('allowOvercharge'),
    extendExpiration: pick('extendExpiration'),
  };
}
