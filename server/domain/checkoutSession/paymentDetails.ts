import { apiError } from '../errors.js';
import { ledgerCurrency } from '../money.js';
import { assertCurrencyAllowed, normalizeOptionalPrice } from '../prices.js';
import { checkSoftDescriptorRegion } from '../softDescriptor.js';
import type { PaymentDetails, Region } from '../types.js';
import type { Infer } from '../validation.js';
import type { paymentDetailsSchema } from './sessionSchema.js';

/** Requested paymentDetails, as validated. */
export type PaymentDetailsInput = Infer<typeof paymentDetailsSchema>;

/**
 * Merges requested paymentDetails onto the current ones (create starts from none). The charged
 * currency decides presentmentCurrency; asking for a different presentmentCurrency outright is an
 * error ("Multi-currency integration"; code UNCONFIRMED: InvalidParameterValue chosen), and so is
 * changing allowOvercharge or extendExpiration after creation (same code, UNCONFIRMED).
 */
export function mergePaymentDetails(current: PaymentDetails | null, raw: PaymentDetailsInput | null, region: Region): PaymentDetails {
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
  // Not supported in JP ("Charge", "Refund"): refused here too, or the charge made at completion would carry it.
  checkSoftDescriptorRegion(region, raw.softDescriptor);
  const chargeAmount = normalizeOptionalPrice(raw.chargeAmount, 'paymentDetails.chargeAmount') ?? base.chargeAmount;
  const totalOrderAmount = normalizeOptionalPrice(raw.totalOrderAmount, 'paymentDetails.totalOrderAmount') ?? base.totalOrderAmount;
  for (const [field, p] of [['paymentDetails.chargeAmount', chargeAmount], ['paymentDetails.totalOrderAmount', totalOrderAmount]] as const) {
    if (p) assertCurrencyAllowed(region, p.currencyCode, field);
  }
  if (chargeAmount && totalOrderAmount && chargeAmount.currencyCode !== totalOrderAmount.currencyCode) {
    throw apiError('CurrencyMismatch', 'paymentDetails.chargeAmount and paymentDetails.totalOrderAmount must use the same currency.');
  }
  const requested = raw.presentmentCurrency ?? null;
  const charged = chargeAmount?.currencyCode ?? null;
  if (requested && charged && requested !== charged) {
    throw apiError('InvalidParameterValue', `The value '${requested}' provided for 'paymentDetails.presentmentCurrency' is invalid. It must match the currency of chargeAmount (${charged}).`);
  }
  if (requested) assertCurrencyAllowed(region, requested, 'paymentDetails.presentmentCurrency');
  if (current) {
    // "Advanced one-time payment options": both are set when the session is created; later the same value may be sent again, no other.
    for (const field of ['allowOvercharge', 'extendExpiration'] as const) {
      const sent = raw[field];
      if (sent != null && sent !== current[field]) {
        throw apiError('InvalidParameterValue', `The value '${sent}' provided for 'paymentDetails.${field}' is invalid. It can only be set when the Checkout Session is created (this session: ${current[field]}).`);
      }
    }
  }
  return {
    paymentIntent: raw.paymentIntent ?? base.paymentIntent,
    canHandlePendingAuthorization: raw.canHandlePendingAuthorization ?? base.canHandlePendingAuthorization,
    chargeAmount,
    totalOrderAmount,
    softDescriptor: raw.softDescriptor ?? base.softDescriptor,
    presentmentCurrency: charged ?? requested ?? base.presentmentCurrency ?? ledgerCurrency(region),
    allowOvercharge: raw.allowOvercharge ?? base.allowOvercharge,
    extendExpiration: raw.extendExpiration ?? base.extendExpiration,
  };
}
