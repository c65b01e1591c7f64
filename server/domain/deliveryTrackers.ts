import type { ChargePermissionRecord } from './chargePermission/chargePermissionRecord.js';
import { apiError } from './errors.js';
import type { OperationEnv, OperationResult } from './operation.js';
import type { Put } from './writes.js';
import { obj, str, validateBody, type Fields } from './validation.js';

export const deliveryTrackerFields = {
  amazonOrderReferenceId: str(64),
  chargePermissionId: str(64),
  deliveryDetails: { type: 'array', items: obj({ trackingNumber: str(100), carrierCode: str(50) }, ['trackingNumber', 'carrierCode']), max: 10 },
} satisfies Fields;

export interface DeliveryTracker {
  amazonOrderReferenceId: string | null;
  chargePermissionId: string | null;
  deliveryDetails: { trackingNumber: string; carrierCode: string }[];
}

/** What is kept of a delivery tracker: the tracking code, so that it is used once. */
export interface DeliveryTrackerRecord {
  carrierCode: string;
  trackingNumber: string;
  chargePermissionId: string | null;
  amazonOrderReferenceId: string | null;
  createdAt: number;
}

/** Store id of a tracking code: carrier and number (the same number at another carrier is another shipment). */
const trackingId = (d: { carrierCode: string; trackingNumber: string }) => `${d.carrierCode}\u0000${d.trackingNumber}`;

/**
 * Delivery Trackers (200), as Amazon's Delivery Tracker page describes them: shipment tracking for
 * an order, by charge permission (or a v1 order reference, accepted as is). Exactly one of the two
 * ids; an unknown chargePermissionId is 400 InvalidParameterValue; "tracking codes can only be used
 * once", so a code already sent (or sent twice in one call) is 400 InvalidParameterValue too.
 */
export function createDeliveryTracker(env: OperationEnv, body: unknown): OperationResult<DeliveryTracker> {
  const b = validateBody(body, deliveryTrackerFields, ['deliveryDetails']);
  const permissionId = b.chargePermissionId ?? null;
  if ((permissionId !== null) === (b.amazonOrderReferenceId != null)) {
    throw apiError('InvalidParameterCombination', 'Send exactly one of chargePermissionId and amazonOrderReferenceId.');
  }
  if (b.deliveryDetails.length === 0) throw apiError('MissingParameterValue', "The parameter 'deliveryDetails' needs at least one entry.");
  if (permissionId !== null && !env.state.get<ChargePermissionRecord>('chargePermissions', permissionId)) {
    throw apiError('InvalidParameterValue', `The chargePermissionId '${permissionId}' is invalid.`);
  }
  const details: DeliveryTracker['deliveryDetails'] = b.deliveryDetails.map((d) => ({ trackingNumber: d.trackingNumber, carrierCode: d.carrierCode }));
  const seen = new Set<string>();
  for (const d of details) {
    const id = trackingId(d);
    if (seen.has(id) || env.state.get<DeliveryTrackerRecord>('deliveryTrackers', id)) {
      throw apiError('InvalidParameterValue', `The trackingNumber '${d.trackingNumber}' of carrier '${d.carrierCode}' was already used; a tracking code can be used once.`);
    }
    seen.add(id);
  }
  const tracker: DeliveryTracker = {
    amazonOrderReferenceId: b.amazonOrderReferenceId ?? null,
    chargePermissionId: permissionId,
    deliveryDetails: details,
  };
  const writes: Put[] = details.map((d) => {
    const value: DeliveryTrackerRecord = { ...d, chargePermissionId: tracker.chargePermissionId, amazonOrderReferenceId: tracker.amazonOrderReferenceId, createdAt: env.ctx.now };
    return { collection: 'deliveryTrackers', id: trackingId(d), value };
  });
  return { status: 200, body: tracker, writes };
}
