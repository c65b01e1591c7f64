import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { operationNames, type OperationName } from '../../server/domain/operationNames.js';
import { demoKeyIds } from '../helpers/demoKeys.js';
import { liveServer, sdkError, useLiveServer, type LiveServer } from '../helpers/runningServer.js';
import { readySessionBody } from '../helpers/testApp.js';
import { sessionKeys } from '../helpers/wireKeys.js';
import { advanceClock, authorizedCharge, capturedCharge, chargeablePermission, DAY_SECONDS, idem, readySession, usd } from './flows.js';

/**
 * Finalize, Buyer, Delivery Trackers and Authorization Tokens through the SDK; every operation's
 * answer through the SDK's own response handling; multi-address sessions.
 */

const suite = useLiveServer({ pendingDelaySeconds: 30 });

const chargeKeys = [
  'chargeId', 'chargeAmount', 'chargePermissionId', 'captureAmount', 'refundedAmount', 'softDescriptor', 'providerMetadata',
  'convertedAmount', 'conversionRate', 'channel', 'chargeInitiator', 'statusDetails', 'creationTimestamp', 'expirationTimestamp',
  'releaseEnvironment', 'merchantMetadata', 'platformId', 'webCheckoutDetails',
];
const permissionKeys = [
  'chargePermissionId', 'chargePermissionReferenceId', 'platformId', 'buyer', 'shippingAddress', 'billingAddress', 'paymentPreferences',
  'statusDetails', 'creationTimestamp', 'expirationTimestamp', 'merchantMetadata', 'releaseEnvironment', 'limits', 'chargePermissionType',
  'recurringMetadata', 'presentmentCurrency',
];
const refundKeys = ['refundId', 'chargeId', 'creationTimestamp', 'refundAmount', 'statusDetails', 'softDescriptor', 'releaseEnvironment'];
const buyerKeys = ['buyerId', 'name', 'email', 'postalCode', 'countryCode', 'phoneNumber', 'shippingAddress', 'billingAddress', 'primeMembershipTypes'];
const addressKeys = ['name', 'addressLine1', 'addressLine2', 'addressLine3', 'city', 'county', 'district', 'stateOrRegion', 'postalCode', 'countryCode', 'phoneNumber'];

async function issueBuyerToken(body: unknown = {}): Promise<{ buyerToken: string; buyer: any }> {
  const issued = await suite.live.admin('POST', `/__admin/buyers?merchant=${demoKeyIds.sandbox}`, body);
  expect(issued.status).toBe(201);
  return issued.body;
}

/** Every timestamp in Amazon's compact form and every Price with a string amount, anywhere in the body. */
function expectWireForms(value: unknown, path = 'body'): void {
  if (Array.isArray(value)) return value.forEach((v, i) => expectWireForms(v, `${path}[${i}]`));
  if (value === null || typeof value !== 'object') return;
  const obj = value as Record<string, unknown>;
  if ('amount' in obj && 'currencyCode' in obj) expect(typeof obj.amount, `${path}.amount`).toBe('string');
  for (const [k, v] of Object.entries(obj)) {
    if (k.endsWith('Timestamp') && v !== null) expect(v, `${path}.${k}`).toMatch(/^\d{8}T\d{6}Z$/);
    expectWireForms(v, `${path}.${k}`);
  }
}

