/** Names of the emulated operations, as the SDKs name their methods; used by routes, scenarios and the journal. */
export const operationNames = [
  'createCheckoutSession',
  'getCheckoutSession',
  'updateCheckoutSession',
  'completeCheckoutSession',
  'finalizeCheckoutSession',
  'getChargePermission',
  'updateChargePermission',
  'closeChargePermission',
  'createCharge',
  'getCharge',
  'updateCharge',
  'captureCharge',
  'cancelCharge',
  'createRefund',
  'getRefund',
  'getBuyer',
  'deliveryTrackers',
  'getAuthorizationToken',
] as const;

export type OperationName = (typeof operationNames)[number];
