import type { ChargePermissionRecord } from '../chargePermission/chargePermissionRecord.js';
import { refreshPermission } from '../chargePermission/permissionState.js';
import type { IdGenerator } from '../ids.js';
import { convertToLedger, type ConversionRates } from '../conversion.js';
import { ledgerCurrency, price } from '../money.js';
import type { RecurringCount } from '../recurringLimits.js';
import { formatTimestamp } from '../time.js';
import type { Charge, MerchantMetadata, ProviderMetadata } from '../types.js';
import { releaseEnvironmentOf } from '../types.js';
import { AUTHORIZATION_VALIDITY_MS, type ChargeRecord, type ChargeSettlement } from './chargeRecord.js';
import { chargeStatus } from './chargeState.js';

export interface AuthorizeInput {
  amountMinor: number;
  captureNow: boolean;
  /**
   * A pending outcome, or null for a synchronous success: AuthorizationInitiated (202 on
   * completion) or, for an immediate capture processed asynchronously, CaptureInitiated.
   */
  pending: { state?: 'AuthorizationInitiated' | 'CaptureInitiated'; settleTo: 'Authorized' | 'Declined'; reasonCode: string | null; delayMs: number } | null;
  softDescriptor: string | null;
  merchantMetadata: MerchantMetadata | null;
  providerMetadata: ProviderMetadata | null;
  platformId: string | null;
  channel: string | null;
  chargeInitiator: string | null;
  checkoutResultReturnUrl: string | null;
  conversionRates: ConversionRates;
  /** On a Recurring permission, what the charge counts toward the month's limit. */
  countsToMonth?: RecurringCount;
}

/**
 * Creates a charge on a permission: Authorized, Captured (captureNow) or AuthorizationInitiated
 * with a scheduled settlement. Returns the charge and the permission with its bookkeeping moved on.
 * Charge ids hang off the permission id for OneTime permissions, else off a fresh base (docs/amazon-pay-notes.md, "Id formats").
 */
export function authorizeCharge(
  permission: ChargePermissionRecord,
  input: AuthorizeInput,
  { ids, now }: { ids: IdGenerator; now: number },
): { charge: ChargeRecord; permission: ChargePermissionRecord } {
  const cp = permission.chargePermission;
  const currency = permission.meta.currency;
  const base = cp.chargePermissionType === 'OneTime' ? cp.chargePermissionId : ids.chargeBase(permission.meta.region, permission.meta.environment);
  const chargeId = ids.chargeId(base);
  const captured = input.captureNow && !input.pending;
  const state = input.pending ? (input.pending.state ?? 'AuthorizationInitiated') : captured ? 'Captured' : 'Authorized';
  const settle: ChargeSettlement | null = input.pending
    ? {
        at: now + input.pending.delayMs,
        to: input.pending.settleTo === 'Authorized' ? (input.captureNow ? 'Captured' : 'Authorized') : 'Declined',
        reasonCode: input.pending.reasonCode,
        captureMinor: input.captureNow ? input.amountMinor : undefined,
      }
    : null;
  const charge: Charge = {
    chargeId,
    chargeAmount: price(input.amountMinor, currency),
    chargePermissionId: cp.chargePermissionId,
    captureAmount: captured ? price(input.amountMinor, currency) : null,
    refundedAmount: captured ? price(0, currency) : null,
    softDescriptor: input.softDescriptor,
    providerMetadata: input.providerMetadata ?? { providerReferenceId: null },
    ...(convertToLedger(price(input.amountMinor, currency), ledgerCurrency(permission.meta.region), input.conversionRates) ?? { convertedAmount: null, conversionRate: null }),
    channel: input.channel ?? 'Web',
    chargeInitiator: input.chargeInitiator ?? 'CITU',
    statusDetails: chargeStatus(state, now),
    creationTimestamp: formatTimestamp(now),
    expirationTimestamp: formatTimestamp(now + AUTHORIZATION_VALIDITY_MS),
    releaseEnvironment: releaseEnvironmentOf(permission.meta.environment),
    merchantMetadata: input.merchantMetadata,
    platformId: input.platformId,
    webCheckoutDetails: input.checkoutResultReturnUrl ? { checkoutResultReturnUrl: input.checkoutResultReturnUrl } : null,
  };
  const meta: ChargeRecord['meta'] = { region: permission.meta.region, environment: permission.meta.environment, authorizedAt: state === 'Authorized' ? now : null, settle };
  // Only a Recurring permission's charge carries the key: a literal without a spread on every other charge.
  if (input.countsToMonth) meta.countsToMonth = input.countsToMonth;
  const record: ChargeRecord = { charge, meta };
  const open = state === 'Captured' ? permission.meta.openChargeIds : [...permission.meta.openChargeIds, chargeId];
  const nextPermission = refreshPermission(
    {
      ...permission,
      meta: {
        ...permission.meta,
        chargeCount: permission.meta.chargeCount + 1,
        capturedMinor: permission.meta.capturedMinor + (captured ? input.amountMinor : 0),
        openChargeIds: open,
      },
    },
    now,
  );
  return { charge: record, permission: nextPermission };
}
