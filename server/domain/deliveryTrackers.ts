import type { ChargePermissionRecord } from './chargePermission/chargePermissionRecord.js';
import { apiError } from './errors.js';
import type { OperationEnv, OperationResult } from './operation.js';
import { obj, str, validateBody, type Schema } from './validation.js';

export const deliveryTrackerFields: Record<string, Schema> = {
  amazonOrderReferenceId: str(64),
  chargePermissionId: str(64),
  deliveryDetails: { type: 'array', items: obj({ trackingNumber: str(100), carrierCode: str(50) }, ['trackingNumber', 'carrierCode']), max: 10 },
};

export interface DeliveryTracker {
  amazonOrderReferenceId: string | null;
  chargePermissionId: string | null;
  deliveryDetails: { trackingNumber: string; carrierCode: string }[];
}

/**
 * Delivery Trackers (200): shipment tracking for an order, by charge permission (or a v1 order
 * reference, accepted as is). Exactly one of the two ids; the permission must exist.
 */
export function createDeliveryTracker(env: OperationEnv, body: unknown): OperationResult<DeliveryTracker> {
  const b = validateBody(body, deliveryTrackerFields, ['deliveryDetails']) as Record<string, any>;
  const byPermission = b.chargePermissionId != null;
  if (byPermission === (b.amazonOrderReferenceId != null)) {
    throw apiError('InvalidParameterCombination', 'Send exactly one of chargePermissionId and amazonOrderReferenceId.');
  }
  if (b.deliveryDetails.length === 0) throw apiError('MissingParameterValue', "The parameter 'deliveryDetails' needs at least one entry.");
  if (byPermission && !env.state.get<ChargePermissionRecord>('chargePermissions', b.chargePermissionId)) {
    throw apiError('ResourceNotFound', `The Charge Permission '${b.chargePermissionId}' was not found.`);
  }
  const tracker: DeliveryTracker = {
    amazonOrderReferenceId: b.amazonOrderReferenceId ?? null,
    chargePermissionId: b.chargePermissionId ?? null,
    deliveryDetails: b.deliveryDetails.map((d: any) => ({ trackingNumber: d.trackingNumber, carrierCode: d.carrierCode })),
  };
  return { status: 200, body: tracker, writes: [] };
}