describe('finalizeCheckoutSession (Buy Now)', () => {
  it('completes a session with the buyer\'s address echoed back: 200, sparse body with cartDetails', async () => {
    const id = await readySession(suite.client, { intent: 'Authorize', amount: '25.00' });
    const session = (await suite.client.getCheckoutSession(id)).data;
    expect(session.productType).toBe('PayAndShip');
    const finalized = await suite.client.finalizeCheckoutSession(
      id,
      { shippingAddress: session.shippingAddress, chargeAmount: usd('25.00'), paymentIntent: 'AuthorizeWithCapture' },
      idem(),
    );
    expect(finalized.status).toBe(200);
    const expectedKeys = [...sessionKeys];
    expectedKeys.splice(expectedKeys.indexOf('paymentDetails') + 1, 0, 'cartDetails');
    expect(Object.keys(finalized.data)).toEqual(expectedKeys);
    expect(finalized.data.statusDetails.state).toBe('Completed');
    expect(finalized.data.chargePermissionId).toMatch(/^S01-\d{7}-\d{7}$/);
    const charge = (await suite.client.getCharge(finalized.data.chargeId)).data;
    expect(charge.statusDetails.state).toBe('Captured');
    expect(charge.captureAmount).toEqual(usd('25.00'));
    expect((await suite.client.getCheckoutSession(id)).data.statusDetails.state).toBe('Completed');
  });

  it('refuses a shipping address that differs from the buyer\'s with 400 and leaves the session Open', async () => {
    const id = await readySession(suite.client, { intent: 'Authorize', amount: '25.00' });
    const session = (await suite.client.getCheckoutSession(id)).data;
    const err = await sdkError(
      suite.client.finalizeCheckoutSession(id, { shippingAddress: { ...session.shippingAddress, city: 'Elsewhere' }, chargeAmount: usd('25.00'), paymentIntent: 'Authorize' }, idem()),
    );
    expect(err.status).toBe(400);
    expect(err.body.reasonCode).toBe('InvalidParameterValue');
    expect(err.body.message).toContain('city');
    expect((await suite.client.getCheckoutSession(id)).data.statusDetails.state).toBe('Open');
  });
});

describe('getBuyer', () => {
  it('answers 200 with the Buyer of an issued token', async () => {
    const issued = await issueBuyerToken({ buyer: { name: 'Ada Buyer', email: 'ada@example.com' } });
    const got = await suite.client.getBuyer(issued.buyerToken);
    expect(got.status).toBe(200);
    expect(Object.keys(got.data)).toEqual(buyerKeys);
    expect(got.data.buyerId).toMatch(/^amzn1\.account\.[A-Z0-9]{28}$/);
    expect(got.data).toMatchObject({ name: 'Ada Buyer', email: 'ada@example.com' });
    expect(Object.keys(got.data.shippingAddress)).toEqual(addressKeys);
  });

  it('answers 404 ResourceNotFound for an unknown token', async () => {
    const err = await sdkError(suite.client.getBuyer('BT-unknown-token'));
    expect(err.status).toBe(404);
    expect(err.body.reasonCode).toBe('ResourceNotFound');
  });
});

describe('deliveryTrackers', () => {
  it('answers 200 for a known charge permission', async () => {
    const chargePermissionId = await chargeablePermission(suite.client, '10.00');
    const res = await suite.client.deliveryTrackers({ chargePermissionId, deliveryDetails: [{ trackingNumber: '1Z999AA10123456784', carrierCode: 'UPS' }] });
    expect(res.status).toBe(200);
    expect(res.data).toMatchObject({ chargePermissionId, deliveryDetails: [{ trackingNumber: '1Z999AA10123456784', carrierCode: 'UPS' }] });
  });

  it('answers 400 InvalidParameterValue for an unknown charge permission (Delivery Tracker page)', async () => {
    const err = await sdkError(suite.client.deliveryTrackers({ chargePermissionId: 'S01-0000000-0000000', deliveryDetails: [{ trackingNumber: '1Z', carrierCode: 'UPS' }] }));
    expect(err.status).toBe(400);
    expect(err.body.reasonCode).toBe('InvalidParameterValue');
  });
});

describe('getAuthorizationToken', () => {
  it('answers 200 with an authorizationToken', async () => {
    const res = await suite.client.getAuthorizationToken('amzn.mws.4ea38b7b-f563-7709-4bae-87aeaEXAMPLE', 'A3OJ83WFYM72IY');
    expect(res.status).toBe(200);
    expect(Object.keys(res.data)).toEqual(['authorizationToken']);
    expect(typeof res.data.authorizationToken).toBe('string');
    expect(res.data.authorizationToken.length).toBeGreaterThan(0);
  });

  it('answers 400 when merchantId is missing or empty', async () => {
    const missing = await sdkError(suite.client.apiCall({ method: 'GET', urlFragment: 'authorizationTokens/amzn.mws.token' }));
    expect(missing.status).toBe(400);
    expect(missing.body.reasonCode).toBe('MissingParameterValue');
    const empty = await sdkError(suite.client.getAuthorizationToken('amzn.mws.token', ''));
    expect(empty.status).toBe(400);
    expect(empty.body.reasonCode).toBe('MissingParameterValue');
  });
});

