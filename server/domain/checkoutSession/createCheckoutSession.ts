import { updatablePermission } from '../chargePermission/updatePaymentMethod.js';
import { completeAddress } from '../demoBuyer.js';
import { apiError } from '../errors.js';
import type { OperationEnv, OperationResult } from '../operation.js';
import { assertCurrencyAllowed, normalizeOptionalPrice } from '../prices.js';
import { formatTimestamp } from '../time.js';
import { releaseEnvironmentOf, type CheckoutSession, type MerchantMetadata, type Price, type RecurringMetadata, type Region } from '../types.js';
import { validateBody, type Infer, type merchantMetadataSchema, type PriceInput } from '../validation.js';
import { approveSession } from './approveSession.js';
import { withConstraints } from './constraints.js';
import { mergePaymentDetails } from './paymentDetails.js';
import { withMultiAddress, type MultiAddressEntry } from './multiAddress.js';
import { SESSION_LIFETIME_MS, sessionToolsOf, type SessionRecord } from './sessionRecord.js';
import { createSessionFields, type multiAddressesSchema, type recurringMetadataSchema } from './sessionSchema.js';
import { sessionStatusOf, sessionWrite } from './sessionState.js';


export function merchantMetadataOf(raw: Infer<typeof merchantMetadataSchema> | null, current: MerchantMetadata | null = null): MerchantMetadata {
  const base = current ?? { merchantReferenceId: null, merchantStoreName: null, noteToBuyer: null, customInformation: null };
  if (!raw) return base;
  return {
    merchantReferenceId: raw.merchantReferenceId ?? base.merchantReferenceId,
    merchantStoreName: raw.merchantStoreName ?? base.merchantStoreName,
    noteToBuyer: raw.noteToBuyer ?? base.noteToBuyer,
    customInformation: raw.customInformation ?? base.customInformation,
  };
}

/** A request Price normalised, in a currency the region's merchants may use ("Multi-currency integration"). */
function regionPrice(raw: PriceInput | null | undefined, field: string, region: Region): Price | null {
  const p = normalizeOptionalPrice(raw, field);
  if (p) assertCurrencyAllowed(region, p.currencyCode, field);
  return p;
}

export function recurringMetadataOf(raw: Infer<typeof recurringMetadataSchema> | null, region: Region, current: RecurringMetadata | null = null): RecurringMetadata | null {
  if (!raw) return current;
  const frequency = raw.frequency
    ? { unit: raw.frequency.unit ?? null, value: raw.frequency.value === null || raw.frequency.value === undefined ? null : String(raw.frequency.value) }
    : (current?.frequency ?? null);
  return { frequency, amount: regionPrice(raw.amount, 'recurringMetadata.amount', region) ?? current?.amount ?? null };
}

/** Normalised multiAddressesCheckoutMetadata, or null when absent. */
export function multiAddressEntries(raw: Infer<typeof multiAddressesSchema> | null | undefined, region: Region): MultiAddressEntry[] | null {
  if (!raw) return null;
  return raw.map((e, i) => ({ addressId: e.addressId, price: regionPrice(e.price, `multiAddressesCheckoutMetadata[${i}].price`, region) }));
}

/** Create Checkout Session (201): a new Open session with its constraints ("Checkout Session"). */
export function createCheckoutSession(env: OperationEnv, body: unknown): OperationResult<CheckoutSession> {
  const record = newSessionRecord(env, body);
  return { status: 201, body: record.session, writes: [sessionWrite(record)] };
}

/** The session a Create Checkout Session body makes (approved at once with --buyer-approval auto). */
export function newSessionRecord(env: OperationEnv, body: unknown): SessionRecord {
  const { ctx, ids, settings } = env;
  const b = validateBody(body, createSessionFields, ['storeId', 'webCheckoutDetails']);
  const wcd = b.webCheckoutDetails;
  const processOrder = wcd.checkoutMode === 'ProcessOrder';
  const urlField = processOrder ? 'checkoutResultReturnUrl' : 'checkoutReviewReturnUrl';
  if (!wcd[urlField]) throw apiError('MissingParameterValue', `The parameter 'webCheckoutDetails.${urlField}' is required but was not provided.`);
  const type = b.chargePermissionType ?? 'OneTime';
  // The hosted update flow names the Saved Wallet permission to update; anything else is refused here.
  if (b.chargePermissionId) updatablePermission(env.state, b.chargePermissionId, type, ctx.now);
  const id = ids.uuid();
  const session: CheckoutSession = {
    checkoutSessionId: id,
    webCheckoutDetails: {
      checkoutReviewReturnUrl: wcd.checkoutReviewReturnUrl ?? null,
      checkoutResultReturnUrl: wcd.checkoutResultReturnUrl ?? null,
      checkoutCancelUrl: wcd.checkoutCancelUrl ?? null,
      amazonPayRedirectUrl: null,
    },
    productType: processOrder && b.addressDetails ? 'PayAndShip' : null,
    paymentDetails: mergePaymentDetails(null, b.paymentDetails ?? null, ctx.region),
    chargePermissionType: type,
    orderType: null,
    recurringMetadata: recurringMetadataOf(b.recurringMetadata ?? null, ctx.region),
    paymentMethodOnFileMetadata: b.paymentMethodOnFileMetadata ? { setupOnly: b.paymentMethodOnFileMetadata.setupOnly ?? false } : null,
    merchantDetails: null,
    merchantMetadata: merchantMetadataOf(b.merchantMetadata ?? null),
    supplementaryData: b.supplementaryData ?? null,
    buyer: null,
    billingAddress: null,
    paymentPreferences: [null],
    statusDetails: sessionStatusOf('Open', ctx.now),
    shippingAddress: completeAddress(b.addressDetails),
    platformId: b.platformId ?? null,
    chargePermissionId: b.chargePermissionId ?? null,
    chargeId: null,
    constraints: [],
    creationTimestamp: formatTimestamp(ctx.now),
    expirationTimestamp: formatTimestamp(ctx.now + SESSION_LIFETIME_MS),
    storeId: b.storeId,
    providerMetadata: { providerReferenceId: b.providerMetadata?.providerReferenceId ?? null },
    releaseEnvironment: releaseEnvironmentOf(ctx.environment),
    checkoutButtonText: null,
    deliverySpecifications: b.deliverySpecifications ?? null,
    tokens: null,
  };
  const entries = multiAddressEntries(b.multiAddressesCheckoutMetadata, ctx.region);
  let record: SessionRecord = {
    session: withConstraints(withMultiAddress(session, entries, null), settings.publicUrl),
    meta: { region: ctx.region, environment: ctx.environment, publicKeyId: ctx.publicKeyId, createdAt: ctx.now, expiresAt: ctx.now + SESSION_LIFETIME_MS, card: null },
  };
  if (settings.buyerApproval === 'auto') {
    record = approveSession(record, { shippingAddress: b.addressDetails ?? null }, sessionToolsOf(env));
  }
  return record;
}
