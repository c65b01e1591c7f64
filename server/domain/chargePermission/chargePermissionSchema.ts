import { priceSchema, bool, merchantMetadataSchema, obj, oneOf, str, type Schema } from '../validation.js';

export const updateChargePermissionFields: Record<string, Schema> = {
  merchantMetadata: merchantMetadataSchema,
  recurringMetadata: obj({
    frequency: obj({ unit: oneOf('Year', 'Month', 'Week', 'Day', 'Variable'), value: { type: 'amountOrNumberString' } }),
    amount: priceSchema,
  }),
};

/** Close Charge Permission body (DELETE with JSON); closureReason limit 255 (docs/amazon-pay-notes.md, "Field length limits"). */
export const closeChargePermissionFields: Record<string, Schema> = {
  closureReason: str(255),
  cancelPendingCharges: bool,
};
