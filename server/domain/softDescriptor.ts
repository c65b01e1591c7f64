import { apiError } from './errors.js';
import type { Region } from './types.js';

/**
 * Charge and Refund pages: softDescriptor "is not supported in JP" (Japanese statements show a
 * fixed descriptor). Sending one there (on a charge, capture, refund or a Checkout Session's
 * paymentDetails) is refused as an invalid value (the exact code Amazon uses is UNCONFIRMED).
 */
export function checkSoftDescriptorRegion(region: Region, softDescriptor: unknown): void {
  if (region === 'jp' && softDescriptor != null) {
    throw apiError('InvalidParameterValue', "The parameter 'softDescriptor' is not supported in JP: statements there show a fixed descriptor.");
  }
}
