import { currencies } from '../money.js';
import { addressSchema, bool, merchantMetadataSchema, obj, oneOf, pickFields, priceSchema, str, url, type Fields, type Schema } from '../validation.js';

const paymentIntent = oneOf('Confirm', 'Authorize', 'AuthorizeWithCapture');
const chargePermissionType = oneOf('OneTime', 'Recurring', 'PaymentMethodOnFile');
/** recurringMetadata, as Create/Update Checkout Session and Update Charge Permission take it. */
export const recurringMetadataSchema = obj({
  frequency: obj({ unit: oneOf('Year', 'Month', 'Week', 'Day', 'Variable'), value: { type: 'amountOrNumberString' } }),
  amount: priceSchema,
});
const providerMetadata = obj({ providerReferenceId: str(256) });
/**
 * deliverySpecifications.addressRestrictions.restrictions: country code -> the states/regions and
 * postal codes that are allowed or not (Checkout Session docs, "Restriction"). A fixed shape, so
 * its depth and size are bounded like every other field.
 */
const addressRestrictionMap = {
  type: 'map',
  keys: /^[A-Z]{2}$/,
  max: 250,
  values: obj({ statesOrRegions: { type: 'array', items: str(50), max: 200 }, zipCodes: { type: 'array', items: str(20), max: 1000 } }),
} satisfies Schema;
export const multiAddressesSchema = { type: 'array', items: obj({ addressId: str(256), price: priceSchema }, ['addressId']), max: 100 } satisfies Schema;

/** paymentDetails as Create and Update Checkout Session take it. */
export const paymentDetailsSchema = obj({
  paymentIntent,
  canHandlePendingAuthorization: bool,
  chargeAmount: priceSchema,
  totalOrderAmount: priceSchema,
  presentmentCurrency: oneOf(...currencies),
  softDescriptor: str(16),
  allowOvercharge: bool,
  extendExpiration: bool,
  estimateOrderTotal: priceSchema,
});

/** Fields Create Checkout Session accepts ("Checkout Session": request parameters). */
export const createSessionFields = {
  storeId: { type: 'string', max: 128, pattern: /^amzn1\.application-oa2-client\.[A-Za-z0-9]+$/ },
  webCheckoutDetails: obj({ checkoutReviewReturnUrl: url, checkoutResultReturnUrl: url, checkoutCancelUrl: url, checkoutMode: oneOf('ProcessOrder') }),
  chargePermissionType,
  recurringMetadata: recurringMetadataSchema,
  paymentMethodOnFileMetadata: obj({ setupOnly: bool }),
  chargePermissionId: str(64),
  scopes: { type: 'array', items: oneOf('name', 'email', 'postalCode', 'shippingAddress', 'phoneNumber', 'primeStatus', 'billingAddress'), max: 7 },
  deliverySpecifications: obj({
    specialRestrictions: { type: 'array', items: oneOf('RestrictPOBoxes', 'RestrictPackstations'), max: 2 },
    addressRestrictions: obj({ type: oneOf('Allowed', 'NotAllowed'), restrictions: addressRestrictionMap }),
  }),
  addressDetails: addressSchema,
  paymentDetails: paymentDetailsSchema,
  merchantMetadata: merchantMetadataSchema,
  supplementaryData: str(1024),
  platformId: str(64),
  providerMetadata,
  multiAddressesCheckoutMetadata: multiAddressesSchema,
} satisfies Fields;

/** The subset Update Checkout Session accepts (the fields "Checkout Session" lists for Update); of webCheckoutDetails only the result URL. */
export const updateSessionFields = {
  webCheckoutDetails: obj({ checkoutResultReturnUrl: url }),
  ...pickFields(createSessionFields, ['chargePermissionType', 'recurringMetadata', 'paymentDetails', 'merchantMetadata', 'supplementaryData', 'platformId', 'providerMetadata', 'multiAddressesCheckoutMetadata']),
} satisfies Fields;

/** Complete Checkout Session body ("Checkout Session"). */
export const completeSessionFields = {
  chargeAmount: priceSchema,
  totalOrderAmount: priceSchema,
} satisfies Fields;
