import { bool, merchantMetadataSchema, obj, oneOf, str, transactionPrice, url, type Fields } from '../validation.js';

export const channels = ['Web', 'Phone', 'App', 'Alexa', 'PointOfSale', 'FireTv', 'Offline', 'Amazon'] as const;
export const chargeInitiators = ['CITU', 'MITU', 'CITR', 'MITR'] as const;

/** Create Charge body (Amazon Pay API reference: "Charge"). */
export const createChargeFields = {
  chargePermissionId: str(64),
  chargeAmount: transactionPrice,
  captureNow: bool,
  softDescriptor: str(16),
  canHandlePendingAuthorization: bool,
  merchantMetadata: merchantMetadataSchema,
  providerMetadata: obj({ providerReferenceId: str(256) }),
  platformId: str(64),
  chargeInitiator: oneOf(...chargeInitiators),
  channel: oneOf(...channels),
  webCheckoutDetails: obj({ checkoutResultReturnUrl: url }),
} satisfies Fields;

export const captureChargeFields = {
  captureAmount: transactionPrice,
  softDescriptor: str(16),
} satisfies Fields;

/** Cancel Charge body (DELETE with JSON); the 255 limit is UNCONFIRMED (docs/amazon-pay-notes.md, "Field length limits"). */
export const cancelChargeFields = {
  cancellationReason: str(255),
} satisfies Fields;

/** Update Charge (PSP): the status the PSP reports. */
export const updateChargeFields = {
  statusDetails: obj(
    {
      state: oneOf('Authorized', 'Captured', 'Declined', 'Canceled'),
      reasonCode: str(64),
    },
    ['state'],
  ),
} satisfies Fields;
