/**
 * Wire types of the Amazon Pay API v2 objects the emulator serves (the object pages of Amazon's API reference),
 * shared by the domain, the handlers, the store and the tests. Every documented key is present;
 * absent values are null, never omitted.
 */
export type Region = 'na' | 'eu' | 'jp';
export type Environment = 'sandbox' | 'live';
export type ReleaseEnvironment = 'Sandbox' | 'Live';

export interface Price {
  amount: string;
  currencyCode: string;
}

export interface StatusDetails {
  state: string;
  reasonCode: string | null;
  reasonDescription: string | null;
  lastUpdatedTimestamp: string;
}

export interface ChargePermissionReason {
  reasonCode: string;
  reasonDescription: string | null;
}

export interface ChargePermissionStatusDetails {
  state: 'Chargeable' | 'NonChargeable' | 'Closed';
  reasons: ChargePermissionReason[] | null;
  lastUpdatedTimestamp: string;
}

export interface MerchantMetadata {
  merchantReferenceId: string | null;
  merchantStoreName: string | null;
  noteToBuyer: string | null;
  customInformation: string | null;
}

export interface Address {
  name: string | null;
  addressLine1: string | null;
  addressLine2: string | null;
  addressLine3: string | null;
  city: string | null;
  county: string | null;
  district: string | null;
  stateOrRegion: string | null;
  postalCode: string | null;
  countryCode: string | null;
  phoneNumber: string | null;
}

export interface Buyer {
  buyerId: string;
  name: string | null;
  email: string | null;
  phoneNumber: string | null;
  primeMembershipTypes: string[] | null;
}

export interface PaymentPreference {
  paymentDescriptor: string | null;
}

export interface RecurringMetadata {
  frequency: { unit: string | null; value: string | null } | null;
  amount: Price | null;
}

export interface Constraint {
  constraintId: string;
  description: string;
}

export interface WebCheckoutDetails {
  checkoutReviewReturnUrl: string | null;
  checkoutResultReturnUrl: string | null;
  checkoutCancelUrl: string | null;
  amazonPayRedirectUrl: string | null;
}

export type PaymentIntent = 'Confirm' | 'Authorize' | 'AuthorizeWithCapture';
export type ChargePermissionType = 'OneTime' | 'Recurring' | 'PaymentMethodOnFile';

export interface PaymentDetails {
  paymentIntent: PaymentIntent | null;
  canHandlePendingAuthorization: boolean;
  chargeAmount: Price | null;
  totalOrderAmount: Price | null;
  softDescriptor: string | null;
  presentmentCurrency: string | null;
  allowOvercharge: boolean;
  extendExpiration: boolean;
}

export interface ProviderMetadata {
  providerReferenceId: string | null;
}

/** CheckoutSession with keys in the order the Node SDK's integration test asserts. */
export interface CheckoutSession {
  checkoutSessionId: string;
  webCheckoutDetails: WebCheckoutDetails | null;
  productType: 'PayAndShip' | 'PayOnly' | null;
  paymentDetails: PaymentDetails | null;
  chargePermissionType: ChargePermissionType | null;
  orderType: string | null;
  recurringMetadata: RecurringMetadata | null;
  paymentMethodOnFileMetadata: { setupOnly: boolean } | null;
  merchantDetails: unknown | null;
  merchantMetadata: MerchantMetadata | null;
  supplementaryData: string | null;
  buyer: Buyer | null;
  billingAddress: Address | null;
  paymentPreferences: (PaymentPreference | null)[] | null;
  statusDetails: StatusDetails;
  shippingAddress: Address | null;
  /** Multi-address checkout only: JSON-encoded Address strings (docs/amazon-pay-notes.md). */
  shippingAddressList?: string[] | null;
  multiAddressesCheckoutMetadata?: { addressId: string; price: Price | null }[] | null;
  platformId: string | null;
  chargePermissionId: string | null;
  chargeId: string | null;
  constraints: Constraint[] | null;
  creationTimestamp: string;
  expirationTimestamp: string | null;
  storeId: string | null;
  providerMetadata: ProviderMetadata | null;
  releaseEnvironment: ReleaseEnvironment | null;
  checkoutButtonText: string | null;
  deliverySpecifications: unknown | null;
  tokens: unknown | null;
}

export interface Limits {
  amountLimit: Price | null;
  amountBalance: Price | null;
}

export interface ChargePermission {
  chargePermissionId: string;
  chargePermissionReferenceId: string | null;
  platformId: string | null;
  buyer: Buyer | null;
  shippingAddress: Address | null;
  billingAddress: Address | null;
  paymentPreferences: PaymentPreference[] | null;
  statusDetails: ChargePermissionStatusDetails;
  creationTimestamp: string;
  expirationTimestamp: string | null;
  merchantMetadata: MerchantMetadata | null;
  releaseEnvironment: ReleaseEnvironment;
  limits: Limits | null;
  chargePermissionType: ChargePermissionType;
  recurringMetadata: RecurringMetadata | null;
  presentmentCurrency: string | null;
}

export interface Charge {
  chargeId: string;
  chargeAmount: Price;
  chargePermissionId: string;
  captureAmount: Price | null;
  refundedAmount: Price | null;
  softDescriptor: string | null;
  providerMetadata: ProviderMetadata | null;
  convertedAmount: Price | null;
  conversionRate: string | null;
  channel: string | null;
  chargeInitiator: string | null;
  statusDetails: StatusDetails;
  creationTimestamp: string;
  expirationTimestamp: string | null;
  releaseEnvironment: ReleaseEnvironment;
  merchantMetadata: MerchantMetadata | null;
  platformId: string | null;
  webCheckoutDetails: { checkoutResultReturnUrl: string | null } | null;
}

/** Facts about the caller and the request that every operation needs. */
export interface RequestContext {
  /** Merchant namespace (the public key id without its SANDBOX-/LIVE- prefix). */
  ns: string;
  publicKeyId: string | null;
  region: Region;
  environment: Environment;
  now: number;
}

export const releaseEnvironmentOf = (env: Environment): ReleaseEnvironment => (env === 'live' ? 'Live' : 'Sandbox');
