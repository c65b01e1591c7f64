import type { SessionRecord } from '../checkoutSession/sessionRecord.js';
import { echo } from '../echo.js';
import { apiError } from '../errors.js';
import type { StateView } from '../operation.js';
import type { ChargePermissionRecord } from './chargePermissionRecord.js';
import { findChargePermission } from './findChargePermission.js';
import { refreshPermission } from './permissionState.js';

/**
 * Amazon Pay's hosted update page ("Steps to integrate with Amazon Pay's hosted update page"): a
 * Checkout Session with `chargePermissionId` set to the buyer's Saved Wallet permission and
 * `chargePermissionType: PaymentMethodOnFile` lets the buyer change the payment method or address
 * of that permission; a Closed one cannot be updated ("Manage Payments Using Saved Wallet": set up
 * a new one instead). The codes of the refusals are UNCONFIRMED (see the README's "Choices").
 */
export function updatablePermission(state: StateView, id: string, chargePermissionType: string, now: number): ChargePermissionRecord {
  let record: ChargePermissionRecord;
  try {
    record = findChargePermission(state, id, now).record;
  } catch {
    throw apiError('InvalidParameterValue', `The value '${echo(id)}' provided for 'chargePermissionId' is invalid. It must name one of your Saved Wallet (PaymentMethodOnFile) Charge Permissions.`);
  }
  const cp = record.chargePermission;
  if (cp.chargePermissionType !== 'PaymentMethodOnFile' || chargePermissionType !== 'PaymentMethodOnFile') {
    throw apiError(
      'InvalidParameterValue',
      `The value '${id}' provided for 'chargePermissionId' is invalid. Only a PaymentMethodOnFile Charge Permission can be updated, by a session with chargePermissionType PaymentMethodOnFile (the permission: ${cp.chargePermissionType}; the session: ${chargePermissionType}).`,
    );
  }
  if (cp.statusDetails.state === 'Closed') {
    throw apiError('InvalidChargePermissionStatus', `The Charge Permission ${id} is Closed and can no longer be updated; set up a new one.`);
  }
  return record;
}

/**
 * The stored permission after the buyer completed the update session: the payment method (and
 * address) the buyer chose replace the old ones, a payment method marked invalid is usable again,
 * and everything else — id, creation, charges, bookkeeping — stays.
 */
export function updatePaymentMethod(record: ChargePermissionRecord, session: SessionRecord, now: number): ChargePermissionRecord {
  const cp = record.chargePermission;
  const s = session.session;
  const preferences = (s.paymentPreferences ?? []).filter((p): p is NonNullable<typeof p> => p !== null);
  return refreshPermission(
    {
      chargePermission: {
        ...cp,
        buyer: cp.buyer ?? s.buyer,
        shippingAddress: s.shippingAddress ?? cp.shippingAddress,
        billingAddress: s.billingAddress ?? cp.billingAddress,
        paymentPreferences: preferences.length > 0 ? preferences : cp.paymentPreferences,
      },
      meta: { ...record.meta, card: session.meta.card ?? record.meta.card, paymentMethodInvalid: false },
    },
    now,
  );
}
