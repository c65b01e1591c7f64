import { describe, expect, it } from 'vitest';
import { deepEqual, notificationsFor } from '../../server/ipn/notifications.js';
import type { Collection, Put } from '../../server/store/store.js';
import { chargeRecord, permissionRecord, refundRecord } from './records.js';

const CP = 'S01-1111111-2222222';
const CH = `${CP}-C000001`;
const RF = `${CP}-R000001`;

function lookup(records: Partial<Record<Collection, Record<string, unknown>>>) {
  return (collection: Collection, id: string) => records[collection]?.[id];
}

describe('notificationsFor', () => {
  it('a charge whose state changed -> CHARGE STATE_CHANGE naming its permission', () => {
    const puts: Put[] = [{ collection: 'charges', id: CH, value: chargeRecord(CH, 'Authorized') }];
    const out = notificationsFor('M1', { puts: puts, before: lookup({ charges: { [CH]: chargeRecord(CH, 'AuthorizationInitiated') } }) });
    expect(out).toEqual([{ merchant: 'M1', objectType: 'CHARGE', objectId: CH, chargePermissionId: CP, notificationType: 'STATE_CHANGE' }]);
  });

  it('creation counts as a change from no state, also straight into a final state', () => {
    const puts: Put[] = [
      { collection: 'chargePermissions', id: CP, value: permissionRecord(CP, 'Chargeable') },
      { collection: 'charges', id: CH, value: chargeRecord(CH, 'Captured') },
    ];
    const out = notificationsFor('M1', { puts: puts, before: lookup({}) });
    expect(out.map((n) => [n.objectType, n.objectId, n.notificationType])).toEqual([
      ['CHARGE_PERMISSION', CP, 'STATE_CHANGE'],
      ['CHARGE', CH, 'STATE_CHANGE'],
    ]);
  });

  it('a refund names the permission of its charge, from the same commit or from the store', () => {
    const sameCommit = notificationsFor('M1', { puts: [
        { collection: 'refunds', id: RF, value: refundRecord(RF, CH, 'RefundInitiated') },
        { collection: 'charges', id: CH, value: chargeRecord(CH, 'Captured', 'C01-9999999-9999999') },
      ], before: lookup({ charges: { [CH]: chargeRecord(CH, 'Captured', 'C01-9999999-9999999') } }) });
    expect(sameCommit).toEqual([{ merchant: 'M1', objectType: 'REFUND', objectId: RF, chargePermissionId: 'C01-9999999-9999999', notificationType: 'STATE_CHANGE' }]);

    const settled = notificationsFor('M1', { puts: [{ collection: 'refunds', id: RF, value: refundRecord(RF, CH, 'Refunded') }], before: lookup({ refunds: { [RF]: refundRecord(RF, CH, 'RefundInitiated') }, charges: { [CH]: chargeRecord(CH, 'Captured') } }) });
    expect(settled).toEqual([{ merchant: 'M1', objectType: 'REFUND', objectId: RF, chargePermissionId: CP, notificationType: 'STATE_CHANGE' }]);
  });

  it('a permission whose merchantMetadata or recurringMetadata changed without a state change -> ATTRIBUTE_CHANGE', () => {
    const before = lookup({ chargePermissions: { [CP]: permissionRecord(CP, 'Chargeable', 'order-1') } });
    expect(notificationsFor('M1', { puts: [{ collection: 'chargePermissions', id: CP, value: permissionRecord(CP, 'Chargeable', 'order-2') }], before: before })).toEqual([
      { merchant: 'M1', objectType: 'CHARGE_PERMISSION', objectId: CP, chargePermissionId: CP, notificationType: 'ATTRIBUTE_CHANGE' },
    ]);
    const recurring = permissionRecord(CP, 'Chargeable', 'order-1');
    recurring.chargePermission.recurringMetadata = { frequency: { unit: 'Month', value: '1' }, amount: null } as never;
    expect(notificationsFor('M1', { puts: [{ collection: 'chargePermissions', id: CP, value: recurring }], before: before }).map((n) => n.notificationType)).toEqual(['ATTRIBUTE_CHANGE']);
  });

  it('a permission whose state and metadata both changed -> one STATE_CHANGE', () => {
    const before = lookup({ chargePermissions: { [CP]: permissionRecord(CP, 'Chargeable', 'order-1') } });
    const out = notificationsFor('M1', { puts: [{ collection: 'chargePermissions', id: CP, value: permissionRecord(CP, 'Closed', 'order-2') }], before: before });
    expect(out.map((n) => n.notificationType)).toEqual(['STATE_CHANGE']);
  });

  it('no state or attribute change -> nothing (bookkeeping writes, dueAt clears, charge metadata)', () => {
    const cp = permissionRecord(CP, 'Chargeable', 'order-1');
    const ch = chargeRecord(CH, 'Authorized');
    const before = lookup({ chargePermissions: { [CP]: cp }, charges: { [CH]: ch }, refunds: { [RF]: refundRecord(RF, CH, 'RefundInitiated') } });
    const chargeWithNewMeta = { ...ch, charge: { ...ch.charge, merchantMetadata: { merchantReferenceId: 'x' } } };
    const puts: Put[] = [
      { collection: 'chargePermissions', id: CP, value: { ...cp, meta: { capturedMinor: 100 } } },
      { collection: 'charges', id: CH, value: chargeWithNewMeta, dueAt: null },
      { collection: 'refunds', id: RF, value: refundRecord(RF, CH, 'RefundInitiated'), dueAt: 5 },
    ];
    expect(notificationsFor('M1', { puts: puts, before: before })).toEqual([]);
  });

  it('deletions, checkout sessions and other collections never notify', () => {
    const puts: Put[] = [
      { collection: 'checkoutSessions', id: 'sess', value: { session: { statusDetails: { state: 'Completed' } } } },
      { collection: 'charges', id: CH, value: null },
      { collection: 'idempotency', id: 'k', value: { status: 201 } },
      { collection: 'settings', id: 'ipn', value: { urls: [], signed: true } },
      { collection: 'buyers', id: 'b', value: {} },
    ];
    expect(notificationsFor('M1', { puts: puts, before: lookup({ charges: { [CH]: chargeRecord(CH, 'Authorized') } }) })).toEqual([]);
  });

  it('an object written twice in one commit is judged once, on its last value against the old one', () => {
    const before = lookup({ charges: { [CH]: chargeRecord(CH, 'Authorized') } });
    const there = notificationsFor('M1', { puts: [
      { collection: 'charges', id: CH, value: chargeRecord(CH, 'CaptureInitiated') },
      { collection: 'charges', id: CH, value: chargeRecord(CH, 'Captured') },
    ], before: before });
    expect(there).toHaveLength(1);
    const andBack = notificationsFor('M1', { puts: [
      { collection: 'charges', id: CH, value: chargeRecord(CH, 'CaptureInitiated') },
      { collection: 'charges', id: CH, value: chargeRecord(CH, 'Authorized') },
    ], before: before });
    expect(andBack).toEqual([]);
  });
});

describe('deepEqual', () => {
  it('ignores key order and treats a missing key as null', () => {
    expect(deepEqual({ a: 1, b: [1, { c: 2 }] }, { b: [1, { c: 2 }], a: 1 })).toBe(true);
    expect(deepEqual({ a: 1 }, { a: 2 })).toBe(false);
    expect(deepEqual(null, undefined)).toBe(true);
    expect(deepEqual([1], { 0: 1 })).toBe(false);
  });
});
