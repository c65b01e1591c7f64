import type { LightMyRequestResponse } from 'fastify';
import { describe, expect, it } from 'vitest';
import { deref, operationById, optionalKeys, component, type Json } from '../helpers/openapiDocument.js';
import { useDocumentedApp, app, checker, storeId, sessionBody, send, createSession, usd, completedSession, expectDocumented } from './documentedApp.js';

useDocumentedApp();

describe('openapi.yaml: answers of the emulated API', () => {
  it('every documented response of createCheckoutSession matches the served shape', async () => {
    const res = await send(app, 'POST', '/sandbox/v2/checkoutSessions', sessionBody());
    expect(res.statusCode, res.payload).toBe(201);
    for (const id of ['createCheckoutSession', 'createCheckoutSessionInEnvironment']) {
      const response = deref(operationById(id).operation.responses['201']);
      expect(response.content['application/json'].schema).toEqual(component('CheckoutSession'));
    }
    const body = res.json();
    const schema = deref(component('CheckoutSession'));
    expect(Object.keys(body)).toEqual(schema.required);
    const multiAddress = optionalKeys.CheckoutSession!.keys;
    expect(Object.keys(body)).toEqual(Object.keys(schema.properties).filter((k) => !multiAddress.includes(k)));

    // Nested objects too: exactly their documented keys, in order.
    const sameKeys = (value: Json, node: Json, where: string) => {
      const s = deref(node);
      if (value === null || typeof value !== 'object') return;
      if (Array.isArray(value)) return value.forEach((item, i) => sameKeys(item, s.items, `${where}[${i}]`));
      if (!s.properties) return;
      expect(Object.keys(value), where).toEqual(s.required);
      for (const [key, child] of Object.entries(value)) sameKeys(child, s.properties[key], `${where}.${key}`);
    };
    sameKeys(body, component('CheckoutSession'), 'CheckoutSession');

    await expectDocumented('createCheckoutSessionInEnvironment', res);
    const key = { 'x-amz-pay-idempotency-key': 'openapi-replay-key' };
    const first = await send(app, 'POST', '/sandbox/v2/checkoutSessions/', sessionBody(), key);
    const replay = await send(app, 'POST', '/sandbox/v2/checkoutSessions', sessionBody(), key);
    expect(replay.statusCode).toBe(201);
    expect(replay.payload).toBe(first.payload);
    await expectDocumented('createCheckoutSessionInEnvironment', replay);
    const bare = await send(app, 'POST', '/v2/checkoutSessions', sessionBody(), { authorization: 'AMZN-PAY-RSASSA-PSS PublicKeyId=SANDBOX-OPENAPITEST, SignedHeaders=x-amz-pay-date, Signature=x' });
    expect(bare.statusCode, bare.payload).toBe(201);
    await expectDocumented('createCheckoutSession', bare);

    // A multi-address session has the two optional keys, right after shippingAddress.
    const multi = await send(app, 'POST', '/sandbox/v2/checkoutSessions', { ...sessionBody(), multiAddressesCheckoutMetadata: [{ addressId: 'a1', price: { amount: 20, currencyCode: 'USD' } }, { addressId: 'a2' }] });
    expect(multi.statusCode, multi.payload).toBe(201);
    expect(Object.keys(multi.json())).toEqual(Object.keys(schema.properties));
    expect(multi.json().shippingAddressList).toHaveLength(2);
    await expectDocumented('createCheckoutSessionInEnvironment', multi);
    const multiDone = await send(app, 'POST', `/sandbox/v2/checkoutSessions/${multi.json().checkoutSessionId}/complete`, { chargeAmount: { amount: '50', currencyCode: 'USD' } });
    expect(multiDone.statusCode, multiDone.payload).toBe(200);
    await expectDocumented('completeCheckoutSessionInEnvironment', multiDone);
  });

  it('accepts and rejects request bodies as documented', async () => {
    const createSchema = component('CreateCheckoutSessionRequest');
    expect(await checker.check(createSchema, sessionBody())).toBeNull();
    expect(await checker.check(createSchema, { ...sessionBody(), paymentDetails: { chargeAmount: { amount: 50, currencyCode: 'USD' } } })).toBeNull();
    expect(await checker.check(createSchema, { ...sessionBody(), unknownField: 1 })).not.toBeNull();
    const unknown = await send(app, 'POST', '/sandbox/v2/checkoutSessions', { ...sessionBody(), unknownField: 1 });
    expect(unknown.json().reasonCode).toBe('UnrecognizedField');

    const tooLong = { ...sessionBody(), merchantMetadata: { merchantStoreName: 'x'.repeat(51) } };
    expect(await checker.check(createSchema, tooLong)).not.toBeNull();
    expect((await send(app, 'POST', '/sandbox/v2/checkoutSessions', tooLong)).json().reasonCode).toBe('InvalidParameterValue');

    expect(await checker.check(component('UpdateCheckoutSessionRequest'), { storeId })).not.toBeNull();
    expect(await checker.check(component('CompleteCheckoutSessionRequest'), { chargeAmount: { amount: '50.00', currencyCode: 'USD' } })).toBeNull();
    expect(await checker.check(component('ClockChange'), { advanceSeconds: 60, frozen: true, set: '2030-01-01T00:00:00Z' })).toBeNull();
    expect(await checker.check(component('ScenarioDocument'), { rules: [{ name: 'a', match: { operation: '*' }, outcome: { kind: 'normal' } }] })).toBeNull();
    expect(await checker.check(component('ScenarioDocument'), [{ name: 'a', match: { operation: 'getCheckoutSession' }, outcome: { kind: 'error', reasonCode: 'SoftDeclined' }, times: 1 }])).toBeNull();
    expect(await checker.check(component('ScenarioDocument'), { name: 'a', match: { operation: 'captureCharge' }, outcome: { kind: 'simulate', code: 'CaptureInitiated' } })).toBeNull();
    expect(await checker.check(component('ScenarioDocument'), { name: 'a', match: { operation: 'refund' }, outcome: { kind: 'normal' } })).not.toBeNull();

    // The lifecycle bodies.
    const charge = { chargePermissionId: 'S01-0000000-0000000', chargeAmount: { amount: 5, currencyCode: 'USD' } };
    expect(await checker.check(component('CreateChargeRequest'), { ...charge, captureNow: true, softDescriptor: 'NOW', channel: 'Web', chargeInitiator: null })).toBeNull();
    expect(await checker.check(component('CreateChargeRequest'), { ...charge, chargeAmount: null }), 'a transaction amount is required').not.toBeNull();
    expect(await checker.check(component('CreateChargeRequest'), { ...charge, captureNow: 'yes' })).not.toBeNull();
    expect((await send(app, 'POST', '/sandbox/v2/charges', { ...charge, captureNow: 'yes' })).json().reasonCode).toBe('InvalidParameterValue');
    expect(await checker.check(component('CaptureChargeRequest'), { captureAmount: { amount: '5.00', currencyCode: 'USD' } })).toBeNull();
    expect(await checker.check(component('CreateRefundRequest'), { chargeId: 'x', refundAmount: { amount: '5.00', currencyCode: 'USD' }, softDescriptor: 'R'.repeat(17) })).not.toBeNull();
    expect(await checker.check(component('UpdateChargeRequest'), { statusDetails: { state: 'Declined', reasonCode: 'SoftDeclined' } })).toBeNull();
    expect(await checker.check(component('UpdateChargeRequest'), { statusDetails: {} })).not.toBeNull();
    expect(await checker.check(component('CancelChargeRequest'), {})).toBeNull();
    expect(await checker.check(component('CloseChargePermissionRequest'), { closureReason: null, cancelPendingCharges: true })).toBeNull();
    expect(await checker.check(component('UpdateChargePermissionRequest'), { recurringMetadata: { frequency: { unit: 'Month', value: 1 } } })).toBeNull();
    expect(await checker.check(component('FinalizeCheckoutSessionRequest'), { chargeAmount: charge.chargeAmount, paymentIntent: 'Authorize', shippingAddress: { city: 'Seattle' } })).toBeNull();
    expect(await checker.check(component('FinalizeCheckoutSessionRequest'), { chargeAmount: charge.chargeAmount })).not.toBeNull();
    const detail = { trackingNumber: '1Z', carrierCode: 'UPS' };
    expect(await checker.check(component('DeliveryTrackerRequest'), { chargePermissionId: 'S01-0000000-0000000', deliveryDetails: [detail] })).toBeNull();
    expect(await checker.check(component('DeliveryTrackerRequest'), { chargePermissionId: 'S01-0000000-0000000', deliveryDetails: Array(11).fill(detail) })).not.toBeNull();
    expect(await checker.check(component('IssueBuyerTokenRequest'), { buyer: { name: 'A', primeMembershipTypes: ['Prime'] }, billingAddress: { countryCode: 'DE' } })).toBeNull();
    expect(await checker.check(component('IssueBuyerTokenRequest'), { buyer: { name: 'A' }, billingAddress: { countryCode: 'de' } })).not.toBeNull();
  });

  it('answers the Checkout Session operations with documented statuses and bodies', async () => {
    const id = await createSession();
    await expectDocumented('getCheckoutSessionInEnvironment', await send(app, 'GET', `/sandbox/v2/checkoutSessions/${id}`));
    await expectDocumented('getCheckoutSessionInEnvironment', await send(app, 'GET', `/sandbox/v2/checkoutSessions/${id}/`));
    const updated = await send(app, 'PATCH', `/sandbox/v2/checkoutSessions/${id}`, { merchantMetadata: { noteToBuyer: 'Thanks' } });
    expect(updated.statusCode, updated.payload).toBe(200);
    await expectDocumented('updateCheckoutSessionInEnvironment', updated);

    const completed = await send(app, 'POST', `/sandbox/v2/checkoutSessions/${id}/complete`, { chargeAmount: { amount: 50, currencyCode: 'USD' } });
    expect(completed.statusCode, completed.payload).toBe(200);
    const sparse = completed.json();
    expect(Object.keys(sparse)).toEqual(deref(component('CheckoutSession')).required);
    expect(sparse.chargeId).toMatch(new RegExp(deref(component('CheckoutSession')).properties.chargeId.pattern));
    await expectDocumented('completeCheckoutSessionInEnvironment', completed);

    // A pending authorization: 202.
    const pendingId = await createSession({ canHandlePendingAuthorization: true });
    const approved = await send(app, 'POST', `/__admin/checkoutSessions/${pendingId}/approve`, { card: '0701' });
    expect(approved.statusCode, approved.payload).toBe(200);
    await expectDocumented('approveCheckoutSession', approved);
    const pending = await send(app, 'POST', `/sandbox/v2/checkoutSessions/${pendingId}/complete`, { chargeAmount: { amount: '50.00', currencyCode: 'USD' } });
    expect(pending.statusCode, pending.payload).toBe(202);
    await expectDocumented('completeCheckoutSessionInEnvironment', pending);
  });

  it('answers the Charge Permission, Charge, Refund and account operations with documented statuses and bodies', async () => {
    const v2 = '/sandbox/v2';
    const advance = async () => {
      const moved = await send(app, 'POST', '/__admin/clock', { advanceSeconds: app.mock.config.pendingDelaySeconds + 1 });
      expect(moved.statusCode, moved.payload).toBe(200);
    };
    const expectState = (res: LightMyRequestResponse, status: number, state: string) => {
      expect(res.statusCode, res.payload).toBe(status);
      expect(res.json().statusDetails.state, res.payload).toBe(state);
    };

    // Finalize (Buy Now): the buyer's address echoed; the sparse answer has cartDetails after paymentDetails.
    const finalizeId = await createSession();
    const address = (await send(app, 'GET', `${v2}/checkoutSessions/${finalizeId}`)).json().shippingAddress;
    const finalized = await send(app, 'POST', `${v2}/checkoutSessions/${finalizeId}/finalize`, { chargeAmount: usd('20.00'), paymentIntent: 'AuthorizeWithCapture', shippingAddress: address });
    expectState(finalized, 200, 'Completed');
    expect(Object.keys(finalized.json())).toEqual(deref(component('FinalizedCheckoutSession')).required);
    await expectDocumented('finalizeCheckoutSessionInEnvironment', finalized);
    const capturedAtOnce = await send(app, 'GET', `${v2}/charges/${finalized.json().chargeId}`);
    expectState(capturedAtOnce, 200, 'Captured');
    await expectDocumented('getChargeInEnvironment', capturedAtOnce);
    const pendingFinalizeId = await createSession();
    const pendingFinalized = await send(
      app, 'POST', `${v2}/checkoutSessions/${pendingFinalizeId}/finalize`,
      { chargeAmount: usd(50), paymentIntent: 'Authorize', canHandlePendingAuthorization: true, shippingAddress: address, supplementaryData: '{"a":1}' },
      { 'x-amz-pay-simulation-code': 'AuthorizationInitiated', 'x-amz-pay-idempotency-key': null },
    );
    expectState(pendingFinalized, 202, 'Completed');
    await expectDocumented('finalizeCheckoutSessionInEnvironment', pendingFinalized);
    expectState(await send(app, 'GET', `${v2}/charges/${pendingFinalized.json().chargeId}`), 200, 'AuthorizationInitiated');

    // A OneTime permission: NonChargeable while its charge is open, Chargeable again once captured.
    const { chargeId, chargePermissionId } = await completedSession();
    const permission = await send(app, 'GET', `${v2}/chargePermissions/${chargePermissionId}`);
    expectState(permission, 200, 'NonChargeable');
    await expectDocumented('getChargePermissionInEnvironment', permission);
    await expectDocumented('getChargeInEnvironment', await send(app, 'GET', `${v2}/charges/${chargeId}`));
    const captured = await send(app, 'POST', `${v2}/charges/${chargeId}/capture`, { captureAmount: usd('30.00'), softDescriptor: 'DEMO' });
    expectState(captured, 200, 'Captured');
    await expectDocumented('captureChargeInEnvironment', captured);
    const chargeable = await send(app, 'GET', `${v2}/chargePermissions/${chargePermissionId}`);
    expectState(chargeable, 200, 'Chargeable');
    expect(chargeable.json().limits.amountBalance).toEqual(usd('20.00'));
    await expectDocumented('getChargePermissionInEnvironment', chargeable);
    const updated = await send(app, 'PATCH', `${v2}/chargePermissions/${chargePermissionId}`, { merchantMetadata: { merchantReferenceId: 'order-2' } });
    expectState(updated, 200, 'Chargeable');
    await expectDocumented('updateChargePermissionInEnvironment', updated);

    // Refunds: RefundInitiated, then Refunded (or Declined with the simulation code).
    const refund = await send(app, 'POST', `${v2}/refunds`, { chargeId, refundAmount: usd(10), softDescriptor: 'REFUND' });
    expectState(refund, 201, 'RefundInitiated');
    await expectDocumented('createRefundInEnvironment', refund);
    const declinedRefund = await send(app, 'POST', `${v2}/refunds`, { chargeId, refundAmount: usd('5.00') }, { 'x-amz-pay-simulation-code': 'RefundDeclined' });
    expectState(declinedRefund, 201, 'RefundInitiated');
    await expectDocumented('getRefundInEnvironment', await send(app, 'GET', `${v2}/refunds/${refund.json().refundId}`));
    await advance();
    const refunded = await send(app, 'GET', `${v2}/refunds/${refund.json().refundId}`);
    expectState(refunded, 200, 'Refunded');
    await expectDocumented('getRefundInEnvironment', refunded);
    const refusedRefund = await send(app, 'GET', `${v2}/refunds/${declinedRefund.json().refundId}/`);
    expectState(refusedRefund, 200, 'Declined');
    expect(refusedRefund.json().statusDetails.reasonCode).toBe('AmazonRejected');
    await expectDocumented('getRefundInEnvironment', refusedRefund);
    const afterRefunds = await send(app, 'GET', `${v2}/charges/${chargeId}`);
    expect(afterRefunds.json().refundedAmount).toEqual(usd('10.00'));
    await expectDocumented('getChargeInEnvironment', afterRefunds);

    // More charges on the permission: Authorized and canceled, captured at once, pending and
    // reported by a PSP, captured asynchronously, declined later.
    const chargeBody = {
      chargePermissionId, chargeAmount: usd(5), merchantMetadata: { merchantReferenceId: 'order-2b' }, providerMetadata: { providerReferenceId: 'psp-1' },
      platformId: 'platform-1', channel: 'Phone', chargeInitiator: 'MITU', webCheckoutDetails: { checkoutResultReturnUrl: 'https://merchant.example/result' },
    };
    const chargeKey = { 'x-amz-pay-idempotency-key': 'openapi-charge-key' };
    const created = await send(app, 'POST', `${v2}/charges`, chargeBody, chargeKey);
    expectState(created, 201, 'Authorized');
    await expectDocumented('createChargeInEnvironment', created);
    const replayed = await send(app, 'POST', `${v2}/charges/`, chargeBody, chargeKey);
    expect(replayed.statusCode).toBe(201);
    expect(replayed.payload).toBe(created.payload);
    await expectDocumented('createChargeInEnvironment', replayed);
    const canceled = await send(app, 'DELETE', `${v2}/charges/${created.json().chargeId}/cancel`, { cancellationReason: 'Out of stock' });
    expectState(canceled, 200, 'Canceled');
    expect(canceled.json().statusDetails).toMatchObject({ reasonCode: 'MerchantCanceled', reasonDescription: 'Out of stock' });
    await expectDocumented('cancelChargeInEnvironment', canceled);
    const atOnce = await send(app, 'POST', `${v2}/charges`, { chargePermissionId, chargeAmount: usd('5.00'), captureNow: true, softDescriptor: 'NOW' });
    expectState(atOnce, 201, 'Captured');
    await expectDocumented('createChargeInEnvironment', atOnce);
    const pendingCharge = await send(app, 'POST', `${v2}/charges`, { chargePermissionId, chargeAmount: usd(5), canHandlePendingAuthorization: true }, { 'x-amz-pay-simulation-code': 'AuthorizationInitiated' });
    expectState(pendingCharge, 201, 'AuthorizationInitiated');
    await expectDocumented('createChargeInEnvironment', pendingCharge);
    const reported = await send(app, 'PATCH', `${v2}/charges/${pendingCharge.json().chargeId}`, { statusDetails: { state: 'Authorized' } });
    expectState(reported, 200, 'Authorized');
    await expectDocumented('updateChargeInEnvironment', reported);
    const lateCapture = await send(app, 'POST', `${v2}/charges/${pendingCharge.json().chargeId}/capture`, { captureAmount: usd(5) }, { 'x-amz-pay-simulation-code': ' CaptureInitiated ' });
    expectState(lateCapture, 200, 'CaptureInitiated');
    await expectDocumented('captureChargeInEnvironment', lateCapture);
    await advance();
    expectState(await send(app, 'GET', `${v2}/charges/${pendingCharge.json().chargeId}`), 200, 'Captured');
    const declinedLater = await send(app, 'POST', `${v2}/charges`, { chargePermissionId, chargeAmount: usd(1), canHandlePendingAuthorization: true }, { 'x-amz-pay-simulation-code': 'SoftDeclined' });
    expectState(declinedLater, 201, 'AuthorizationInitiated');
    await advance();
    const declined = await send(app, 'GET', `${v2}/charges/${declinedLater.json().chargeId}`);
    expectState(declined, 200, 'Declined');
    expect(declined.json().statusDetails.reasonCode).toBe('SoftDeclined');
    await expectDocumented('getChargeInEnvironment', declined);

    // Close with cancelPendingCharges: the open charge is canceled with the permission.
    const open = await send(app, 'POST', `${v2}/charges`, { chargePermissionId, chargeAmount: usd(1) });
    expectState(open, 201, 'Authorized');
    const closed = await send(app, 'DELETE', `${v2}/chargePermissions/${chargePermissionId}/close`, { closureReason: 'Order shipped', cancelPendingCharges: true });
    expectState(closed, 200, 'Closed');
    expect(closed.json().statusDetails.reasons).toEqual([{ reasonCode: 'MerchantClosed', reasonDescription: 'Order shipped' }]);
    await expectDocumented('closeChargePermissionInEnvironment', closed);
    const canceledWithIt = await send(app, 'GET', `${v2}/charges/${open.json().chargeId}`);
    expectState(canceledWithIt, 200, 'Canceled');
    expect(canceledWithIt.json().statusDetails.reasonCode).toBe('ChargePermissionCanceled');
    await expectDocumented('getChargeInEnvironment', canceledWithIt);
    // Closed by Amazon (the simulation code), with no body at all.
    const byAmazon = await completedSession();
    const amazonClosed = await app.inject({ method: 'DELETE', url: `${v2}/chargePermissions/${byAmazon.chargePermissionId}/close`, headers: { 'x-amz-pay-simulation-code': 'AmazonClosed' } });
    expectState(amazonClosed, 200, 'Closed');
    expect(amazonClosed.json().statusDetails.reasons[0].reasonCode).toBe('AmazonClosed');
    await expectDocumented('closeChargePermissionInEnvironment', amazonClosed);

    // A Recurring permission: C01- ids, no limits, recurringMetadata can be updated; its charges hang off a fresh base.
    const recurring = await completedSession({ ...sessionBody(), chargePermissionType: 'Recurring', recurringMetadata: { frequency: { unit: 'Month', value: 1 }, amount: usd(50) } });
    expect(recurring.chargePermissionId).toMatch(/^C01-/);
    const recurringPermission = await send(app, 'GET', `${v2}/chargePermissions/${recurring.chargePermissionId}`);
    expect(recurringPermission.json().limits).toEqual({ amountLimit: null, amountBalance: null });
    await expectDocumented('getChargePermissionInEnvironment', recurringPermission);
    const recurringUpdated = await send(app, 'PATCH', `${v2}/chargePermissions/${recurring.chargePermissionId}`, { recurringMetadata: { frequency: { unit: 'Week', value: '2' } } });
    expect(recurringUpdated.json().recurringMetadata).toEqual({ frequency: { unit: 'Week', value: '2' }, amount: usd('50.00') });
    await expectDocumented('updateChargePermissionInEnvironment', recurringUpdated);
    const recurringCharge = await send(app, 'POST', `${v2}/charges`, { chargePermissionId: recurring.chargePermissionId, chargeAmount: usd(50) });
    expectState(recurringCharge, 201, 'Authorized');
    expect(recurringCharge.json().chargeId).not.toContain(recurring.chargePermissionId.slice(4));
    await expectDocumented('createChargeInEnvironment', recurringCharge);

    // Delivery trackers, by charge permission (no idempotency key) and by a v1 order reference.
    const tracker = await send(app, 'POST', `${v2}/deliveryTrackers`, { chargePermissionId, deliveryDetails: [{ trackingNumber: '1Z999AA10123456784', carrierCode: 'UPS' }] }, { 'x-amz-pay-idempotency-key': null });
    expect(tracker.statusCode, tracker.payload).toBe(200);
    await expectDocumented('deliveryTrackersInEnvironment', tracker);
    const v1Tracker = await send(app, 'POST', `${v2}/deliveryTrackers`, { amazonOrderReferenceId: 'S01-0000000-0000000', deliveryDetails: [{ trackingNumber: 'A', carrierCode: 'DHL' }, { trackingNumber: 'B', carrierCode: 'DHL' }] });
    expect(v1Tracker.json().chargePermissionId).toBeNull();
    await expectDocumented('deliveryTrackersInEnvironment', v1Tracker);

    // Authorization tokens and buyers, under /sandbox/v2 and, with an environment-specific key, bare /v2.
    const keyed = { authorization: 'AMZN-PAY-RSASSA-PSS PublicKeyId=SANDBOX-OPENAPITEST, SignedHeaders=x-amz-pay-date, Signature=x' };
    await expectDocumented('getAuthorizationTokenInEnvironment', await send(app, 'GET', `${v2}/authorizationTokens/amzn.mws.4ea38b7b?merchantId=A2Q1EXAMPLE`));
    const token = await send(app, 'GET', '/v2/authorizationTokens/amzn.mws.4ea38b7b?merchantId=A2Q1EXAMPLE', undefined, keyed);
    expect(token.statusCode, token.payload).toBe(200);
    await expectDocumented('getAuthorizationToken', token);
    const issued = await send(app, 'POST', '/__admin/buyers?merchant=SANDBOX-OPENAPITEST&region=eu', { buyer: { name: 'Erika Mustermann', primeMembershipTypes: ['Prime'] }, shippingAddress: { city: 'Hamburg' } });
    expect(issued.statusCode, issued.payload).toBe(201);
    expect(issued.json().buyer).toMatchObject({ name: 'Erika Mustermann', countryCode: 'DE', primeMembershipTypes: ['Prime'] });
    await expectDocumented('issueBuyerToken', issued);
    const buyer = await send(app, 'GET', `/v2/buyers/${issued.json().buyerToken}`, undefined, keyed);
    expect(buyer.statusCode, buyer.payload).toBe(200);
    expect(buyer.json()).toEqual(issued.json().buyer);
    await expectDocumented('getBuyer', buyer);
    const anonymous = await send(app, 'POST', '/__admin/buyers?merchant=anonymous');
    expect(anonymous.statusCode, anonymous.payload).toBe(201);
    await expectDocumented('issueBuyerToken', anonymous);
    await expectDocumented('getBuyerInEnvironment', await send(app, 'GET', `${v2}/buyers/${anonymous.json().buyerToken}`));
  });
});
