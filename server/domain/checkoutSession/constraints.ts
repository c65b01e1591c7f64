import type { CheckoutSession, Constraint } from '../types.js';

/** The open constraints of a session ("Checkout Session": constraints), in the order Amazon lists them. */
export function constraintsOf(s: CheckoutSession): Constraint[] {
  const out: Constraint[] = [];
  const setupOnly = s.chargePermissionType === 'PaymentMethodOnFile' && s.paymentMethodOnFileMetadata?.setupOnly === true;
  if (!s.webCheckoutDetails?.checkoutResultReturnUrl) out.push({ constraintId: 'CheckoutResultReturnUrlNotSet', description: 'checkoutResultReturnUrl is not set.' });
  if (!setupOnly && !s.paymentDetails?.chargeAmount) out.push({ constraintId: 'ChargeAmountNotSet', description: 'chargeAmount is not set.' });
  if (!s.paymentDetails?.paymentIntent && !setupOnly) out.push({ constraintId: 'PaymentIntentNotSet', description: 'paymentIntent is not set.' });
  if (s.chargePermissionType === 'Recurring' && !s.recurringMetadata?.frequency?.unit) {
    out.push({ constraintId: 'RecurringFrequencyNotSet', description: 'recurringMetadata.frequency is not set.' });
  }
  if (!s.buyer) {
    out.push({
      constraintId: 'BuyerNotAssociated',
      description: 'There is no buyer associated with the Checkout Session. Return the checkout session id to the Amazon Pay Button to allow buyer to login.',
    });
  }
  return out;
}

/** Recomputes constraints and the redirect URL, which exists only once nothing is missing. */
export function withConstraints(s: CheckoutSession, publicUrl: string): CheckoutSession {
  const constraints = constraintsOf(s);
  const ready = constraints.length === 0 && s.statusDetails.state === 'Open';
  const redirect = ready ? `${publicUrl.replace(/\/$/, '')}/checkout/processing?amazonCheckoutSessionId=${s.checkoutSessionId}` : null;
  return {
    ...s,
    constraints,
    webCheckoutDetails: s.webCheckoutDetails ? { ...s.webCheckoutDetails, amazonPayRedirectUrl: redirect } : s.webCheckoutDetails,
  };
}
