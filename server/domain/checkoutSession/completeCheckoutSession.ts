import { simulatedCards, defaultCard } from '../cards.js';
import { authorizeCharge } from '../charge/authorizeCharge.js';
import { chargeWrite } from '../charge/chargeState.js';
import { createChargePermission } from '../chargePermission/createChargePermission.js';
import { permissionWrite } from '../chargePermission/permissionState.js';
import { updatablePermission, updatePaymentMethod } from '../chargePermission/updatePaymentMethod.js';
import { apiError, type AmazonPayError } from '../errors.js';
import { formatMinor, minorOf, samePrice } from '../money.js';
import { chargeWithinMonthlyLimit, recurringCountOf, type RecurringCount } from '../recurringLimits.js';
import { errorResult, type OperationEnv, type OperationInput, type OperationResult } from '../operation.js';
import { normalizeOptionalPrice } from '../prices.js';
import type { CheckoutSession, Price } from '../types.js';
import { validateBody } from '../validation.js';
import type { Override } from '../override.js';
import { findSession, type FoundSession } from './findSession.js';
import { sessionToolsOf, type SessionRecord } from './sessionRecord.js';
import { completeSessionFields } from './sessionSchema.js';
import { cancelSession, sessionStatusOf, sessionWrite, withoutCardCancel } from './sessionState.js';

/** The error a terminal session answers with: Canceled by buyer/decline vs anything else ("Checkout Session": Complete Checkout Session). */
function terminalError(record: SessionRecord): AmazonPayError {
  const { state, reasonCode } = record.session.statusDetails;
  if (state === 'Canceled' && reasonCode !== 'Expired') {
    return apiError('CheckoutSessionCanceled', `The Checkout Session was canceled (reasonCode ${reasonCode}). Get the Checkout Session and check statusDetails.reasonCode.`);
  }
  return apiError(
    'InvalidCheckoutSessionStatus',
    `You tried to call an operation on a Checkout Session that is in a state where that operation is not allowed. The Checkout Session is ${state}${reasonCode ? ` (${reasonCode})` : ''}.`,
  );
}

function checkAmount(field: 'chargeAmount' | 'totalOrderAmount', sent: Price | null, expected: Price | null): void {
  if (!expected) return;
  if (!sent) throw apiError('MissingParameterValue', `The parameter '${field}' is required but was not provided; it must equal paymentDetails.${field} of the Checkout Session.`);
  if (!samePrice(sent, expected)) {
    throw apiError(
      'AmountMismatch',
      `The ${field} ${sent.amount} ${sent.currencyCode} does not match paymentDetails.${field} ${expected.amount} ${expected.currencyCode} of the Checkout Session.`,
    );
  }
}

/** The last key list `sparse` saw and an all-null object with those keys, in that order. */
let sparseKeys: readonly string[] = [];
let allNull: Record<string, null> = {};

/** The sparse object Complete answers with ("Checkout Session"): every key, most of them null. */
export function sparse(s: CheckoutSession): CheckoutSession {
  const keys = Object.keys(s);
  if (!sameKeys(keys, sparseKeys)) {
    // Parsed from JSON so the template is an ordinary fast object, cheap to copy with a spread.
    allNull = JSON.parse(JSON.stringify(Object.fromEntries(keys.map((k) => [k, null])))) as Record<string, null>;
    sparseKeys = keys;
  }
  // Keys absent from s are added after the others, in this order.
  const out = { ...allNull } as Record<string, unknown>;
  out.checkoutSessionId = s.checkoutSessionId;
  out.statusDetails = s.statusDetails;
  out.chargePermissionId = s.chargePermissionId;
  out.chargeId = s.chargeId;
  out.creationTimestamp = s.creationTimestamp;
  return out as unknown as CheckoutSession;
}