const settlement = '_GET_FLAT_FILE_OFFAMAZONPAYMENTS_SANDBOX_SETTLEMENT_DATA_';
const reportPeriod = { reportType: settlement, startTime: '20240101T000000Z', endTime: '20240102T000000Z' };

/** The Reports operations, each on objects of its own (reports complete after the pending delay). */
function reportCalls(): Partial<Record<OperationName, () => Promise<{ response: any; keys?: string[] }>>> {
  const report = async () => (await suite.client.createReport(reportPeriod, idem())).data.reportId as string;
  const schedule = async (reportType: string) =>
    (await suite.client.createReportSchedule({ reportType, scheduleFrequency: 'P1D', deleteExistingSchedule: true }, idem())).data.reportScheduleId as string;
  return {
    createReport: async () => ({ response: await suite.client.createReport(reportPeriod, idem()), keys: ['reportId'] }),
    getReportById: async () => ({ response: await suite.client.getReportById(await report()) }),
    getReports: async () => ({ response: await suite.client.getReports({ reportTypes: [settlement] }), keys: ['reports', 'nextToken'] }),
    getReportDocument: async () => {
      const id = await report();
      await advanceClock(suite.live, 31);
      const { reportDocumentId } = (await suite.client.getReportById(id)).data;
      return { response: await suite.client.getReportDocument(reportDocumentId), keys: ['reportDocumentId', 'url', 'compressionAlgorithm'] };
    },
    createReportSchedule: async () => ({
      response: await suite.client.createReportSchedule({ reportType: settlement, scheduleFrequency: 'P7D', deleteExistingSchedule: true }, idem()),
      keys: ['reportScheduleId'],
    }),
    getReportSchedules: async () => ({ response: await suite.client.getReportSchedules(), keys: ['reportSchedules'] }),
    getReportScheduleById: async () => ({ response: await suite.client.getReportScheduleById(await schedule('_GET_FLAT_FILE_OFFAMAZONPAYMENTS_REFUND_DATA_')) }),
    cancelReportSchedule: async () => ({ response: await suite.client.cancelReportSchedule(await schedule('_GET_FLAT_FILE_OFFAMAZONPAYMENTS_CAPTURE_DATA_')), keys: [] }),
    // The Node SDK has no getDisbursements method: its signed apiCall sends what the PHP, Java and Ruby SDKs send.
    getDisbursements: async () => {
      await capturedCharge(suite.client, '3.00');
      await advanceClock(suite.live, DAY_SECONDS); // the capture's day ends and is paid out
      const response = await suite.client.apiCall({ method: 'GET', urlFragment: 'disbursements', queryParams: { startTime: '20000101T000000Z', endTime: '20991231T000000Z' } });
      expect(response.data.disbursements.length).toBeGreaterThan(0);
      return { response, keys: ['disbursements', 'nextToken'] };
    },
  };
}

/** The dispute and file operations, each on a dispute of its own over a captured charge. */
function disputeCalls(): Partial<Record<OperationName, () => Promise<{ response: any; keys?: string[] }>>> {
  const dispute = async () => {
    const { chargeId } = await capturedCharge(suite.client, '10.00');
    return suite.client.createDispute({ chargeId, disputeAmount: usd('1.00'), filingReason: 'Overcharged' }, idem());
  };
  return {
    createDispute: async () => ({ response: await dispute() }),
    getDispute: async () => ({ response: await suite.client.getDispute((await dispute()).data.disputeId) }),
    updateDispute: async () => ({ response: await suite.client.updateDispute((await dispute()).data.disputeId, { statusDetails: { state: 'Closed' } }) }),
    contestDispute: async () => ({
      response: await suite.client.contestDispute((await dispute()).data.disputeId, { merchantEvidences: [{ evidenceType: 'Other', evidenceText: 'x' }] }, idem()),
    }),
    uploadFile: async () => ({
      response: await suite.client.uploadFile({ type: 'pdf', purpose: 'disputeEvidence' }, idem()),
      keys: ['id', 'type', 'purpose', 'url', 'size', 'uploadTimestamp', 'urlExpirationTimestamp'],
    }),
  };
}

