import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { LightMyRequestResponse } from 'fastify';
import { describe, expect, it } from 'vitest';
import { buildApp } from '../../server/app.js';
import { operationNames } from '../../server/domain/operationNames.js';
import { formatTimestamp } from '../../server/domain/time.js';
import { MemoryStore } from '../../server/store/memoryStore.js';
import { testConfig } from '../helpers/testApp.js';
import { deref, documentedOperations, operationById, same, type Json } from '../helpers/openapiDocument.js';
import { useDocumentedApp, app, storeId, sessionBody, send, createSession, usd, completedSession, expectDocumented } from './documentedApp.js';

useDocumentedApp();

describe('openapi.yaml: the error answers', () => {
  it('answers every probed error with a documented status and reason code', async () => {
    const probes: { operationId: string; call: () => Promise<LightMyRequestResponse>; reasonCode: string }[] = [];
    const probe = (operationId: string, reasonCode: string, call: () => Promise<LightMyRequestResponse>) => probes.push({ operationId, reasonCode, call });
    const env = '/sandbox/v2/checkoutSessions';

    probe('createCheckoutSessionInEnvironment', 'UnrecognizedField', () => send(app, 'POST', env, { ...sessionBody(), checkoutMode: 'x' }));
    probe('createCheckoutSessionInEnvironment', 'MissingParameterValue', () => send(app, 'POST', env, {}));
    probe('createCheckoutSessionInEnvironment', 'InvalidRequestFormat', () => send(app, 'POST', env, '{"storeId":'));
    probe('createCheckoutSessionInEnvironment', 'InvalidParameterValue', () => send(app, 'POST', env, { ...sessionBody(), scopes: ['everything'] }));
    probe('createCheckoutSessionInEnvironment', 'CurrencyMismatch', () => send(app, 'POST', env, sessionBody({ chargeAmount: { amount: '5', currencyCode: 'EUR' } })));
    probe('createCheckoutSessionInEnvironment', 'ResourceNotFound', () => send(app, 'POST', '/staging/v2/checkoutSessions', sessionBody()));
    probe('createCheckoutSessionInEnvironment', 'RequestEntityTooLarge', () => send(app, 'POST', env, { storeId: 'x'.repeat(2_000_000) }));
    probe('createCheckoutSession', 'InvalidRequest', () => send(app, 'POST', '/v2/checkoutSessions', sessionBody()));
    probe('createCheckoutSessionInEnvironment', 'MissingHeader', () => send(app, 'POST', env, sessionBody(), { 'x-amz-pay-idempotency-key': null }));
    probe('createCheckoutSessionInEnvironment', 'MissingHeaderValue', () => send(app, 'POST', env, sessionBody(), { 'x-amz-pay-idempotency-key': '' }));
    probe('createCheckoutSessionInEnvironment', 'InvalidHeaderValue', () => send(app, 'POST', env, sessionBody(), { 'x-amz-pay-idempotency-key': 'k'.repeat(33) }));
    const usedKey = { 'x-amz-pay-idempotency-key': 'openapi-used-key' };
    expect((await send(app, 'POST', env, sessionBody(), usedKey)).statusCode).toBe(201);
    probe('createCheckoutSessionInEnvironment', 'DuplicateIdempotencyKey', () => send(app, 'POST', env, { ...sessionBody(), platformId: 'other' }, usedKey));
    probe('getCheckoutSessionInEnvironment', 'ResourceNotFound', () => send(app, 'GET', `${env}/no-such-session`));
    probe('getCheckoutSessionInEnvironment', 'InvalidHeaderValue', () => send(app, 'GET', `${env}/no-such-session`, undefined, { 'x-amz-pay-region': 'mars' }));

    const completedId = await createSession();
    expect((await send(app, 'POST', `${env}/${completedId}/complete`, { chargeAmount: { amount: '50', currencyCode: 'USD' } })).statusCode).toBe(200);
    probe('updateCheckoutSessionInEnvironment', 'InvalidCheckoutSessionStatus', () => send(app, 'PATCH', `${env}/${completedId}`, { platformId: 'p' }));
    probe('completeCheckoutSessionInEnvironment', 'InvalidCheckoutSessionStatus', () => send(app, 'POST', `${env}/${completedId}/complete`, { chargeAmount: { amount: '50', currencyCode: 'USD' } }));
    probe('approveCheckoutSession', 'InvalidCheckoutSessionStatus', () => send(app, 'POST', `/__admin/checkoutSessions/${completedId}/approve`, {}));

    const openId = await createSession();
    probe('completeCheckoutSessionInEnvironment', 'AmountMismatch', () => send(app, 'POST', `${env}/${openId}/complete`, { chargeAmount: { amount: '49.99', currencyCode: 'USD' } }));
    probe('completeCheckoutSessionInEnvironment', 'MissingParameterValue', () => send(app, 'POST', `${env}/${openId}/complete`, {}));
    const completeKey = { 'x-amz-pay-idempotency-key': 'openapi-complete-key' };
    expect((await send(app, 'POST', `${env}/${openId}/complete`, { chargeAmount: { amount: '1', currencyCode: 'USD' } }, completeKey)).statusCode).toBe(409);
    probe('completeCheckoutSessionInEnvironment', 'DuplicateIdempotencyKey', () => send(app, 'POST', `${env}/${openId}/complete`, { chargeAmount: { amount: '2', currencyCode: 'USD' } }, completeKey));
    probe('updateCheckoutSessionInEnvironment', 'UnrecognizedField', () => send(app, 'PATCH', `${env}/${openId}`, { storeId }));
    probe('updateCheckoutSessionInEnvironment', 'MissingParameterValue', () => send(app, 'PATCH', `${env}/${openId}`, { paymentDetails: { chargeAmount: { amount: '1' } } }));
    probe('updateCheckoutSessionInEnvironment', 'InvalidParameterValue', () => send(app, 'PATCH', `${env}/${openId}`, { platformId: 'p'.repeat(65) }));
    probe('updateCheckoutSessionInEnvironment', 'CurrencyMismatch', () => send(app, 'PATCH', `${env}/${openId}`, { paymentDetails: { chargeAmount: { amount: '1', currencyCode: 'JPY' } } }));
    probe('updateCheckoutSessionInEnvironment', 'ResourceNotFound', () => send(app, 'PATCH', `${env}/no-such-session`, {}));
    probe('updateCheckoutSessionInEnvironment', 'InvalidSandboxSimulationSpecified', () => send(app, 'PATCH', `${env}/${openId}`, {}, { 'x-amz-pay-simulation-code': 'BuyerCanceled' }));
    probe('completeCheckoutSessionInEnvironment', 'UnrecognizedField', () => send(app, 'POST', `${env}/${openId}/complete`, { chargeAmount: { amount: '50', currencyCode: 'USD' }, paymentIntent: 'Authorize' }));
    probe('completeCheckoutSessionInEnvironment', 'InvalidParameterValue', () => send(app, 'POST', `${env}/${openId}/complete`, { chargeAmount: { amount: 'fifty', currencyCode: 'USD' } }));
    probe('completeCheckoutSessionInEnvironment', 'ResourceNotFound', () => send(app, 'POST', `${env}/no-such-session/complete`, {}));
    probe('createCheckoutSessionInEnvironment', 'InvalidSandboxSimulationSpecified', () => send(app, 'POST', env, sessionBody(), { 'x-amz-pay-simulation-code': 'BuyerCanceled' }));
    probe('getCheckoutSessionInEnvironment', 'InvalidSandboxSimulationSpecified', () => send(app, 'GET', `${env}/${openId}`, undefined, { 'x-amz-pay-simulation-code': 'AuthorizationInitiated' }));

    const canceledId = await createSession();
    expect((await send(app, 'POST', `/__admin/checkoutSessions/${canceledId}/approve`, { card: '3064' })).json().statusDetails.state).toBe('Canceled');
    probe('completeCheckoutSessionInEnvironment', 'CheckoutSessionCanceled', () => send(app, 'POST', `${env}/${canceledId}/complete`, { chargeAmount: { amount: '50', currencyCode: 'USD' } }));

    const cannotPendId = await createSession();
    expect((await send(app, 'POST', `/__admin/checkoutSessions/${cannotPendId}/approve`, { card: '4354' })).statusCode).toBe(200);
    probe('completeCheckoutSessionInEnvironment', 'InvalidSandboxSimulationSpecified', () => send(app, 'POST', `${env}/${cannotPendId}/complete`, { chargeAmount: { amount: '50', currencyCode: 'USD' } }));

    // "Monthly recurring charge limits": a Recurring session charging above USD 1,000 at completion.
    const overLimit = { amount: '1000.01', currencyCode: 'USD' };
    const recurringCreated = await send(app, 'POST', env, {
      ...sessionBody({ chargeAmount: overLimit }),
      chargePermissionType: 'Recurring',
      recurringMetadata: { frequency: { unit: 'Month', value: '1' }, amount: overLimit },
    });
    expect(recurringCreated.statusCode).toBe(201);
    const recurringId = recurringCreated.json().checkoutSessionId;
    probe('completeCheckoutSessionInEnvironment', 'PeriodicAmountExceeded', () => send(app, 'POST', `${env}/${recurringId}/complete`, { chargeAmount: overLimit }));
    // "Charge Permission": a OneTime permission captures up to the order total; a charge above it at completion.
    const overTotalId = await createSession({ paymentIntent: 'AuthorizeWithCapture', chargeAmount: usd('60.00'), totalOrderAmount: usd('50.00') });
    probe('completeCheckoutSessionInEnvironment', 'TransactionAmountExceeded', () => send(app, 'POST', `${env}/${overTotalId}/complete`, { chargeAmount: usd(60), totalOrderAmount: usd(50) }));

    probe('approveCheckoutSession', 'ResourceNotFound', () => send(app, 'POST', '/__admin/checkoutSessions/no-such-session/approve', {}));
    probe('approveCheckoutSession', 'InvalidParameterValue', () => send(app, 'POST', `/__admin/checkoutSessions/${openId}/approve`, { card: '1234' }));
    probe('setClock', 'UnrecognizedField', () => send(app, 'POST', '/__admin/clock', { tick: 1 }));
    probe('setClock', 'InvalidParameterValue', () => send(app, 'POST', '/__admin/clock', { set: 'tomorrow' }));
    probe('reset', 'InvalidParameterValue', () => send(app, 'POST', '/__admin/reset?merchant=a&merchant=b'));
    probe('addScenarios', 'MissingParameterValue', () => send(app, 'POST', '/__admin/scenarios'));
    probe('addScenarios', 'InvalidParameterValue', () => send(app, 'POST', '/__admin/scenarios', { name: 'x', match: { operation: 'getCheckoutSession' }, outcome: { kind: 'pending' } }));
    probe('listScenarios', 'InvalidParameterValue', () => send(app, 'GET', '/__admin/scenarios?merchant=a&merchant=b'));
    probe('getClock', 'InvalidParameterValue', () => send(app, 'GET', '/__admin/clock?merchant='));
    probe('registerPublicKey', 'MissingParameterValue', () => send(app, 'POST', '/__admin/publicKeys', { publicKeyId: 'SANDBOX-X' }));
    probe('registerPublicKey', 'InvalidParameterValue', () => send(app, 'POST', '/__admin/publicKeys', { publicKeyId: 'SANDBOX-X', publicKey: 'not a key' }));
    probe('registerPublicKey', 'InvalidRequestFormat', () => send(app, 'POST', '/__admin/publicKeys', '"SANDBOX-X"'));
    probe('registerPublicKey', 'UnrecognizedField', () => send(app, 'POST', '/__admin/publicKeys', { publicKeyId: 'SANDBOX-X', publicKey: 'x', algorithm: 'RSA' }));
    probe('registerPublicKey', 'PublicKeyIdInUse', async () => {
      const spki = (bits: number) => generateKeyPairSync('rsa', { modulusLength: bits }).publicKey.export({ type: 'spki', format: 'pem' }) as string;
      await send(app, 'POST', '/__admin/publicKeys', { publicKeyId: 'SANDBOX-TAKEN', publicKey: spki(1024) });
      return send(app, 'POST', '/__admin/publicKeys', { publicKeyId: 'LIVE-TAKEN', publicKey: spki(1024) });
    });
    probe('setClock', 'InvalidRequestFormat', () => send(app, 'POST', '/__admin/clock', '[]'));
    probe('setClock', 'InvalidParameterValue', () => send(app, 'POST', '/__admin/clock?merchant=a&merchant=b', { advanceSeconds: 1 }));
    probe('addScenarios', 'InvalidRequestFormat', () => send(app, 'POST', '/__admin/scenarios', '{"name":'));
    probe('addScenarios', 'UnrecognizedField', () => send(app, 'POST', '/__admin/scenarios', { rules: [], comment: 'x' }));
    probe('addScenarios', 'InvalidParameterValue', () => send(app, 'POST', '/__admin/scenarios', { name: 'x', match: { operation: '*' }, outcome: { kind: 'pending' } }));
    probe('addScenarios', 'InvalidParameterValue', () => send(app, 'POST', '/__admin/scenarios', { name: 'x', match: { operation: '*' }, outcome: { kind: 'cancel', reasonCode: 'BuyerCanceled' } }));
    probe('clearScenarios', 'InvalidParameterValue', () => send(app, 'DELETE', '/__admin/scenarios?merchant='));
    probe('approveCheckoutSession', 'InvalidRequestFormat', () => send(app, 'POST', `/__admin/checkoutSessions/${openId}/approve`, '[]'));
    probe('approveCheckoutSession', 'UnrecognizedField', () => send(app, 'POST', `/__admin/checkoutSessions/${openId}/approve`, { tip: 1 }));

    // The journal, faults and IPN routes.
    probe('listRequests', 'UnrecognizedField', () => send(app, 'GET', '/__admin/requests?path=/v2'));
    probe('listRequests', 'InvalidParameterValue', () => send(app, 'GET', '/__admin/requests?status=ok'));
    probe('listRequests', 'InvalidParameterValue', () => send(app, 'GET', '/__admin/requests?status=600'));
    probe('listRequests', 'InvalidParameterValue', () => send(app, 'GET', '/__admin/requests?limit=10001'));
    probe('listRequests', 'InvalidParameterValue', () => send(app, 'GET', '/__admin/requests?since=yesterday'));
    probe('listRequests', 'InvalidParameterValue', () => send(app, 'GET', '/__admin/requests?operation=getCharge&operation=getRefund'));
    probe('listRequests', 'InvalidParameterValue', () => send(app, 'GET', '/__admin/requests?merchant='));
    probe('clearRequests', 'InvalidParameterValue', () => send(app, 'DELETE', '/__admin/requests?merchant=a&merchant=b'));
    probe('listFaults', 'InvalidParameterValue', () => send(app, 'GET', '/__admin/faults?merchant='));
    probe('addFault', 'InvalidRequestFormat', () => send(app, 'POST', '/__admin/faults', '[{"status":503}]'));
    probe('addFault', 'UnrecognizedField', () => send(app, 'POST', '/__admin/faults', { status: 503, reasonCode: 'ServiceUnavailable' }));
    probe('addFault', 'MissingParameterValue', () => send(app, 'POST', '/__admin/faults'));
    probe('addFault', 'MissingParameterValue', () => send(app, 'POST', '/__admin/faults', { operation: 'getCharge', drop: false }));
    probe('addFault', 'InvalidParameterValue', () => send(app, 'POST', '/__admin/faults', { operation: 'refund', status: 503 }));
    probe('addFault', 'InvalidParameterValue', () => send(app, 'POST', '/__admin/faults', { status: 502 }));
    probe('addFault', 'InvalidParameterValue', () => send(app, 'POST', '/__admin/faults', { drop: 'yes' }));
    probe('addFault', 'InvalidParameterValue', () => send(app, 'POST', '/__admin/faults', { latencyMs: 60_001 }));
    probe('addFault', 'InvalidParameterValue', () => send(app, 'POST', '/__admin/faults', { status: 429, times: -1 }));
    probe('addFault', 'InvalidParameterValue', () => send(app, 'POST', '/__admin/faults?merchant=', { status: 429 }));
    probe('addFault', 'InvalidParameterCombination', () => send(app, 'POST', '/__admin/faults', { status: 503, drop: true }));
    probe('clearFaults', 'InvalidParameterValue', () => send(app, 'DELETE', '/__admin/faults?merchant=a&merchant=b'));
    probe('getIpnConfig', 'InvalidParameterValue', () => send(app, 'GET', '/__admin/ipn?merchant='));
    const ipnOf = '/__admin/ipn?merchant=SANDBOX-OPENAPIPROBE';
    probe('setIpnConfig', 'MissingParameterValue', () => send(app, 'POST', '/__admin/ipn', { urls: [] }));
    probe('setIpnConfig', 'MissingParameterValue', () => send(app, 'POST', ipnOf, {}));
    probe('setIpnConfig', 'UnrecognizedField', () => send(app, 'POST', ipnOf, { url: 'http://127.0.0.1:3000/ipn' }));
    probe('setIpnConfig', 'InvalidRequestFormat', () => send(app, 'POST', ipnOf, '["http://127.0.0.1:3000/ipn"]'));
    probe('setIpnConfig', 'InvalidParameterValue', () => send(app, 'POST', ipnOf, { urls: 'http://127.0.0.1:3000/ipn' }));
    probe('setIpnConfig', 'InvalidParameterValue', () => send(app, 'POST', ipnOf, { urls: ['ftp://127.0.0.1/ipn'] }));
    probe('setIpnConfig', 'InvalidParameterValue', () => send(app, 'POST', ipnOf, { urls: ['/ipn'] }));
    probe('setIpnConfig', 'InvalidParameterValue', () => send(app, 'POST', ipnOf, { urls: Array.from({ length: 11 }, (_, i) => `http://127.0.0.1/${i}`) }));
    probe('setIpnConfig', 'InvalidParameterValue', () => send(app, 'POST', ipnOf, { signed: 'yes' }));
    probe('setIpnConfig', 'InvalidParameterValue', () => send(app, 'POST', '/__admin/ipn?merchant=', { signed: true }));
    probe('listIpnDeliveries', 'InvalidParameterValue', () => send(app, 'GET', '/__admin/ipn/deliveries?status=sent'));
    probe('listIpnDeliveries', 'InvalidParameterValue', () => send(app, 'GET', '/__admin/ipn/deliveries?status=failed&status=pending'));
    probe('listIpnDeliveries', 'InvalidParameterValue', () => send(app, 'GET', '/__admin/ipn/deliveries?limit=0'));
    probe('listIpnDeliveries', 'InvalidParameterValue', () => send(app, 'GET', '/__admin/ipn/deliveries?limit=1001'));
    probe('listIpnDeliveries', 'InvalidParameterValue', () => send(app, 'GET', '/__admin/ipn/deliveries?merchant=a&merchant=b'));
    probe('clearIpnDeliveries', 'InvalidParameterValue', () => send(app, 'DELETE', '/__admin/ipn/deliveries?merchant='));
    probe('unsubscribeIpn', 'MissingParameterValue', () => send(app, 'GET', '/__admin/ipn/unsubscribe'));
    probe('unsubscribeIpn', 'InvalidParameterValue', () => send(app, 'GET', '/__admin/ipn/unsubscribe?merchant='));
    probe('unsubscribeIpn', 'InvalidParameterValue', () => send(app, 'GET', '/__admin/ipn/unsubscribe?merchant=X&url=a&url=b'));
    probe('getLocalCa', 'ResourceNotFound', async () => {
      // An app built without a server (as here) finds no CA in a data dir nobody started in.
      const noCa = await buildApp(testConfig({ dataDir: path.join(tmpdir(), `apm-no-ca-${randomUUID()}`) }), { store: new MemoryStore() });
      try {
        return await send(noCa, 'GET', '/__admin/ca.pem');
      } finally {
        await noCa.close();
      }
    });

    // Finalize Checkout Session.
    const finalizeOpen = await createSession();
    const chosen = (await send(app, 'GET', `${env}/${finalizeOpen}`)).json().shippingAddress;
    const finalizeBody = { chargeAmount: usd(50), paymentIntent: 'Authorize', shippingAddress: chosen };
    const finalize = (id: string) => `${env}/${id}/finalize`;
    probe('finalizeCheckoutSessionInEnvironment', 'UnrecognizedField', () => send(app, 'POST', finalize(finalizeOpen), { ...finalizeBody, cartDetails: {} }));
    probe('finalizeCheckoutSessionInEnvironment', 'MissingParameterValue', () => send(app, 'POST', finalize(finalizeOpen), { chargeAmount: usd(50) }));
    probe('finalizeCheckoutSessionInEnvironment', 'MissingParameterValue', () => send(app, 'POST', finalize(finalizeOpen), { chargeAmount: usd(50), paymentIntent: 'Authorize' }));
    probe('finalizeCheckoutSessionInEnvironment', 'InvalidParameterValue', () => send(app, 'POST', finalize(finalizeOpen), { ...finalizeBody, shippingAddress: { ...chosen, city: 'Elsewhere' } }));
    probe('finalizeCheckoutSessionInEnvironment', 'InvalidParameterValue', () => send(app, 'POST', finalize(finalizeOpen), { ...finalizeBody, paymentIntent: 'Later' }));
    const finalizeOverTotal = await createSession({ totalOrderAmount: usd('40.00') });
    probe('finalizeCheckoutSessionInEnvironment', 'TransactionAmountExceeded', () => send(app, 'POST', finalize(finalizeOverTotal), { ...finalizeBody, totalOrderAmount: usd(40) }));
    probe('finalizeCheckoutSessionInEnvironment', 'CurrencyMismatch', () => send(app, 'POST', finalize(finalizeOpen), { ...finalizeBody, chargeAmount: { amount: '50', currencyCode: 'EUR' } }));
    probe('finalizeCheckoutSessionInEnvironment', 'InvalidSandboxSimulationSpecified', () => send(app, 'POST', finalize(finalizeOpen), finalizeBody, { 'x-amz-pay-simulation-code': 'RefundDeclined' }));
    probe('finalizeCheckoutSessionInEnvironment', 'InvalidSandboxSimulationSpecified', () => send(app, 'POST', finalize(finalizeOpen), finalizeBody, { 'x-amz-pay-simulation-code': 'AuthorizationInitiated' }));
    probe('finalizeCheckoutSessionInEnvironment', 'ResourceNotFound', () => send(app, 'POST', finalize('no-such-session'), finalizeBody));
    probe('finalizeCheckoutSessionInEnvironment', 'InvalidCheckoutSessionStatus', () => send(app, 'POST', finalize(completedId), finalizeBody));
    const finalizeKey = { 'x-amz-pay-idempotency-key': 'openapi-finalize-key' };
    expect((await send(app, 'POST', finalize(finalizeOpen), {}, finalizeKey)).statusCode).toBe(400);
    probe('finalizeCheckoutSessionInEnvironment', 'DuplicateIdempotencyKey', () => send(app, 'POST', finalize(finalizeOpen), finalizeBody, finalizeKey));
    const buyerCancels = await createSession();
    probe('finalizeCheckoutSessionInEnvironment', 'CheckoutSessionCanceled', () => send(app, 'POST', finalize(buyerCancels), finalizeBody, { 'x-amz-pay-simulation-code': 'BuyerCanceled' }));
    probe('finalizeCheckoutSession', 'InvalidRequest', () => send(app, 'POST', `/v2/checkoutSessions/${finalizeOpen}/finalize`, finalizeBody));

    // Sessions of Amazon Pay's hosted update page name a Saved Wallet (PaymentMethodOnFile) permission.
    const savedWallet = { chargePermissionType: 'PaymentMethodOnFile', paymentMethodOnFileMetadata: { setupOnly: true }, paymentDetails: null };
    const newSavedWallet = async (headers: Record<string, string> = {}) => {
      const created = await send(app, 'POST', env, { ...sessionBody(), ...savedWallet }, headers);
      expect(created.statusCode, created.payload).toBe(201);
      const done = await send(app, 'POST', `${env}/${created.json().checkoutSessionId}/complete`, {}, headers);
      expect(done.statusCode, done.payload).toBe(200);
      return done.json().chargePermissionId as string;
    };
    const updateSession = async (chargePermissionId: string, body: Record<string, unknown> = savedWallet, headers: Record<string, string> = {}) => {
      const created = await send(app, 'POST', env, { ...sessionBody(), ...body, chargePermissionId }, headers);
      expect(created.statusCode, created.payload).toBe(201);
      return created.json().checkoutSessionId as string;
    };
    const closedWallet = await newSavedWallet();
    const updateThenClosed = await updateSession(closedWallet);
    const finalizeThenClosed = await updateSession(closedWallet);
    const finalizeShipping = (await send(app, 'GET', `${env}/${finalizeThenClosed}`)).json().shippingAddress;
    expect((await send(app, 'DELETE', `/sandbox/v2/chargePermissions/${closedWallet}/close`, {})).statusCode).toBe(200);
    probe('createCheckoutSessionInEnvironment', 'InvalidChargePermissionStatus', () => send(app, 'POST', env, { ...sessionBody(), ...savedWallet, chargePermissionId: closedWallet }));
    probe('completeCheckoutSessionInEnvironment', 'InvalidChargePermissionStatus', () => send(app, 'POST', `${env}/${updateThenClosed}/complete`, {}));
    probe('finalizeCheckoutSessionInEnvironment', 'InvalidChargePermissionStatus', () =>
      send(app, 'POST', finalize(finalizeThenClosed), { chargeAmount: usd(5), paymentIntent: 'Confirm', shippingAddress: finalizeShipping }));
    // In EU a Saved Wallet permission keeps its currency (EUR) when an update session charges GBP.
    const eu = { 'x-amz-pay-region': 'eu' };
    const gbp = { amount: '5.00', currencyCode: 'GBP' };
    const euWallet = await newSavedWallet(eu);
    const gbpUpdate = await updateSession(euWallet, { chargePermissionType: 'PaymentMethodOnFile', paymentDetails: { paymentIntent: 'Authorize', chargeAmount: gbp } }, eu);
    probe('completeCheckoutSessionInEnvironment', 'CurrencyMismatch', () => send(app, 'POST', `${env}/${gbpUpdate}/complete`, { chargeAmount: gbp }, eu));

    // Charge Permissions, Charges and Refunds. Probes run in the order given, so each one that
    // changes state has its own objects.
    const v2 = '/sandbox/v2';
    const nowhere = 'S01-0000000-0000000';
    const authorized = await completedSession();
    const capturedFully = await completedSession();
    expect((await send(app, 'POST', `${v2}/charges/${capturedFully.chargeId}/capture`, { captureAmount: usd(50) })).statusCode).toBe(200);
    for (let i = 0; i < 10; i++) expect((await send(app, 'POST', `${v2}/refunds`, { chargeId: capturedFully.chargeId, refundAmount: usd(1) })).statusCode).toBe(201);
    const chargeable = await completedSession();
    expect((await send(app, 'DELETE', `${v2}/charges/${chargeable.chargeId}/cancel`, {})).statusCode).toBe(200);
    const hardDeclined = await completedSession();
    expect((await send(app, 'DELETE', `${v2}/charges/${hardDeclined.chargeId}/cancel`)).statusCode).toBe(200);
    const captureDeclined = await completedSession();
    const closedUnderCharge = await completedSession();
    expect((await send(app, 'DELETE', `${v2}/chargePermissions/${closedUnderCharge.chargePermissionId}/close`, { closureReason: 'test' })).statusCode).toBe(200);
    const manyCharges = await completedSession();
    expect((await send(app, 'DELETE', `${v2}/charges/${manyCharges.chargeId}/cancel`)).statusCode).toBe(200);
    for (let i = 1; i < 25; i++) {
      const charge = await send(app, 'POST', `${v2}/charges`, { chargePermissionId: manyCharges.chargePermissionId, chargeAmount: usd(1) });
      expect(charge.statusCode, charge.payload).toBe(201);
      expect((await send(app, 'DELETE', `${v2}/charges/${charge.json().chargeId}/cancel`)).statusCode).toBe(200);
    }

    const permissionOf = (id: string) => `${v2}/chargePermissions/${id}`;
    probe('getChargePermissionInEnvironment', 'ResourceNotFound', () => send(app, 'GET', permissionOf(nowhere)));
    probe('getChargePermissionInEnvironment', 'InvalidSandboxSimulationSpecified', () => send(app, 'GET', permissionOf(authorized.chargePermissionId), undefined, { 'x-amz-pay-simulation-code': 'AmazonClosed' }));
    probe('getChargePermissionInEnvironment', 'InvalidSandboxSimulationSpecified', () => send(app, 'GET', `/live/v2/chargePermissions/${nowhere}`, undefined, { 'x-amz-pay-simulation-code': 'AmazonClosed' }));
    probe('getChargePermissionInEnvironment', 'ResourceNotFound', () => send(app, 'GET', `/staging/v2/chargePermissions/${nowhere}`));
    probe('getChargePermission', 'InvalidRequest', () => send(app, 'GET', `/v2/chargePermissions/${nowhere}`));
    probe('updateChargePermissionInEnvironment', 'ResourceNotFound', () => send(app, 'PATCH', permissionOf(nowhere), {}));
    const monthly = (amount: Json) => ({ frequency: { unit: 'Month', value: '1' }, amount });
    const recurringPermission = await completedSession({ ...sessionBody({ paymentIntent: 'Confirm' }), chargePermissionType: 'Recurring', recurringMetadata: monthly(usd('10.00')) });
    probe('updateChargePermissionInEnvironment', 'CurrencyMismatch', () => send(app, 'PATCH', permissionOf(recurringPermission.chargePermissionId), { recurringMetadata: monthly({ amount: '10', currencyCode: 'EUR' }) }));
    probe('updateChargePermissionInEnvironment', 'UnrecognizedField', () => send(app, 'PATCH', permissionOf(authorized.chargePermissionId), { limits: {} }));
    probe('updateChargePermissionInEnvironment', 'InvalidRequestFormat', () => send(app, 'PATCH', permissionOf(authorized.chargePermissionId), '[]'));
    probe('updateChargePermissionInEnvironment', 'MissingParameterValue', () => send(app, 'PATCH', permissionOf(authorized.chargePermissionId), { recurringMetadata: { amount: { amount: '1' } } }));
    probe('updateChargePermissionInEnvironment', 'InvalidParameterValue', () => send(app, 'PATCH', permissionOf(authorized.chargePermissionId), { merchantMetadata: { merchantStoreName: 'x'.repeat(51) } }));
    probe('updateChargePermissionInEnvironment', 'InvalidParameterCombination', () => send(app, 'PATCH', permissionOf(authorized.chargePermissionId), { recurringMetadata: { frequency: { unit: 'Month', value: 1 } } }));
    probe('updateChargePermissionInEnvironment', 'ChargePermissionNotModifiable', () => send(app, 'PATCH', permissionOf(closedUnderCharge.chargePermissionId), { merchantMetadata: { noteToBuyer: 'x' } }));
    probe('updateChargePermissionInEnvironment', 'InvalidSandboxSimulationSpecified', () => send(app, 'PATCH', permissionOf(authorized.chargePermissionId), {}, { 'x-amz-pay-simulation-code': 'AmazonClosed' }));
    probe('closeChargePermissionInEnvironment', 'ResourceNotFound', () => send(app, 'DELETE', `${permissionOf(nowhere)}/close`, {}));
    probe('closeChargePermissionInEnvironment', 'InvalidParameterValue', () => send(app, 'DELETE', `${permissionOf(authorized.chargePermissionId)}/close`, { closureReason: 'x'.repeat(256) }));
    probe('closeChargePermissionInEnvironment', 'InvalidParameterValue', () => send(app, 'DELETE', `${permissionOf(authorized.chargePermissionId)}/close`, { cancelPendingCharges: 'yes' }));
    probe('closeChargePermissionInEnvironment', 'UnrecognizedField', () => send(app, 'DELETE', `${permissionOf(authorized.chargePermissionId)}/close`, { reason: 'x' }));
    probe('closeChargePermissionInEnvironment', 'InvalidSandboxSimulationSpecified', () => send(app, 'DELETE', `${permissionOf(authorized.chargePermissionId)}/close`, {}, { 'x-amz-pay-simulation-code': 'BuyerClosed' }));
    probe('closeChargePermissionInEnvironment', 'InvalidChargePermissionStatus', () => send(app, 'DELETE', `${permissionOf(closedUnderCharge.chargePermissionId)}/close`, {}));

    const charges = `${v2}/charges`;
    const newCharge = (chargePermissionId: string, extra: Record<string, unknown> = {}) => ({ chargePermissionId, chargeAmount: usd(1), ...extra });
    probe('createChargeInEnvironment', 'MissingHeader', () => send(app, 'POST', charges, newCharge(chargeable.chargePermissionId), { 'x-amz-pay-idempotency-key': null }));
    probe('createChargeInEnvironment', 'MissingParameterValue', () => send(app, 'POST', charges, { chargeAmount: usd(1) }));
    probe('createChargeInEnvironment', 'UnrecognizedField', () => send(app, 'POST', charges, newCharge(chargeable.chargePermissionId, { paymentIntent: 'Authorize' })));
    probe('createChargeInEnvironment', 'InvalidParameterValue', () => send(app, 'POST', charges, newCharge(chargeable.chargePermissionId, { channel: 'Fax' })));
    probe('createChargeInEnvironment', 'TransactionAmountExceeded', () => send(app, 'POST', charges, newCharge(chargeable.chargePermissionId, { chargeAmount: usd('150000.01') })));
    probe('createChargeInEnvironment', 'ResourceNotFound', () => send(app, 'POST', charges, newCharge(nowhere)));
    probe('createChargeInEnvironment', 'InvalidChargePermissionStatus', () => send(app, 'POST', charges, newCharge(authorized.chargePermissionId)));
    probe('createChargeInEnvironment', 'InvalidChargePermissionStatus', () => send(app, 'POST', charges, newCharge(closedUnderCharge.chargePermissionId)));
    probe('createChargeInEnvironment', 'CurrencyMismatch', () => send(app, 'POST', charges, newCharge(chargeable.chargePermissionId, { chargeAmount: { amount: '1', currencyCode: 'EUR' } })));
    probe('createChargeInEnvironment', 'TransactionAmountExceeded', () => send(app, 'POST', charges, newCharge(chargeable.chargePermissionId, { chargeAmount: usd('50.01') })));
    // A OneTime permission whose order total was captured is Closed (Charge Permission page).
    probe('createChargeInEnvironment', 'InvalidChargePermissionStatus', () => send(app, 'POST', charges, newCharge(capturedFully.chargePermissionId)));
    probe('createChargeInEnvironment', 'TransactionCountExceeded', () => send(app, 'POST', charges, newCharge(manyCharges.chargePermissionId)));
    probe('createChargeInEnvironment', 'InvalidParameterCombination', () => send(app, 'POST', charges, newCharge(chargeable.chargePermissionId, { softDescriptor: 'LATER' })));
    probe('createChargeInEnvironment', 'InvalidSandboxSimulationSpecified', () => send(app, 'POST', charges, newCharge(chargeable.chargePermissionId), { 'x-amz-pay-simulation-code': 'CaptureInitiated' }));
    probe('createChargeInEnvironment', 'InvalidSandboxSimulationSpecified', () => send(app, 'POST', charges, newCharge(chargeable.chargePermissionId), { 'x-amz-pay-simulation-code': 'AuthorizationInitiated' }));
    for (const code of ['SoftDeclined', 'AmazonRejected', 'TransactionTimedOut', 'ProcessingFailure']) {
      probe('createChargeInEnvironment', code, () => send(app, 'POST', charges, newCharge(chargeable.chargePermissionId), { 'x-amz-pay-simulation-code': code }));
    }
    probe('createChargeInEnvironment', 'HardDeclined', () => send(app, 'POST', charges, newCharge(hardDeclined.chargePermissionId), { 'x-amz-pay-simulation-code': 'HardDeclined' }));
    probe('createChargeInEnvironment', 'InvalidChargePermissionStatus', () => send(app, 'POST', charges, newCharge(hardDeclined.chargePermissionId)));
    const chargeKey = { 'x-amz-pay-idempotency-key': 'openapi-create-charge-key' };
    expect((await send(app, 'POST', charges, newCharge(nowhere), chargeKey)).statusCode).toBe(404);
    probe('createChargeInEnvironment', 'DuplicateIdempotencyKey', () => send(app, 'POST', charges, newCharge(chargeable.chargePermissionId), chargeKey));

    const chargeOf = (id: string) => `${charges}/${id}`;
    probe('getChargeInEnvironment', 'ResourceNotFound', () => send(app, 'GET', chargeOf(`${nowhere}-C000000`)));
    probe('getChargeInEnvironment', 'InvalidSandboxSimulationSpecified', () => send(app, 'GET', chargeOf(authorized.chargeId), undefined, { 'x-amz-pay-simulation-code': 'CaptureInitiated' }));
    probe('updateChargeInEnvironment', 'MissingParameterValue', () => send(app, 'PATCH', chargeOf(authorized.chargeId), {}));
    probe('updateChargeInEnvironment', 'UnrecognizedField', () => send(app, 'PATCH', chargeOf(authorized.chargeId), { statusDetails: { state: 'Captured', reasonDescription: 'x' } }));
    probe('updateChargeInEnvironment', 'InvalidParameterValue', () => send(app, 'PATCH', chargeOf(authorized.chargeId), { statusDetails: { state: 'CaptureInitiated' } }));
    probe('updateChargeInEnvironment', 'ResourceNotFound', () => send(app, 'PATCH', chargeOf(`${nowhere}-C000000`), { statusDetails: { state: 'Captured' } }));
    probe('updateChargeInEnvironment', 'InvalidSandboxSimulationSpecified', () => send(app, 'PATCH', chargeOf(authorized.chargeId), { statusDetails: { state: 'Captured' } }, { 'x-amz-pay-simulation-code': 'CaptureInitiated' }));
    probe('updateChargeInEnvironment', 'InvalidChargeStatus', () => send(app, 'PATCH', chargeOf(authorized.chargeId), { statusDetails: { state: 'Authorized' } }));
    probe('captureChargeInEnvironment', 'MissingHeader', () => send(app, 'POST', `${chargeOf(authorized.chargeId)}/capture`, { captureAmount: usd(1) }, { 'x-amz-pay-idempotency-key': null }));
    probe('captureChargeInEnvironment', 'MissingParameterValue', () => send(app, 'POST', `${chargeOf(authorized.chargeId)}/capture`, {}));
    probe('captureChargeInEnvironment', 'UnrecognizedField', () => send(app, 'POST', `${chargeOf(authorized.chargeId)}/capture`, { captureAmount: usd(1), captureNow: true }));
    probe('captureChargeInEnvironment', 'InvalidParameterValue', () => send(app, 'POST', `${chargeOf(authorized.chargeId)}/capture`, { captureAmount: usd(1), softDescriptor: 'S'.repeat(17) }));
    probe('captureChargeInEnvironment', 'ResourceNotFound', () => send(app, 'POST', `${chargeOf(`${nowhere}-C000000`)}/capture`, { captureAmount: usd(1) }));
    probe('captureChargeInEnvironment', 'CurrencyMismatch', () => send(app, 'POST', `${chargeOf(authorized.chargeId)}/capture`, { captureAmount: { amount: 1, currencyCode: 'GBP' } }));
    probe('captureChargeInEnvironment', 'TransactionAmountExceeded', () => send(app, 'POST', `${chargeOf(authorized.chargeId)}/capture`, { captureAmount: usd('50.01') }));
    probe('captureChargeInEnvironment', 'InvalidChargeStatus', () => send(app, 'POST', `${chargeOf(capturedFully.chargeId)}/capture`, { captureAmount: usd(1) }));
    probe('captureChargeInEnvironment', 'InvalidChargePermissionStatus', () => send(app, 'POST', `${chargeOf(closedUnderCharge.chargeId)}/capture`, { captureAmount: usd(1) }));
    probe('captureChargeInEnvironment', 'InvalidSandboxSimulationSpecified', () => send(app, 'POST', `${chargeOf(captureDeclined.chargeId)}/capture`, { captureAmount: usd(1) }, { 'x-amz-pay-simulation-code': 'SoftDeclined' }));
    probe('captureChargeInEnvironment', 'ProcessingFailure', () => send(app, 'POST', `${chargeOf(captureDeclined.chargeId)}/capture`, { captureAmount: usd(1) }, { 'x-amz-pay-simulation-code': 'ProcessingFailure' }));
    probe('captureChargeInEnvironment', 'AmazonRejected', () => send(app, 'POST', `${chargeOf(captureDeclined.chargeId)}/capture`, { captureAmount: usd(1) }, { 'x-amz-pay-simulation-code': 'AmazonRejected' }));
    probe('captureChargeInEnvironment', 'InvalidChargeStatus', () => send(app, 'POST', `${chargeOf(captureDeclined.chargeId)}/capture`, { captureAmount: usd(1) }));
    probe('cancelChargeInEnvironment', 'ResourceNotFound', () => send(app, 'DELETE', `${chargeOf(`${nowhere}-C000000`)}/cancel`, {}));
    probe('cancelChargeInEnvironment', 'InvalidParameterValue', () => send(app, 'DELETE', `${chargeOf(authorized.chargeId)}/cancel`, { cancellationReason: 'x'.repeat(256) }));
    probe('cancelChargeInEnvironment', 'InvalidRequestFormat', () => send(app, 'DELETE', `${chargeOf(authorized.chargeId)}/cancel`, '{'));
    probe('cancelChargeInEnvironment', 'UnrecognizedField', () => send(app, 'DELETE', `${chargeOf(authorized.chargeId)}/cancel`, { closureReason: 'x' }));
    probe('cancelChargeInEnvironment', 'InvalidSandboxSimulationSpecified', () => send(app, 'DELETE', `${chargeOf(authorized.chargeId)}/cancel`, {}, { 'x-amz-pay-simulation-code': 'Canceled' }));
    probe('cancelChargeInEnvironment', 'InvalidChargeStatus', () => send(app, 'DELETE', `${chargeOf(capturedFully.chargeId)}/cancel`, {}));

    const refunds = `${v2}/refunds`;
    probe('createRefundInEnvironment', 'MissingHeader', () => send(app, 'POST', refunds, { chargeId: capturedFully.chargeId, refundAmount: usd(1) }, { 'x-amz-pay-idempotency-key': null }));
    probe('createRefundInEnvironment', 'MissingParameterValue', () => send(app, 'POST', refunds, { chargeId: capturedFully.chargeId }));
    probe('createRefundInEnvironment', 'UnrecognizedField', () => send(app, 'POST', refunds, { chargeId: capturedFully.chargeId, refundAmount: usd(1), reason: 'x' }));
    probe('createRefundInEnvironment', 'InvalidParameterValue', () => send(app, 'POST', refunds, { chargeId: capturedFully.chargeId, refundAmount: usd('1.001') }));
    probe('createRefundInEnvironment', 'ResourceNotFound', () => send(app, 'POST', refunds, { chargeId: `${nowhere}-C000000`, refundAmount: usd(1) }));
    probe('createRefundInEnvironment', 'InvalidChargeStatus', () => send(app, 'POST', refunds, { chargeId: authorized.chargeId, refundAmount: usd(1) }));
    probe('createRefundInEnvironment', 'CurrencyMismatch', () => send(app, 'POST', refunds, { chargeId: capturedFully.chargeId, refundAmount: { amount: '1', currencyCode: 'EUR' } }));
    probe('createRefundInEnvironment', 'TransactionAmountExceeded', () => send(app, 'POST', refunds, { chargeId: capturedFully.chargeId, refundAmount: usd(50) }));
    probe('createRefundInEnvironment', 'TransactionCountExceeded', () => send(app, 'POST', refunds, { chargeId: capturedFully.chargeId, refundAmount: usd(1) }));
    probe('createRefundInEnvironment', 'InvalidSandboxSimulationSpecified', () => send(app, 'POST', refunds, { chargeId: capturedFully.chargeId, refundAmount: usd(1) }, { 'x-amz-pay-simulation-code': 'Declined' }));
    probe('getRefundInEnvironment', 'ResourceNotFound', () => send(app, 'GET', `${refunds}/${nowhere}-R000000`));
    probe('getRefundInEnvironment', 'InvalidSandboxSimulationSpecified', () => send(app, 'GET', `${refunds}/${nowhere}-R000000`, undefined, { 'x-amz-pay-simulation-code': 'RefundDeclined' }));

    // Reports (issue #13).
    const reports = `${v2}/reports`;
    const schedules = `${v2}/report-schedules`;
    const period = { startTime: '20240101T000000Z', endTime: '20240102T000000Z' };
    const sandboxSettlement = '_GET_FLAT_FILE_OFFAMAZONPAYMENTS_SANDBOX_SETTLEMENT_DATA_';
    const staging = (url: string) => url.replace(v2, '/staging/v2');
    const simulation = { 'x-amz-pay-simulation-code': 'Declined' };
    probe('getReportsInEnvironment', 'InvalidParameterValue', () => send(app, 'GET', `${reports}?pageSize=0`));
    probe('getReportsInEnvironment', 'InvalidSandboxSimulationSpecified', () => send(app, 'GET', reports, undefined, simulation));
    probe('getReportsInEnvironment', 'ResourceNotFound', () => send(app, 'GET', staging(reports)));
    probe('getReportByIdInEnvironment', 'ResourceNotFound', () => send(app, 'GET', `${reports}/10000000000`));
    probe('getReportByIdInEnvironment', 'InvalidSandboxSimulationSpecified', () => send(app, 'GET', `${reports}/10000000000`, undefined, simulation));
    probe('getReportDocumentInEnvironment', 'ResourceNotFound', () => send(app, 'GET', `${v2}/report-documents/amzn1.tortuga.0.x`));
    probe('getReportDocumentInEnvironment', 'InvalidSandboxSimulationSpecified', () => send(app, 'GET', `${v2}/report-documents/x`, undefined, simulation));
    probe('getReportSchedulesInEnvironment', 'InvalidParameterValue', () => send(app, 'GET', `${schedules}?reportTypes=_X_`));
    probe('getReportSchedulesInEnvironment', 'InvalidSandboxSimulationSpecified', () => send(app, 'GET', schedules, undefined, simulation));
    probe('getReportSchedulesInEnvironment', 'ResourceNotFound', () => send(app, 'GET', staging(schedules)));
    probe('getReportScheduleByIdInEnvironment', 'ResourceNotFound', () => send(app, 'GET', `${schedules}/10000000000`));
    probe('getReportScheduleByIdInEnvironment', 'InvalidSandboxSimulationSpecified', () => send(app, 'GET', `${schedules}/10000000000`, undefined, simulation));
    probe('createReportInEnvironment', 'MissingParameterValue', () => send(app, 'POST', reports, { reportType: sandboxSettlement }));
    probe('createReportInEnvironment', 'InvalidParameterValue', () => send(app, 'POST', reports, { ...period, reportType: '_GET_FLAT_FILE_OFFAMAZONPAYMENTS_SETTLEMENT_DATA_' }));
    probe('createReportInEnvironment', 'UnrecognizedField', () => send(app, 'POST', reports, { ...period, reportType: sandboxSettlement, format: 'csv' }));
    probe('createReportInEnvironment', 'InvalidSandboxSimulationSpecified', () => send(app, 'POST', reports, { ...period, reportType: sandboxSettlement }, simulation));
    probe('createReportInEnvironment', 'ResourceNotFound', () => send(app, 'POST', staging(reports), { ...period, reportType: sandboxSettlement }));
    const scheduleBody = { reportType: sandboxSettlement, scheduleFrequency: 'P1D' };
    expect((await send(app, 'POST', schedules, scheduleBody)).statusCode).toBe(201);
    probe('createReportScheduleInEnvironment', 'InvalidRequest', () => send(app, 'POST', schedules, scheduleBody));
    probe('createReportScheduleInEnvironment', 'MissingParameterValue', () => send(app, 'POST', schedules, { reportType: sandboxSettlement }));
    probe('createReportScheduleInEnvironment', 'InvalidParameterValue', () => send(app, 'POST', schedules, { ...scheduleBody, scheduleFrequency: 'P1W' }));
    probe('createReportScheduleInEnvironment', 'UnrecognizedField', () => send(app, 'POST', schedules, { ...scheduleBody, every: 'day' }));
    probe('createReportScheduleInEnvironment', 'InvalidSandboxSimulationSpecified', () => send(app, 'POST', schedules, scheduleBody, simulation));
    probe('createReportScheduleInEnvironment', 'ResourceNotFound', () => send(app, 'POST', staging(schedules), scheduleBody));
    probe('cancelReportScheduleInEnvironment', 'ResourceNotFound', () => send(app, 'DELETE', `${schedules}/10000000000`));
    probe('cancelReportScheduleInEnvironment', 'InvalidSandboxSimulationSpecified', () => send(app, 'DELETE', `${schedules}/10000000000`, undefined, simulation));
    const disbursements = `${v2}/disbursements?startTime=20240101T000000Z&endTime=20240102T000000Z`;
    probe('getDisbursementsInEnvironment', 'MissingParameterValue', () => send(app, 'GET', `${v2}/disbursements?endTime=20240102T000000Z`));
    probe('getDisbursementsInEnvironment', 'InvalidParameterValue', () => send(app, 'GET', `${v2}/disbursements?startTime=20240102T000000Z&endTime=20240101T000000Z`));
    probe('getDisbursementsInEnvironment', 'InvalidSandboxSimulationSpecified', () => send(app, 'GET', disbursements, undefined, simulation));
    probe('getDisbursementsInEnvironment', 'ResourceNotFound', () => send(app, 'GET', staging(disbursements)));

    // Disputes and files (issue #13).
    const disputes = `${v2}/disputes`;
    const disputeBody = (chargeId: string, extra: Record<string, unknown> = {}) => ({ chargeId, disputeAmount: usd(1), filingReason: 'Fraudulent', ...extra });
    probe('createDisputeInEnvironment', 'ResourceNotFound', () => send(app, 'POST', disputes, disputeBody(`${nowhere}-C000000`)));
    probe('createDisputeInEnvironment', 'InvalidChargeStatus', () => send(app, 'POST', disputes, disputeBody(authorized.chargeId)));
    probe('createDisputeInEnvironment', 'MissingParameterValue', () => send(app, 'POST', disputes, { chargeId: capturedFully.chargeId }));
    probe('createDisputeInEnvironment', 'InvalidParameterValue', () => send(app, 'POST', disputes, disputeBody(capturedFully.chargeId, { filingReason: 'Bored' })));
    probe('createDisputeInEnvironment', 'UnrecognizedField', () => send(app, 'POST', disputes, disputeBody(capturedFully.chargeId, { reason: 'x' })));
    probe('createDisputeInEnvironment', 'CurrencyMismatch', () => send(app, 'POST', disputes, disputeBody(capturedFully.chargeId, { disputeAmount: { amount: '1', currencyCode: 'EUR' } })));
    probe('createDisputeInEnvironment', 'TransactionAmountExceeded', () => send(app, 'POST', disputes, disputeBody(capturedFully.chargeId, { disputeAmount: usd(51) })));
    probe('createDisputeInEnvironment', 'InvalidSandboxSimulationSpecified', () => send(app, 'POST', disputes, disputeBody(capturedFully.chargeId), simulation));
    const openDispute = await send(app, 'POST', disputes, disputeBody(capturedFully.chargeId));
    expect(openDispute.statusCode, openDispute.payload).toBe(200);
    const closedDispute = await send(app, 'POST', disputes, disputeBody(capturedFully.chargeId));
    expect((await send(app, 'PATCH', `${disputes}/${closedDispute.json().disputeId}`, { statusDetails: { state: 'Closed' } })).statusCode).toBe(200);
    const disputeOf = (id: string) => `${disputes}/${id}`;
    const openDisputeId = openDispute.json().disputeId;
    probe('getDisputeInEnvironment', 'ResourceNotFound', () => send(app, 'GET', disputeOf(`${nowhere}-B000000`)));
    probe('getDisputeInEnvironment', 'InvalidSandboxSimulationSpecified', () => send(app, 'GET', disputeOf(openDisputeId), undefined, simulation));
    probe('updateDisputeInEnvironment', 'ResourceNotFound', () => send(app, 'PATCH', disputeOf(`${nowhere}-B000000`), { statusDetails: { state: 'Closed' } }));
    probe('updateDisputeInEnvironment', 'MissingParameterValue', () => send(app, 'PATCH', disputeOf(openDisputeId), { statusDetails: { state: 'Resolved' } }));
    probe('updateDisputeInEnvironment', 'InvalidParameterValue', () => send(app, 'PATCH', disputeOf(openDisputeId), { statusDetails: { state: 'Won' } }));
    probe('updateDisputeInEnvironment', 'UnrecognizedField', () => send(app, 'PATCH', disputeOf(openDisputeId), { state: 'Closed' }));
    probe('updateDisputeInEnvironment', 'InvalidRequestFormat', () => send(app, 'PATCH', disputeOf(openDisputeId), '[]'));
    probe('updateDisputeInEnvironment', 'InvalidSandboxSimulationSpecified', () => send(app, 'PATCH', disputeOf(openDisputeId), {}, simulation));
    probe('updateDisputeInEnvironment', 'InvalidDisputeStatus', () => send(app, 'PATCH', disputeOf(closedDispute.json().disputeId), { statusDetails: { state: 'Closed' } }));
    const evidence = { merchantEvidences: [{ evidenceType: 'Receipt', evidenceText: 'x' }] };
    probe('contestDisputeInEnvironment', 'ResourceNotFound', () => send(app, 'POST', `${disputeOf(`${nowhere}-B000000`)}/contest`, evidence));
    probe('contestDisputeInEnvironment', 'MissingParameterValue', () => send(app, 'POST', `${disputeOf(openDisputeId)}/contest`, {}));
    probe('contestDisputeInEnvironment', 'InvalidParameterValue', () => send(app, 'POST', `${disputeOf(openDisputeId)}/contest`, { merchantEvidences: [{ evidenceType: 'Receipt', fileId: 'nope' }] }));
    probe('contestDisputeInEnvironment', 'UnrecognizedField', () => send(app, 'POST', `${disputeOf(openDisputeId)}/contest`, { ...evidence, note: 'x' }));
    probe('contestDisputeInEnvironment', 'InvalidSandboxSimulationSpecified', () => send(app, 'POST', `${disputeOf(openDisputeId)}/contest`, evidence, simulation));
    probe('contestDisputeInEnvironment', 'InvalidDisputeStatus', () => send(app, 'POST', `${disputeOf(closedDispute.json().disputeId)}/contest`, evidence));
    probe('uploadFileInEnvironment', 'MissingParameterValue', () => send(app, 'POST', `${v2}/files`, { type: 'jpg' }));
    probe('uploadFileInEnvironment', 'InvalidParameterValue', () => send(app, 'POST', `${v2}/files`, { type: 'exe', purpose: 'disputeEvidence' }));
    probe('uploadFileInEnvironment', 'UnrecognizedField', () => send(app, 'POST', `${v2}/files`, { type: 'jpg', purpose: 'disputeEvidence', name: 'a.jpg' }));
    probe('uploadFileInEnvironment', 'InvalidSandboxSimulationSpecified', () => send(app, 'POST', `${v2}/files`, { type: 'jpg', purpose: 'disputeEvidence' }, simulation));
    probe('uploadFileInEnvironment', 'ResourceNotFound', () => send(app, 'POST', `/staging/v2/files`, { type: 'jpg', purpose: 'disputeEvidence' }));

    // Merchant accounts (issue #13).
    const accounts = `${v2}/merchantAccounts`;
    const account = (extra: Record<string, unknown> = {}) => ({
      uniqueReferenceId: `ref-${randomUUID()}`,
      ledgerCurrency: 'JPY',
      businessInfo: { businessType: 'INDIVIDUAL', countryOfEstablishment: 'JP', businessLegalName: 'Probe' },
      ...extra,
    });
    const registeredAccount = await send(app, 'POST', accounts, account());
    expect(registeredAccount.statusCode, registeredAccount.payload).toBe(201);
    const providerAccount = (await send(app, 'POST', accounts, account({ businessInfo: { email: 'a@b.example', businessType: 'CORPORATE', countryOfEstablishment: 'JP', businessLegalName: 'Probe' } }))).json();
    probe('createMerchantAccountInEnvironment', 'MissingParameterValue', () => send(app, 'POST', accounts, { uniqueReferenceId: 'r' }));
    probe('createMerchantAccountInEnvironment', 'InvalidParameterValue', () => send(app, 'POST', accounts, account({ ledgerCurrency: 'XYZ' })));
    probe('createMerchantAccountInEnvironment', 'UnrecognizedField', () => send(app, 'POST', accounts, account({ website: 'x' })));
    probe('createMerchantAccountInEnvironment', 'InvalidRequest', () => send(app, 'POST', accounts, account({ uniqueReferenceId: registeredAccount.json().uniqueReferenceId })));
    probe('createMerchantAccountInEnvironment', 'InvalidSandboxSimulationSpecified', () => send(app, 'POST', accounts, account(), simulation));
    probe('createMerchantAccountInEnvironment', 'ResourceNotFound', () => send(app, 'POST', staging(accounts), account()));
    const accountOf = (id: string) => `${accounts}/${id}`;
    const registeredId = registeredAccount.json().merchantAccountId;
    probe('updateMerchantAccountInEnvironment', 'ResourceNotFound', () => send(app, 'PATCH', accountOf('ANOSUCHACCOUNT1'), {}));
    probe('updateMerchantAccountInEnvironment', 'UnrecognizedField', () => send(app, 'PATCH', accountOf(registeredId), { ledgerCurrency: 'USD' }));
    probe('updateMerchantAccountInEnvironment', 'InvalidParameterValue', () => send(app, 'PATCH', accountOf(registeredId), { integrationInfo: { ipnEndpointUrls: ['ftp://x'] } }));
    probe('updateMerchantAccountInEnvironment', 'InvalidRequestFormat', () => send(app, 'PATCH', accountOf(registeredId), '[]'));
    probe('updateMerchantAccountInEnvironment', 'MissingHeader', () => send(app, 'PATCH', accountOf(providerAccount.merchantAccountId), {}));
    probe('updateMerchantAccountInEnvironment', 'InvalidSandboxSimulationSpecified', () => send(app, 'PATCH', accountOf(registeredId), {}, simulation));
    probe('deleteAmazonPayAccountInEnvironment', 'ResourceNotFound', () => send(app, 'DELETE', accountOf('ANOSUCHACCOUNT1')));
    probe('deleteAmazonPayAccountInEnvironment', 'InvalidSandboxSimulationSpecified', () => send(app, 'DELETE', accountOf(registeredId), undefined, simulation));
    const claim = (id: string) => `${accountOf(id)}/claim`;
    probe('merchantAccountClaimInEnvironment', 'ResourceNotFound', () => send(app, 'POST', claim('ANOSUCHACCOUNT1'), { uniqueReferenceId: 'r' }));
    probe('merchantAccountClaimInEnvironment', 'MissingParameterValue', () => send(app, 'POST', claim(providerAccount.merchantAccountId), {}));
    probe('merchantAccountClaimInEnvironment', 'InvalidParameterValue', () => send(app, 'POST', claim(providerAccount.merchantAccountId), { uniqueReferenceId: 'other' }));
    probe('merchantAccountClaimInEnvironment', 'UnrecognizedField', () => send(app, 'POST', claim(providerAccount.merchantAccountId), { uniqueReferenceId: 'r', note: 'x' }));
    probe('merchantAccountClaimInEnvironment', 'InvalidRequest', () => send(app, 'POST', claim(registeredId), { uniqueReferenceId: registeredAccount.json().uniqueReferenceId }));
    probe('merchantAccountClaimInEnvironment', 'InvalidSandboxSimulationSpecified', () => send(app, 'POST', claim(registeredId), {}, simulation));
    // Stores of a provider's account (the PHP SDK's createStore / updateStore).
    const storeOwner = (await send(app, 'POST', accounts, account({ businessInfo: { email: 's@b.example', businessType: 'CORPORATE', countryOfEstablishment: 'JP', businessLegalName: 'Stores' } }))).json();
    const ownerToken = { 'x-amz-pay-authtoken': storeOwner.authorizationToken };
    const stores = (id: string) => `${accountOf(id)}/stores`;
    const store = { storeName: 'Probe Store', allowedOriginDomains: ['https://shop.example'] };
    const created = await send(app, 'POST', stores(storeOwner.merchantAccountId), store, ownerToken);
    expect(created.statusCode, created.payload).toBe(201);
    const storeOf = (id: string) => `${stores(storeOwner.merchantAccountId)}/${id}`;
    const claimedOwner = (await send(app, 'POST', accounts, account({ businessInfo: { email: 'c@b.example', businessType: 'CORPORATE', countryOfEstablishment: 'JP', businessLegalName: 'Claimed' } }))).json();
    expect((await send(app, 'POST', claim(claimedOwner.merchantAccountId), { uniqueReferenceId: claimedOwner.uniqueReferenceId })).statusCode).toBe(303);
    probe('createStoreInEnvironment', 'ResourceNotFound', () => send(app, 'POST', stores('ANOSUCHACCOUNT1'), store, ownerToken));
    probe('createStoreInEnvironment', 'MissingParameterValue', () => send(app, 'POST', stores(storeOwner.merchantAccountId), { allowedOriginDomains: ['https://shop.example'] }, ownerToken));
    probe('createStoreInEnvironment', 'InvalidParameterValue', () => send(app, 'POST', stores(storeOwner.merchantAccountId), { ...store, merchantLogoUrl: 'logo.png' }, ownerToken));
    probe('createStoreInEnvironment', 'UnrecognizedField', () => send(app, 'POST', stores(storeOwner.merchantAccountId), { ...store, domainUrls: [] }, ownerToken));
    probe('createStoreInEnvironment', 'MissingHeader', () => send(app, 'POST', stores(storeOwner.merchantAccountId), store));
    probe('createStoreInEnvironment', 'InvalidAuthorizationToken', () => send(app, 'POST', stores(registeredId), store, ownerToken));
    probe('createStoreInEnvironment', 'InvalidRequest', () => send(app, 'POST', stores(claimedOwner.merchantAccountId), store, { 'x-amz-pay-authtoken': claimedOwner.authorizationToken }));
    probe('createStoreInEnvironment', 'InvalidSandboxSimulationSpecified', () => send(app, 'POST', stores(storeOwner.merchantAccountId), store, { ...ownerToken, ...simulation }));
    probe('updateStoreInEnvironment', 'ResourceNotFound', () => send(app, 'PATCH', storeOf('amzn1.application-oa2-client.00000000000000000000000000000000'), {}, ownerToken));
    probe('updateStoreInEnvironment', 'InvalidParameterValue', () => send(app, 'PATCH', storeOf(created.json().storeId), { allowedRedirectURLs: 'https://shop.example' }, ownerToken));
    probe('updateStoreInEnvironment', 'UnrecognizedField', () => send(app, 'PATCH', storeOf(created.json().storeId), { storeId: 'x' }, ownerToken));
    probe('updateStoreInEnvironment', 'MissingHeader', () => send(app, 'PATCH', storeOf(created.json().storeId), {}));
    probe('updateStoreInEnvironment', 'InvalidSandboxSimulationSpecified', () => send(app, 'PATCH', storeOf(created.json().storeId), {}, { ...ownerToken, ...simulation }));

    // In-store (issue #13).
    const scanBody = () => ({ scanData: 'code', scanReferenceId: randomUUID().replace(/-/g, ''), merchantCOE: 'US', ledgerCurrency: 'USD' });
    const scanned = (await send(app, 'POST', `${v2}/in-store/merchantScan`, scanBody())).json().chargePermissionId;
    const usedScan = (await send(app, 'POST', `${v2}/in-store/merchantScan`, scanBody())).json().chargePermissionId;
    const storeCharge = (await send(app, 'POST', `${v2}/in-store/charge`, { chargePermissionId: usedScan, chargeReferenceId: 'probe-charge', chargeTotal: usd(2) })).json().chargeId;
    for (let i = 0; i < 10; i++) expect((await send(app, 'POST', `${v2}/in-store/refund`, { chargeId: storeCharge, refundReferenceId: `probe-r${i}`, refundTotal: { amount: '0.01', currencyCode: 'USD' } })).statusCode).toBe(200);
    probe('merchantScanInEnvironment', 'MissingParameterValue', () => send(app, 'POST', `${v2}/in-store/merchantScan`, { scanData: 'x' }));
    probe('merchantScanInEnvironment', 'InvalidParameterValue', () => send(app, 'POST', `${v2}/in-store/merchantScan`, { ...scanBody(), merchantCOE: 'USA' }));
    probe('merchantScanInEnvironment', 'UnrecognizedField', () => send(app, 'POST', `${v2}/in-store/merchantScan`, { ...scanBody(), note: 'x' }));
    expect((await send(app, 'POST', `${v2}/in-store/merchantScan`, { ...scanBody(), scanReferenceId: 'same-scan' })).statusCode).toBe(200);
    probe('merchantScanInEnvironment', 'InvalidRequest', () => send(app, 'POST', `${v2}/in-store/merchantScan`, { ...scanBody(), scanReferenceId: 'same-scan' }));
    probe('merchantScanInEnvironment', 'InvalidSandboxSimulationSpecified', () => send(app, 'POST', `${v2}/in-store/merchantScan`, scanBody(), simulation));
    probe('merchantScanInEnvironment', 'ResourceNotFound', () => send(app, 'POST', '/staging/v2/in-store/merchantScan', scanBody()));
    const storeChargeBody = (extra: Record<string, unknown> = {}) => ({ chargePermissionId: scanned, chargeReferenceId: randomUUID().replace(/-/g, ''), chargeTotal: usd(2), ...extra });
    probe('inStoreChargeInEnvironment', 'MissingParameterValue', () => send(app, 'POST', `${v2}/in-store/charge`, { chargePermissionId: scanned }));
    probe('inStoreChargeInEnvironment', 'InvalidParameterValue', () => send(app, 'POST', `${v2}/in-store/charge`, storeChargeBody({ chargeTotal: usd('two') })));
    probe('inStoreChargeInEnvironment', 'UnrecognizedField', () => send(app, 'POST', `${v2}/in-store/charge`, storeChargeBody({ tip: 1 })));
    probe('inStoreChargeInEnvironment', 'CurrencyMismatch', () => send(app, 'POST', `${v2}/in-store/charge`, storeChargeBody({ chargeTotal: { amount: '2', currencyCode: 'EUR' } })));
    probe('inStoreChargeInEnvironment', 'TransactionAmountExceeded', () => send(app, 'POST', `${v2}/in-store/charge`, storeChargeBody({ chargeTotal: usd('150000.01') })));
    probe('inStoreChargeInEnvironment', 'InvalidRequest', () => send(app, 'POST', `${v2}/in-store/charge`, storeChargeBody({ chargeReferenceId: 'probe-charge' })));
    probe('inStoreChargeInEnvironment', 'ResourceNotFound', () => send(app, 'POST', `${v2}/in-store/charge`, storeChargeBody({ chargePermissionId: nowhere })));
    probe('inStoreChargeInEnvironment', 'InvalidChargePermissionStatus', () => send(app, 'POST', `${v2}/in-store/charge`, storeChargeBody({ chargePermissionId: usedScan })));
    probe('inStoreChargeInEnvironment', 'InvalidSandboxSimulationSpecified', () => send(app, 'POST', `${v2}/in-store/charge`, storeChargeBody(), simulation));
    const storeRefundBody = (extra: Record<string, unknown> = {}) => ({ chargeId: storeCharge, refundReferenceId: randomUUID().replace(/-/g, ''), refundTotal: usd(1), ...extra });
    probe('inStoreRefundInEnvironment', 'MissingParameterValue', () => send(app, 'POST', `${v2}/in-store/refund`, { chargeId: storeCharge }));
    probe('inStoreRefundInEnvironment', 'InvalidParameterValue', () => send(app, 'POST', `${v2}/in-store/refund`, storeRefundBody({ refundTotal: usd('x') })));
    probe('inStoreRefundInEnvironment', 'UnrecognizedField', () => send(app, 'POST', `${v2}/in-store/refund`, storeRefundBody({ why: 'x' })));
    probe('inStoreRefundInEnvironment', 'CurrencyMismatch', () => send(app, 'POST', `${v2}/in-store/refund`, storeRefundBody({ refundTotal: { amount: '1', currencyCode: 'EUR' } })));
    probe('inStoreRefundInEnvironment', 'TransactionAmountExceeded', () => send(app, 'POST', `${v2}/in-store/refund`, storeRefundBody({ refundTotal: usd(3) })));
    probe('inStoreRefundInEnvironment', 'TransactionCountExceeded', () => send(app, 'POST', `${v2}/in-store/refund`, storeRefundBody({ refundTotal: usd('0.01') })));
    probe('inStoreRefundInEnvironment', 'InvalidRequest', () => send(app, 'POST', `${v2}/in-store/refund`, storeRefundBody({ refundReferenceId: 'probe-r0' })));
    probe('inStoreRefundInEnvironment', 'ResourceNotFound', () => send(app, 'POST', `${v2}/in-store/refund`, storeRefundBody({ chargeId: `${nowhere}-C000000` })));
    probe('inStoreRefundInEnvironment', 'InvalidSandboxSimulationSpecified', () => send(app, 'POST', `${v2}/in-store/refund`, storeRefundBody(), simulation));


    // Buyers, delivery trackers, authorization tokens.
    const otherMerchantsToken = (await send(app, 'POST', '/__admin/buyers?merchant=SANDBOX-OPENAPIOTHER')).json().buyerToken;
    probe('getBuyerInEnvironment', 'ResourceNotFound', () => send(app, 'GET', `${v2}/buyers/${otherMerchantsToken}`));
    probe('getBuyerInEnvironment', 'InvalidSandboxSimulationSpecified', () => send(app, 'GET', `${v2}/buyers/${otherMerchantsToken}`, undefined, { 'x-amz-pay-simulation-code': 'BuyerCanceled' }));
    probe('getBuyerInEnvironment', 'InvalidHeaderValue', () => send(app, 'GET', `${v2}/buyers/${otherMerchantsToken}`, undefined, { 'x-amz-pay-region': 'mars' }));
    const trackers = `${v2}/deliveryTrackers`;
    const detail = { trackingNumber: '1Z', carrierCode: 'UPS' };
    probe('deliveryTrackersInEnvironment', 'MissingParameterValue', () => send(app, 'POST', trackers, { chargePermissionId: authorized.chargePermissionId }));
    probe('deliveryTrackersInEnvironment', 'MissingParameterValue', () => send(app, 'POST', trackers, { chargePermissionId: authorized.chargePermissionId, deliveryDetails: [] }));
    probe('deliveryTrackersInEnvironment', 'MissingParameterValue', () => send(app, 'POST', trackers, { chargePermissionId: authorized.chargePermissionId, deliveryDetails: [{ trackingNumber: '1Z' }] }));
    probe('deliveryTrackersInEnvironment', 'InvalidParameterValue', () => send(app, 'POST', trackers, { chargePermissionId: authorized.chargePermissionId, deliveryDetails: Array(11).fill(detail) }));
    probe('deliveryTrackersInEnvironment', 'UnrecognizedField', () => send(app, 'POST', trackers, { chargePermissionId: authorized.chargePermissionId, deliveryDetails: [{ ...detail, eta: 'soon' }] }));
    probe('deliveryTrackersInEnvironment', 'InvalidParameterCombination', () => send(app, 'POST', trackers, { chargePermissionId: authorized.chargePermissionId, amazonOrderReferenceId: 'S01-1', deliveryDetails: [detail] }));
    probe('deliveryTrackersInEnvironment', 'InvalidParameterCombination', () => send(app, 'POST', trackers, { deliveryDetails: [detail] }));
    probe('deliveryTrackersInEnvironment', 'InvalidParameterValue', () => send(app, 'POST', trackers, { chargePermissionId: nowhere, deliveryDetails: [detail] }));
    probe('deliveryTrackersInEnvironment', 'InvalidParameterValue', () => send(app, 'POST', trackers, { chargePermissionId: authorized.chargePermissionId, deliveryDetails: [detail, detail] }));
    probe('getChargePermissionInEnvironment', 'InvalidAuthorizationToken', () => send(app, 'GET', `/sandbox/v2/chargePermissions/${nowhere}`, undefined, { 'x-amz-pay-authtoken': 'Atza|never-issued' }));
    probe('deliveryTrackersInEnvironment', 'ResourceNotFound', () => send(app, 'POST', '/staging/v2/deliveryTrackers', { chargePermissionId: nowhere, deliveryDetails: [detail] }));
    probe('deliveryTrackersInEnvironment', 'InvalidSandboxSimulationSpecified', () => send(app, 'POST', trackers, { chargePermissionId: nowhere, deliveryDetails: [detail] }, { 'x-amz-pay-simulation-code': 'Shipped' }));
    probe('deliveryTrackersInEnvironment', 'MissingHeaderValue', () => send(app, 'POST', trackers, { chargePermissionId: nowhere, deliveryDetails: [detail] }, { 'x-amz-pay-idempotency-key': '' }));
    const trackerKey = { 'x-amz-pay-idempotency-key': 'openapi-tracker-key' };
    expect((await send(app, 'POST', trackers, { chargePermissionId: authorized.chargePermissionId, deliveryDetails: [detail] }, trackerKey)).statusCode).toBe(200);
    probe('deliveryTrackersInEnvironment', 'DuplicateIdempotencyKey', () => send(app, 'POST', trackers, { chargePermissionId: authorized.chargePermissionId, deliveryDetails: [detail, detail] }, trackerKey));
    const tokens = `${v2}/authorizationTokens`;
    probe('getAuthorizationTokenInEnvironment', 'MissingParameterValue', () => send(app, 'GET', `${tokens}/amzn.mws.x`));
    probe('getAuthorizationTokenInEnvironment', 'MissingParameterValue', () => send(app, 'GET', `${tokens}/amzn.mws.x?merchantId=`));
    probe('getAuthorizationTokenInEnvironment', 'ResourceNotFound', () => send(app, 'GET', `/staging/v2/authorizationTokens/amzn.mws.x?merchantId=M`));
    probe('getAuthorizationTokenInEnvironment', 'InvalidSandboxSimulationSpecified', () => send(app, 'GET', `${tokens}/amzn.mws.x?merchantId=M`, undefined, { 'x-amz-pay-simulation-code': 'Declined' }));
    probe('getAuthorizationToken', 'InvalidRequest', () => send(app, 'GET', '/v2/authorizationTokens/amzn.mws.x?merchantId=M'));
    probe('getAuthorizationTokenInEnvironment', 'InvalidParameterValue', () => send(app, 'GET', `${tokens}/amzn.mws.${'x'.repeat(120)}?merchantId=M`));

    // The control API's buyer tokens, and scenario rules that apply simulation codes.
    probe('issueBuyerToken', 'MissingParameterValue', () => send(app, 'POST', '/__admin/buyers'));
    probe('issueBuyerToken', 'InvalidParameterValue', () => send(app, 'POST', '/__admin/buyers?merchant=a&merchant=b'));
    probe('issueBuyerToken', 'InvalidParameterValue', () => send(app, 'POST', '/__admin/buyers?merchant=', {}));
    probe('issueBuyerToken', 'InvalidParameterValue', () => send(app, 'POST', '/__admin/buyers?merchant=anonymous', { buyer: { primeMembershipTypes: Array(11).fill('Prime') } }));
    probe('issueBuyerToken', 'UnrecognizedField', () => send(app, 'POST', '/__admin/buyers?merchant=anonymous', { card: '1111' }));
    probe('issueBuyerToken', 'InvalidRequestFormat', () => send(app, 'POST', '/__admin/buyers?merchant=anonymous', '[]'));
    probe('issueBuyerToken', 'InvalidHeaderValue', () => send(app, 'POST', '/__admin/buyers?merchant=anonymous&region=mars'));
    probe('issueBuyerToken', 'InvalidParameterValue', () => send(app, 'POST', '/__admin/buyers?merchant=anonymous&region=eu&region=jp'));
    probe('addScenarios', 'InvalidParameterValue', () => send(app, 'POST', '/__admin/scenarios', { name: 'x', match: { operation: 'getCharge' }, outcome: { kind: 'simulate', code: 'CaptureInitiated' } }));
    probe('addScenarios', 'InvalidParameterValue', () => send(app, 'POST', '/__admin/scenarios', { name: 'x', match: { operation: '*' }, outcome: { kind: 'simulate', code: 'Nope' } }));
    probe('addScenarios', 'InvalidParameterValue', () => send(app, 'POST', '/__admin/scenarios', { name: 'x', match: { operation: 'createCharge' }, outcome: { kind: 'cancel', reasonCode: 'BuyerCanceled' } }));

    // With signature checking on (the default).
    const signed = await buildApp(testConfig(), { store: new MemoryStore() });
    try {
      const keys = (await send(signed, 'GET', '/__admin/publicKeys')).json().publicKeys as { publicKeyId: string }[];
      const sandboxKey = keys.find((k) => k.publicKeyId.startsWith('SANDBOX-'))!.publicKeyId;
      const date = formatTimestamp(Date.now());
      const auth = (keyId: string) => `AMZN-PAY-RSASSA-PSS PublicKeyId=${keyId}, SignedHeaders=x-amz-pay-date, Signature=AAAA`;
      probe('createCheckoutSession', 'MissingHeader', () => send(signed, 'POST', '/v2/checkoutSessions', sessionBody(), { 'x-amz-pay-date': date }));
      probe('createCheckoutSession', 'MissingHeaderValue', () => send(signed, 'POST', '/v2/checkoutSessions', sessionBody(), { authorization: ' ', 'x-amz-pay-date': date }));
      probe('createCheckoutSession', 'InvalidHeaderValue', () => send(signed, 'POST', '/v2/checkoutSessions', sessionBody(), { authorization: 'HMAC x', 'x-amz-pay-date': date }));
      probe('createCheckoutSession', 'UnauthorizedAccess', () => send(signed, 'POST', '/v2/checkoutSessions', sessionBody(), { authorization: auth('SANDBOX-NOBODY'), 'x-amz-pay-date': date }));
      probe('createCheckoutSession', 'InvalidRequestSignature', () => send(signed, 'POST', '/v2/checkoutSessions', sessionBody(), { authorization: auth(sandboxKey), 'x-amz-pay-date': date }));
      probe('getCheckoutSession', 'MissingHeader', () => send(signed, 'GET', '/v2/checkoutSessions/x', undefined, { authorization: auth(sandboxKey) }));

      for (const { operationId, reasonCode, call } of probes) {
        const res = await call();
        const where = `${operationId} -> ${reasonCode}`;
        expect(res.json().reasonCode, `${where}: ${res.payload.slice(0, 300)}`).toBe(reasonCode);
        const response = await expectDocumented(operationId, res);
        expect(response['x-reason-codes'], `${where} is listed under ${res.statusCode}`).toContain(reasonCode);
      }
    } finally {
      await signed.close();
    }

    // Every code an emulated operation documents is probed on it, except the pipeline's own
    // (probed above on Checkout Session operations): none is listed that cannot happen.
    const pipelineCodes = new Set([
      'MissingHeader', 'MissingHeaderValue', 'InvalidHeaderValue', 'InvalidRequest', 'InvalidRequestFormat', 'DuplicateIdempotencyKey',
      'UnauthorizedAccess', 'InvalidRequestSignature', 'InvalidAuthorizationToken', 'RequestEntityTooLarge', 'InternalServerError',
    ]);
    const unprobed: string[] = [];
    for (const name of operationNames) {
      const variants = [name, `${name}InEnvironment`];
      const probed = new Set(probes.filter((p) => variants.includes(p.operationId)).map((p) => p.reasonCode));
      for (const id of variants) {
        for (const response of Object.values(operationById(id).operation.responses as Record<string, Json>)) {
          for (const code of (deref(response)['x-reason-codes'] ?? []) as string[]) {
            if (!pipelineCodes.has(code) && !probed.has(code)) unprobed.push(`${id}: ${code}`);
          }
        }
      }
    }
    // The same for the control API, whose every route has its own list: only the body limit, a
    // crash and the admin token (probed on every control route by its own test) are left out.
    for (const { path, operation } of documentedOperations().filter((o) => o.path.startsWith('/__admin'))) {
      const probed = new Set(probes.filter((p) => p.operationId === operation.operationId).map((p) => p.reasonCode));
      for (const response of Object.values(operation.responses as Record<string, Json>)) {
        for (const code of (deref(response)['x-reason-codes'] ?? []) as string[]) {
          if (!['RequestEntityTooLarge', 'InternalServerError', 'UnauthorizedAccess'].includes(code) && !probed.has(code)) unprobed.push(`${operation.operationId} (${path}): ${code}`);
        }
      }
    }
    expect([...new Set(unprobed)]).toEqual([]);

    // A scripted error can be any catalog code with any status: the `default` response.
    const rule = { name: 'throttle', match: { operation: 'getCheckoutSession' }, outcome: { kind: 'error', reasonCode: 'TooManyRequests' }, times: 1 };
    expect((await send(app, 'POST', '/__admin/scenarios', rule)).statusCode).toBe(201);
    const scripted = await send(app, 'GET', `${env}/${openId}`);
    expect(scripted.statusCode).toBe(429);
    await expectDocumented('getCheckoutSessionInEnvironment', scripted, { allowDefault: true });

    // A rule can apply a simulation code: a documented status and reason code too.
    const simulate = { name: 'decline', match: { operation: 'createCharge' }, outcome: { kind: 'simulate', code: 'SoftDeclined' }, times: 1 };
    const added = await send(app, 'POST', '/__admin/scenarios?merchant=anonymous', simulate);
    expect(added.statusCode, added.payload).toBe(201);
    expect(added.json().rules[0].outcome).toEqual({ kind: 'simulate', code: 'SoftDeclined' });
    await expectDocumented('addScenarios', added);
    const simulated = await send(app, 'POST', '/sandbox/v2/charges', { chargePermissionId: chargeable.chargePermissionId, chargeAmount: usd(1) });
    expect(simulated.json().reasonCode, simulated.payload).toBe('SoftDeclined');
    expect((await expectDocumented('createChargeInEnvironment', simulated))['x-reason-codes']).toContain('SoftDeclined');
    await send(app, 'DELETE', '/__admin/scenarios');
  });
});