function sameKeys(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Amounts the caller confirms on completion. */
export interface ConfirmedAmounts {
  chargeAmount: Price | null;
  totalOrderAmount: Price | null;
}

/**
 * Complete Checkout Session ("Checkout Session" reference page): confirms the amounts, creates the charge permission (and the
 * charge unless the intent is Confirm) and marks the session Completed. 200, or 202 when the
 * authorization is pending. The outcome comes from `override` if given, else the buyer's card.
 */
export function completeCheckoutSession(env: OperationEnv, id: string, { body, override }: OperationInput): OperationResult {
  const found = findSession(env.state, id, sessionToolsOf(env));
  const b = validateBody(body, completeSessionFields);
  const amounts = {
    chargeAmount: normalizeOptionalPrice(b.chargeAmount, 'chargeAmount'),
    totalOrderAmount: normalizeOptionalPrice(b.totalOrderAmount, 'totalOrderAmount'),
  };
  // Field by field, not `{ ...found, amounts, ... }`: a spread of an object made in this call, given
  // keys it does not have, outlives young-generation collections on Node 20 (docs/benchmark-log.md).
  return completeRecord(env, { record: found.record, changed: found.changed, amounts, override, answer: sparse });
}

/** Refuses a session that is not Open (persisting an expiry just applied), or returns null. */
export function refuseTerminal({ record, changed }: FoundSession): OperationResult | null {
  if (record.session.statusDetails.state === 'Open') return null;
  return errorResult(terminalError(record), changed ? [sessionWrite(record)] : []);
}

/** A completion: the session as found, the amounts confirmed, the scripted outcome and how to shape the answer. */
export interface Completion extends FoundSession {
  amounts: ConfirmedAmounts;
  override: Override | undefined;
  answer: (s: CheckoutSession) => unknown;
}

/** The completion itself, shared by Complete and Finalize; `answer` shapes the response body. */
export function completeRecord(env: OperationEnv, completion: Completion): OperationResult {
  const { ctx, ids, settings } = env;
  const { record, amounts, override, answer } = completion;
  if (override) {
    const reopened = withoutCardCancel(record, sessionToolsOf(env));
    if (reopened !== record) return completeRecord(env, { ...completion, record: reopened, changed: true });
  }
  const refused = refuseTerminal(completion);
  if (refused) return refused;
  const s = record.session;
  if (s.constraints && s.constraints.length > 0) {
    throw apiError('InvalidCheckoutSessionStatus', `The Checkout Session cannot be completed while constraints are open: ${s.constraints.map((c) => c.constraintId).join(', ')}.`);
  }
  const pd = s.paymentDetails!;
  const setupOnly = s.chargePermissionType === 'PaymentMethodOnFile' && s.paymentMethodOnFileMetadata?.setupOnly === true;
  if (!setupOnly) checkAmount('chargeAmount', amounts.chargeAmount, pd.chargeAmount);
  checkAmount('totalOrderAmount', amounts.totalOrderAmount, pd.totalOrderAmount);

  if (override?.kind === 'cancel') {
    const canceled = cancelSession(record, override.reasonCode, sessionToolsOf(env));
    return errorResult(terminalError(canceled), [sessionWrite(canceled)]);
  }
  const intent = setupOnly ? 'Confirm' : (pd.paymentIntent ?? 'Confirm');
  const card = record.meta.card ?? defaultCard;
  const behaviour = simulatedCards[card]?.behaviour;
  // A simulation string overrides the card ("Use Sandbox simulations").
  const cardPending = !override && behaviour?.kind === 'pending' ? behaviour : null;
  const pending = override?.kind === 'pending' ? override : cardPending;
  if (cardPending && (intent !== 'Authorize' || !pd.canHandlePendingAuthorization)) {
    // "Use Sandbox simulations": cards 0701 and 4354 need paymentIntent Authorize and canHandlePendingAuthorization.
    throw apiError(
      'InvalidSandboxSimulationSpecified',
      `The simulated payment method ending ${card} needs paymentIntent Authorize and paymentDetails.canHandlePendingAuthorization true (this session: ${intent}, canHandlePendingAuthorization ${pd.canHandlePendingAuthorization === true}).`,
    );
  }
  if (pending && (intent === 'Confirm' || !pd.canHandlePendingAuthorization)) {
    throw apiError(
      'InvalidSandboxSimulationSpecified',
      'A pending authorization needs paymentIntent Authorize or AuthorizeWithCapture and paymentDetails.canHandlePendingAuthorization true.',
    );
  }

  // A session of the hosted update flow completes on the permission it names, never over it.
  const named = s.chargePermissionId;
  let permission = named
    ? updatePaymentMethod(updatablePermission(env.state, named, s.chargePermissionType ?? 'OneTime', ctx.now), record, ctx.now)
    : createChargePermission(record, ids, ctx.now);
  if (named && intent !== 'Confirm' && pd.chargeAmount!.currencyCode !== permission.meta.currency) {
    throw apiError('CurrencyMismatch', `The currency ${pd.chargeAmount!.currencyCode} of chargeAmount differs from the Charge Permission's currency ${permission.meta.currency}.`);
  }
  const writes = [];
  let chargeId: string | null = null;
  if (intent !== 'Confirm') {
    // "Charge Permission": a OneTime permission captures up to its amountLimit (the order total);
    // the charge made at completion is held to that as Create Charge is, or a chargeAmount above
    // totalOrderAmount would be captured past the limit.
    const limit = permission.meta.amountLimitMinor;
    const chargeMinor = minorOf(pd.chargeAmount!);
    if (limit !== null && chargeMinor > limit - permission.meta.capturedMinor) {
      throw apiError('TransactionAmountExceeded', `The chargeAmount ${pd.chargeAmount!.amount} exceeds the Charge Permission's amountLimit ${formatMinor(limit, permission.meta.currency)} ${permission.meta.currency}, the order total; update the Checkout Session's paymentDetails.`);
    }
    // "Monthly recurring charge limits": the charge made at completion counts toward the month too.
    let countsToMonth: RecurringCount | undefined;
    if (permission.chargePermission.chargePermissionType === 'Recurring') {
      const recurringPeriod = chargeWithinMonthlyLimit(undefined, pd.chargeAmount!, ctx.now);
      permission = { ...permission, meta: { ...permission.meta, recurringPeriod } };
      countsToMonth = recurringCountOf(pd.chargeAmount!, ctx.now);
    }
    const result = authorizeCharge(
      permission,
      {
        amountMinor: chargeMinor,
        captureNow: intent === 'AuthorizeWithCapture',
        pending: pending ? { settleTo: pending.settleTo, reasonCode: pending.reasonCode, delayMs: settings.pendingDelayMs } : null,
        softDescriptor: pd.softDescriptor,
        merchantMetadata: s.merchantMetadata,
        providerMetadata: s.providerMetadata,
        platformId: s.platformId,
        channel: 'Web',
        chargeInitiator: 'CITU',
        checkoutResultReturnUrl: null,
        conversionRates: settings.conversionRates,
        countsToMonth,
      },
      { ids, now: ctx.now },
    );
    permission = result.permission;
    chargeId = result.charge.charge.chargeId;
    writes.push(chargeWrite(result.charge));
  }
  const completed: SessionRecord = {
    ...record,
    session: {
      ...s,
      statusDetails: sessionStatusOf('Completed', ctx.now),
      chargePermissionId: permission.chargePermission.chargePermissionId,
      chargeId,
      constraints: [],
      webCheckoutDetails: s.webCheckoutDetails ? { ...s.webCheckoutDetails, amazonPayRedirectUrl: null } : null,
    },
  };
  writes.push(permissionWrite(permission), sessionWrite(completed));
  return { status: pending ? 202 : 200, body: answer(completed.session), writes };
}