/** The merchant-account operations that answer a 2xx JSON body (202 and 303 are checked in merchantAccounts.sdk.test.ts). */
function merchantAccountCalls(): Partial<Record<OperationName, () => Promise<{ response: any; keys?: string[] }>>> {
  const account = (email?: string) => ({
    uniqueReferenceId: `ref-${Math.random().toString(36).slice(2)}`,
    ledgerCurrency: 'JPY',
    businessInfo: { businessType: 'CORPORATE', countryOfEstablishment: 'JP', businessLegalName: 'Ops', ...(email ? { email } : {}) },
  });
  return {
    createMerchantAccount: async () => ({ response: await suite.client.createMerchantAccount(account('ops@shop.example')), keys: ['uniqueReferenceId', 'merchantAccountId', 'authorizationToken'] }),
    updateMerchantAccount: async () => {
      const created = (await suite.client.createMerchantAccount(account('ops@shop.example'))).data;
      const response = await suite.client.updateMerchantAccount(created.merchantAccountId, { businessInfo: { businessDisplayName: 'Ops' } }, { 'x-amz-pay-authtoken': created.authorizationToken });
      return { response, keys: ['uniqueReferenceId', 'merchantAccountId'] };
    },
    // The PHP SDK's store management, through the Node SDK's generic apiCall.
    createStore: async () => {
      const created = (await suite.client.createMerchantAccount(account('ops@shop.example'))).data;
      const response = await suite.client.apiCall({ method: 'POST', urlFragment: `merchantAccounts/${created.merchantAccountId}/stores`, payload: { storeName: 'Ops' }, headers: { 'x-amz-pay-authtoken': created.authorizationToken } });
      return { response, keys: storeKeys };
    },
    updateStore: async () => {
      const created = (await suite.client.createMerchantAccount(account('ops@shop.example'))).data;
      const headers = { 'x-amz-pay-authtoken': created.authorizationToken };
      const { storeId } = (await suite.client.apiCall({ method: 'POST', urlFragment: `merchantAccounts/${created.merchantAccountId}/stores`, payload: { storeName: 'Ops' }, headers })).data;
      const response = await suite.client.apiCall({ method: 'PATCH', urlFragment: `merchantAccounts/${created.merchantAccountId}/stores/${storeId}`, payload: { privacyPolicyUrl: 'https://shop.example/privacy' }, headers });
      return { response, keys: storeKeys };
    },
  };
}
const storeKeys = ['storeId', 'storeName', 'allowedOriginDomains', 'allowedRedirectURLs', 'privacyPolicyUrl', 'merchantLogoUrl'];

