/** CheckoutSession keys in the order the Node SDK's integration test asserts. */
export const sessionKeys = [
  'checkoutSessionId', 'webCheckoutDetails', 'productType', 'paymentDetails', 'chargePermissionType', 'orderType',
  'recurringMetadata', 'paymentMethodOnFileMetadata', 'merchantDetails', 'merchantMetadata', 'supplementaryData', 'buyer',
  'billingAddress', 'paymentPreferences', 'statusDetails', 'shippingAddress', 'platformId', 'chargePermissionId', 'chargeId',
  'constraints', 'creationTimestamp', 'expirationTimestamp', 'storeId', 'providerMetadata', 'releaseEnvironment',
  'checkoutButtonText', 'deliverySpecifications', 'tokens',
];
