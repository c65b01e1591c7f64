import type { Collection, Put } from '../store/store.js';

/** The objects Amazon Pay sends IPNs about (CHARGEBACK: the disputes payment service providers create). */
export type IpnObjectType = 'CHARGE_PERMISSION' | 'CHARGE' | 'REFUND' | 'CHARGEBACK';
export type IpnNotificationType = 'STATE_CHANGE' | 'ATTRIBUTE_CHANGE';

/** One notification Amazon would send, before it is wrapped in an SNS envelope. */
export interface IpnNotification {
  /** The merchant namespace the object belongs to. */
  merchant: string;
  objectType: IpnObjectType;
  objectId: string;
  chargePermissionId: string | null;
  notificationType: IpnNotificationType;
}

/** A record's value before the commit (undefined when it did not exist). Must answer for any record, not only those in the commit. */
export type BeforeLookup = (collection: Collection, id: string) => unknown;

type AnyRecord = Record<string, unknown>;

const objectKeys: Partial<Record<Collection, { key: string; type: IpnObjectType }>> = {
  chargePermissions: { key: 'chargePermission', type: 'CHARGE_PERMISSION' },
  charges: { key: 'charge', type: 'CHARGE' },
  refunds: { key: 'refund', type: 'REFUND' },
  disputes: { key: 'dispute', type: 'CHARGEBACK' },
};

/** A commit as notifications see it: its writes, and each record's value from before it. */
export interface CommitView {
  puts: readonly Put[];
  before: BeforeLookup;
}

/**
 * The notifications one commit causes, in the order of its puts (one per object at most, judged on
 * its last put). Rules ("Set up Instant Payment Notifications"; the exact trigger list is UNCONFIRMED):
 * - a charge permission, charge or refund whose `statusDetails.state` differs from before, or that
 *   did not exist before (creation is a change from no state, even straight into a final state)
 *   -> STATE_CHANGE;
 * - a charge permission whose `merchantMetadata` or `recurringMetadata` changed while its state did
 *   not -> ATTRIBUTE_CHANGE;
 * - deletions, checkout sessions and every other collection -> nothing.
 */
export function notificationsFor(ns: string, commit: CommitView): IpnNotification[] {
  const { puts, before } = commit;
  const last = new Map<string, Put>();
  for (const put of puts) {
    if (!objectKeys[put.collection]) continue;
    const key = `${put.collection}\u0000${put.id}`;
    // Map.set on an existing key keeps its first position: first-put order, last value judged.
    last.set(key, put);
  }
  const out: IpnNotification[] = [];
  for (const put of last.values()) {
    const spec = objectKeys[put.collection]!;
    const now = objectOf(put.value, spec.key);
    if (!now) continue;
    const then = objectOf(before(put.collection, put.id), spec.key);
    const type = changeType(spec.type, then, now);
    if (!type) continue;
    out.push({
      merchant: ns,
      objectType: spec.type,
      objectId: put.id,
      chargePermissionId: chargePermissionIdOf(spec.type, now, commit),
      notificationType: type,
    });
  }
  return out;
}

function changeType(type: IpnObjectType, then: AnyRecord | null, now: AnyRecord): IpnNotificationType | null {
  if (then === null || stateOf(then) !== stateOf(now)) return 'STATE_CHANGE';
  if (type === 'CHARGE_PERMISSION' && (!deepEqual(then.merchantMetadata, now.merchantMetadata) || !deepEqual(then.recurringMetadata, now.recurringMetadata))) {
    return 'ATTRIBUTE_CHANGE';
  }
  return null;
}

function chargePermissionIdOf(type: IpnObjectType, obj: AnyRecord, { puts, before }: CommitView): string | null {
  if (type === 'CHARGE_PERMISSION') return stringOr(obj.chargePermissionId);
  if (type === 'CHARGE') return stringOr(obj.chargePermissionId);
  // A refund or dispute names its charge only; the charge is in the same commit or already stored.
  const chargeId = stringOr(obj.chargeId);
  if (chargeId === null) return null;
  let charge: AnyRecord | null = null;
  for (let i = puts.length - 1; i >= 0 && charge === null; i--) {
    const p = puts[i]!;
    if (p.collection === 'charges' && p.id === chargeId) charge = objectOf(p.value, 'charge');
  }
  charge ??= objectOf(before('charges', chargeId), 'charge');
  return charge ? stringOr(charge.chargePermissionId) : null;
}

function objectOf(record: unknown, key: string): AnyRecord | null {
  if (typeof record !== 'object' || record === null) return null;
  const obj = (record as AnyRecord)[key];
  return typeof obj === 'object' && obj !== null ? (obj as AnyRecord) : null;
}

function stateOf(obj: AnyRecord): unknown {
  const details = obj.statusDetails;
  return typeof details === 'object' && details !== null ? (details as AnyRecord).state : undefined;
}

function stringOr(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}

/** Structural equality of plain JSON values (key order ignored). */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === undefined || b === undefined) return (a ?? null) === (b ?? null);
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const bb = b as unknown[];
    return a.length === bb.length && a.every((v, i) => deepEqual(v, bb[i]));
  }
  const ak = Object.keys(a).filter((k) => (a as AnyRecord)[k] !== undefined);
  const bk = Object.keys(b).filter((k) => (b as AnyRecord)[k] !== undefined);
  return ak.length === bk.length && ak.every((k) => Object.hasOwn(b, k) && deepEqual((a as AnyRecord)[k], (b as AnyRecord)[k]));
}
