import { recurringMetadataSchema } from '../checkoutSession/sessionSchema.js';
import { bool, merchantMetadataSchema, str, type Fields } from '../validation.js';

export const updateChargePermissionFields = {
  merchantMetadata: merchantMetadataSchema,
  recurringMetadata: recurringMetadataSchema,
} satisfies Fields;

/** Close Charge Permission body (DELETE with JSON); closureReason limit 255 (docs/amazon-pay-notes.md, "Field length limits"). */
export const closeChargePermissionFields = {
  closureReason: str(255),
  cancelPendingCharges: bool,
} satisfies Fields;
