/** Names of the emulated operations, as the SDKs name their methods; used by routes, scenarios and the journal. */
export const operationNames = [
  'createCheckoutSession',
  'getCheckoutSession',
  'updateCheckoutSession',
  'completeCheckoutSession',
] as const;

export type OperationName = (typeof operationNames)[number];
