/**
 * The fixed answer of the bare-Fastify baseline: a Checkout Session-shaped object of about 1.2 KB
 * serialized, the size the design's reference numbers were measured with.
 */
export const baselinePayload = Object.freeze({
  checkoutSessionId: 'bd504926-f659-4ad7-a1a9-9a747aaf5275',
  webCheckoutDetails: {
    checkoutReviewReturnUrl: 'https://merchant.example/review',
    checkoutResultReturnUrl: 'https://merchant.example/result',
    amazonPayRedirectUrl: null,
    checkoutMode: null,
  },
  productType: 'PayAndShip',
  paymentDetails: {
    paymentIntent: 'Authorize',
    canHandlePendingAuthorization: false,
    chargeAmount: { amount: '50.00', currencyCode: 'USD' },
    totalOrderAmount: null,
    presentmentCurrency: 'USD',
  },
  merchantMetadata: { merchantReferenceId: 'order-1', merchantStoreName: 'Demo Store' },
  buyer: { buyerId: 'amzn1.account.AH2AJM3KQVLBNZEXAMPLE', name: 'Susie Smith', email: 'susie@example.com' },
  statusDetails: { state: 'Completed', reasonCode: null, reasonDescription: null, lastUpdatedTimestamp: '20240101T000000Z' },
  shippingAddress: { name: 'Susie Smith', addressLine1: '10 Ditka Ave', city: 'Chicago', stateOrRegion: 'IL', postalCode: '60602', countryCode: 'US' },
  platformId: null,
  chargePermissionId: 'S01-5105180-3221187',
  chargeId: 'S01-5105180-3221187-C056351',
  constraints: [],
  creationTimestamp: '20240101T000000Z',
  expirationTimestamp: '20240102T000000Z',
  storeId: 'amzn1.application-oa2-client.8b5e45312b5248b69eeaStoreId01',
  releaseEnvironment: 'Sandbox',
});