describe('every operation\'s answer goes through the SDK\'s response handling', () => {
  /** One successful SDK call per operation; returns the response and, where fixed, the keys it must have. */
  const calls: Partial<Record<OperationName, () => Promise<{ response: any; keys?: string[] }>>> = {
    createCheckoutSession: async () => ({ response: await suite.client.createCheckoutSession(readySessionBody(), idem()), keys: sessionKeys }),
    getCheckoutSession: async () => ({ response: await suite.client.getCheckoutSession(await readySession(suite.client, { intent: 'Authorize' })), keys: sessionKeys }),
    updateCheckoutSession: async () => ({
      response: await suite.client.updateCheckoutSession(await readySession(suite.client, { intent: 'Authorize' }), { merchantMetadata: { noteToBuyer: 'Thanks!' } }),
      keys: sessionKeys,
    }),
    completeCheckoutSession: async () => {
      const id = await readySession(suite.client, { intent: 'Authorize' });
      return { response: await suite.client.completeCheckoutSession(id, { chargeAmount: usd('100.00') }), keys: sessionKeys };
    },
    finalizeCheckoutSession: async () => {
      const id = await readySession(suite.client, { intent: 'Authorize' });
      const s = (await suite.client.getCheckoutSession(id)).data;
      return { response: await suite.client.finalizeCheckoutSession(id, { shippingAddress: s.shippingAddress, chargeAmount: usd('100.00'), paymentIntent: 'Authorize' }, idem()) };
    },
    getChargePermission: async () => ({ response: await suite.client.getChargePermission(await chargeablePermission(suite.client)), keys: permissionKeys }),
    updateChargePermission: async () => ({
      response: await suite.client.updateChargePermission(await chargeablePermission(suite.client), { merchantMetadata: { customInformation: 'x' } }),
      keys: permissionKeys,
    }),
    closeChargePermission: async () => ({ response: await suite.client.closeChargePermission(await chargeablePermission(suite.client), { closureReason: 'r' }), keys: permissionKeys }),
    createCharge: async () => ({ response: await suite.client.createCharge({ chargePermissionId: await chargeablePermission(suite.client), chargeAmount: usd('5.00') }, idem()), keys: chargeKeys }),
    getCharge: async () => ({ response: await suite.client.getCharge((await authorizedCharge(suite.client)).chargeId), keys: chargeKeys }),
    updateCharge: async () => ({ response: await suite.client.updateCharge((await authorizedCharge(suite.client)).chargeId, { statusDetails: { state: 'Captured' } }), keys: chargeKeys }),
    captureCharge: async () => ({ response: await suite.client.captureCharge((await authorizedCharge(suite.client)).chargeId, { captureAmount: usd('100.00') }, idem()), keys: chargeKeys }),
    cancelCharge: async () => ({ response: await suite.client.cancelCharge((await authorizedCharge(suite.client)).chargeId, { cancellationReason: 'r' }), keys: chargeKeys }),
    createRefund: async () => ({ response: await suite.client.createRefund({ chargeId: (await capturedCharge(suite.client)).chargeId, refundAmount: usd('1.00') }, idem()), keys: refundKeys }),
    getRefund: async () => {
      const created = await suite.client.createRefund({ chargeId: (await capturedCharge(suite.client)).chargeId, refundAmount: usd('1.00') }, idem());
      return { response: await suite.client.getRefund(created.data.refundId), keys: refundKeys };
    },
    getBuyer: async () => ({ response: await suite.client.getBuyer((await issueBuyerToken()).buyerToken), keys: buyerKeys }),
    deliveryTrackers: async () => ({
      response: await suite.client.deliveryTrackers({ chargePermissionId: await chargeablePermission(suite.client), deliveryDetails: [{ trackingNumber: 'T1', carrierCode: 'USPS' }] }),
    }),
    getAuthorizationToken: async () => ({ response: await suite.client.getAuthorizationToken('amzn.mws.token', 'A3OJ83WFYM72IY'), keys: ['authorizationToken'] }),
    ...reportCalls(),
    ...disputeCalls(),
    ...merchantAccountCalls(),
  };

  /** Answers outside "2xx with a JSON object": Delete Amazon Pay Account (202, no body), Claim (303); merchantAccounts.sdk.test.ts checks them. */
  // The in-store operations are InStoreClient methods; inStore.sdk.test.ts checks their answers.
  const otherAnswers: readonly OperationName[] = ['deleteAmazonPayAccount', 'merchantAccountClaim', 'merchantScan', 'inStoreCharge', 'inStoreRefund'];
  const emulated = operationNames.filter((name) => !otherAnswers.includes(name));

  it('covers every emulated operation', () => {
    expect(Object.keys(calls).sort()).toEqual([...emulated].sort());
  });

  it.each(emulated)('%s: 2xx, a JSON object body, Amazon\'s wire forms, x-amz-pay-request-id', async (name) => {
    const { response, keys } = await calls[name]!();
    expect(response.status).toBeGreaterThanOrEqual(200);
    expect(response.status).toBeLessThan(300);
    expect(typeof response.data).toBe('object');
    expect(response.data).not.toBeNull();
    expect(Array.isArray(response.data)).toBe(false);
    expect(String(response.headers['content-type'])).toMatch(/^application\/json/);
    expect(response.headers['x-amz-pay-request-id']).toBeTruthy();
    if (keys) expect(Object.keys(response.data)).toEqual(keys);
    expectWireForms(response.data);
  });
});

