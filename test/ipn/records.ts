import type { Charge, ChargePermission } from '../../server/domain/types.js';
import type { Refund } from '../../server/domain/refund/refundRecord.js';

/** Minimal stored records: only what notifications read is meaningful. */
export function chargeRecord(id: string, state: string, chargePermissionId = 'S01-1111111-2222222'): { charge: Charge; meta: unknown } {
  return {
    charge: { chargeId: id, chargePermissionId, statusDetails: { state, reasonCode: null, reasonDescription: null, lastUpdatedTimestamp: '20250101T000000Z' } } as Charge,
    meta: {},
  };
}

export function permissionRecord(id: string, state: ChargePermission['statusDetails']['state'], merchantReferenceId: string | null = null): { chargePermission: ChargePermission; meta: unknown } {
  return {
    chargePermission: {
      chargePermissionId: id,
      statusDetails: { state, reasons: null, lastUpdatedTimestamp: '20250101T000000Z' },
      merchantMetadata: { merchantReferenceId, merchantStoreName: null, noteToBuyer: null, customInformation: null },
      recurringMetadata: null,
    } as ChargePermission,
    meta: {},
  };
}

export function refundRecord(id: string, chargeId: string, state: string): { refund: Refund; meta: unknown } {
  return {
    refund: { refundId: id, chargeId, statusDetails: { state, reasonCode: null, reasonDescription: null, lastUpdatedTimestamp: '20250101T000000Z' } } as Refund,
    meta: {},
  };
}