describe('multi-address checkout: shippingAddressList', () => {
  const metadata = [
    { addressId: 'addr-home', price: usd('30.00') },
    { addressId: 'addr-office', price: usd('20.00') },
  ];

  function expectAddressObjects(list: unknown) {
    expect(Array.isArray(list)).toBe(true);
    const parsed = list as any[];
    expect(parsed.map((a) => a.addressId)).toEqual(['addr-home', 'addr-office']);
    for (const address of parsed) {
      expect(typeof address).toBe('object');
      for (const k of ['name', 'addressLine1', 'city', 'stateOrRegion', 'postalCode', 'countryCode']) expect(address).toHaveProperty(k);
    }
  }

  it('emits each element as a JSON-encoded Address string once the buyer is there, which the SDK decodes on get/update/complete', async () => {
    const created = await suite.client.createCheckoutSession(
      readySessionBody({ multiAddressesCheckoutMetadata: metadata, paymentDetails: { paymentIntent: 'Authorize', chargeAmount: usd('50.00') } }),
      idem(),
    );
    expect(created.status).toBe(201);
    // createCheckoutSession is not post-processed by the SDK: the wire form shows through.
    const wire = created.data.shippingAddressList;
    expect(Array.isArray(wire)).toBe(true);
    expect(wire).toHaveLength(2);
    for (const element of wire) expect(typeof element).toBe('string');
    expectAddressObjects(wire.map((s: string) => JSON.parse(s)));

    const id = created.data.checkoutSessionId;
    const got = await suite.client.getCheckoutSession(id);
    expectAddressObjects(got.data.shippingAddressList);
    const updated = await suite.client.updateCheckoutSession(id, { merchantMetadata: { noteToBuyer: 'two parcels' } });
    expectAddressObjects(updated.data.shippingAddressList);
    const completed = await suite.client.completeCheckoutSession(id, { chargeAmount: usd('50.00') });
    expect(completed.status).toBe(200);
    expect(completed.data.statusDetails.state).toBe('Completed');
    if (completed.data.shippingAddressList != null) expectAddressObjects(completed.data.shippingAddressList);
  });

  it('keeps ordinary sessions free of shippingAddressList (exact key order)', async () => {
    const created = await suite.client.createCheckoutSession(readySessionBody(), idem());
    expect(Object.keys(created.data)).toEqual(sessionKeys);
  });

  describe('with manual buyer approval', () => {
    let manual: LiveServer;
    let mclient: any;
    beforeAll(async () => {
      manual = await liveServer({ buyerApproval: 'manual' });
      mclient = manual.sdk();
    });
    afterAll(async () => {
      await manual?.close();
    });

    it('has no addresses before the buyer returns, and JSON strings after', async () => {
      const created = await mclient.createCheckoutSession(
        readySessionBody({ multiAddressesCheckoutMetadata: metadata, paymentDetails: { paymentIntent: 'Authorize', chargeAmount: usd('50.00') } }),
        idem(),
      );
      const id = created.data.checkoutSessionId;
      expect(created.data.shippingAddressList ?? null).toBeNull();
      expect((await mclient.getCheckoutSession(id)).status).toBe(200);
      const approved = await manual.admin('POST', `/__admin/checkoutSessions/${id}/approve`, { card: '1111' });
      expect(approved.status).toBe(200);
      for (const element of approved.body.shippingAddressList) expect(typeof element).toBe('string');
      expectAddressObjects((await mclient.getCheckoutSession(id)).data.shippingAddressList);
      // Changing the entries re-derives the list.
      const updated = await mclient.updateCheckoutSession(id, { multiAddressesCheckoutMetadata: [{ addressId: 'addr-home', price: usd('50.00') }] });
      expect(updated.data.shippingAddressList.map((a: any) => a.addressId)).toEqual(['addr-home']);
    });
  });
});
