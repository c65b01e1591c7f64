import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { demoKeyIds, demoPrivateKey } from '../helpers/demoKeys.js';
import { sdkError, useLiveServer } from '../helpers/runningServer.js';
import { idem } from './flows.js';

/**
 * Walks every method the official Node SDK exposes (WebStoreClient, its base AmazonPayClient and
 * InStoreClient) and calls each against the emulator: every one must reach an operation route
 * (journaled under an operation name) and be answered without a server error.
 */

const { InStoreClient, WebStoreClient } = createRequire(import.meta.url)('@amazonpay/amazon-pay-api-sdk-nodejs');
const suite = useLiveServer();

/** Methods that build something locally or are generic helpers; they call no operation of their own. */
const localOnly = new Set(['constructor', 'apiCall', 'getSignedHeaders', 'generateButtonSignature']);

function methodsOf(cls: any): string[] {
  const names = new Set<string>();
  for (let proto = cls.prototype; proto && proto !== Object.prototype; proto = Object.getPrototypeOf(proto)) {
    for (const name of Object.getOwnPropertyNames(proto)) if (typeof proto[name] === 'function' && !localOnly.has(name)) names.add(name);
  }
  return [...names].sort();
}

const unknownId = 'S01-0000000-0000000';
const price = { amount: '1.00', currencyCode: 'USD' };

/** One call per SDK method, with arguments of the documented shape (ids need not exist). */
const webStoreCalls: Record<string, (c: any) => Promise<unknown>> = {
  getAuthorizationToken: (c) => c.getAuthorizationToken('amzn.mws.token', 'A3OJ83WFYM72IY'),
  deliveryTrackers: (c) => c.deliveryTrackers({ chargePermissionId: unknownId, deliveryDetails: [{ trackingNumber: 'T1', carrierCode: 'USPS' }] }),
  getBuyer: (c) => c.getBuyer('no-such-token'),
  createCheckoutSession: (c) => c.createCheckoutSession({ storeId: 'amzn1.application-oa2-client.0123456789abcdef0123456789abcdef', webCheckoutDetails: { checkoutReviewReturnUrl: 'https://shop.example/review' } }, idem()),
  getCheckoutSession: (c) => c.getCheckoutSession('no-such-session'),
  updateCheckoutSession: (c) => c.updateCheckoutSession('no-such-session', {}),
  completeCheckoutSession: (c) => c.completeCheckoutSession('no-such-session', { chargeAmount: price }),
  finalizeCheckoutSession: (c) => c.finalizeCheckoutSession('no-such-session', { chargeAmount: price, paymentIntent: 'Authorize' }, idem()),
  getChargePermission: (c) => c.getChargePermission(unknownId),
  updateChargePermission: (c) => c.updateChargePermission(unknownId, {}),
  closeChargePermission: (c) => c.closeChargePermission(unknownId, { closureReason: 'r' }),
  createCharge: (c) => c.createCharge({ chargePermissionId: unknownId, chargeAmount: price }, idem()),
  getCharge: (c) => c.getCharge(`${unknownId}-C000000`),
  updateCharge: (c) => c.updateCharge(`${unknownId}-C000000`, { statusDetails: { state: 'Captured' } }),
  captureCharge: (c) => c.captureCharge(`${unknownId}-C000000`, { captureAmount: price }, idem()),
  cancelCharge: (c) => c.cancelCharge(`${unknownId}-C000000`, { cancellationReason: 'r' }),
  createRefund: (c) => c.createRefund({ chargeId: `${unknownId}-C000000`, refundAmount: price }, idem()),
  getRefund: (c) => c.getRefund(`${unknownId}-R000000`),
  getReports: (c) => c.getReports(),
  getReportById: (c) => c.getReportById('59007019641'),
  getReportDocument: (c) => c.getReportDocument('61516019327'),
  getReportSchedules: (c) => c.getReportSchedules(),
  getReportScheduleById: (c) => c.getReportScheduleById('50000018682'),
  createReport: (c) => c.createReport({ reportType: '_GET_FLAT_FILE_OFFAMAZONPAYMENTS_SANDBOX_SETTLEMENT_DATA_', startTime: '20240101T000000Z', endTime: '20240102T000000Z' }, idem()),
  createReportSchedule: (c) => c.createReportSchedule({ reportType: '_GET_FLAT_FILE_OFFAMAZONPAYMENTS_SANDBOX_SETTLEMENT_DATA_', scheduleFrequency: 'P1D' }, idem()),
  cancelReportSchedule: (c) => c.cancelReportSchedule('50000018682'),
  registerAmazonPayAccount: (c) => c.registerAmazonPayAccount({ uniqueReferenceId: 'ref-1', ledgerCurrency: 'JPY', businessInfo: { businessType: 'INDIVIDUAL', countryOfEstablishment: 'JP', businessLegalName: 'Test' } }),
  updateAmazonPayAccount: (c) => c.updateAmazonPayAccount('A3OJ83WFYM72IY', { businessInfo: {} }),
  deleteAmazonPayAccount: (c) => c.deleteAmazonPayAccount('A3OJ83WFYM72IY'),
  createMerchantAccount: (c) => c.createMerchantAccount({ uniqueReferenceId: 'ref-2', ledgerCurrency: 'JPY', businessInfo: { email: 'a@b.example', businessType: 'CORPORATE', countryOfEstablishment: 'JP', businessLegalName: 'Test' } }),
  updateMerchantAccount: (c) => c.updateMerchantAccount('A3OJ83WFYM72IY', { businessInfo: {} }, { 'x-amz-pay-authtoken': 'token' }),
  merchantAccountClaim: (c) => c.merchantAccountClaim('A3OJ83WFYM72IY', { uniqueReferenceId: 'ref-2' }),
  createDispute: (c) => c.createDispute({ chargeId: `${unknownId}-C000000`, disputeAmount: price, filingReason: 'ProductNotReceived' }, idem()),
  getDispute: (c) => c.getDispute(`${unknownId}-B000000`),
  updateDispute: (c) => c.updateDispute(`${unknownId}-B000000`, { statusDetails: { state: 'Resolved' } }),
  contestDispute: (c) => c.contestDispute(`${unknownId}-B000000`, { merchantEvidences: [] }),
  uploadFile: (c) => c.uploadFile({ type: 'jpg', purpose: 'disputeEvidence' }, idem()),
};

const inStoreCalls: Record<string, (c: any) => Promise<unknown>> = {
  merchantScan: (c) => c.merchantScan({ scanData: 'UKhrmatMeKdlfY6b', scanReferenceId: 'scan-1', merchantCOE: 'US', ledgerCurrency: 'USD' }, idem()),
  charge: (c) => c.charge({ chargePermissionId: unknownId, chargeReferenceId: 'charge-1', chargeTotal: price }, idem()),
  refund: (c) => c.refund({ chargeId: `${unknownId}-C000000`, refundReferenceId: 'refund-1', refundTotal: price }, idem()),
  // Inherited from AmazonPayClient.
  getAuthorizationToken: webStoreCalls.getAuthorizationToken!,
  deliveryTrackers: webStoreCalls.deliveryTrackers!,
};

/** Operations other SDKs have but the Node SDK lacks, called through its generic apiCall. */
const otherSdkCalls: Record<string, (c: any) => Promise<unknown>> = {
  getDisbursements: (c) => c.apiCall({ method: 'GET', urlFragment: 'disbursements', queryParams: { startTime: '20240101T000000Z', endTime: '20240102T000000Z' } }),
  createStore: (c) => c.apiCall({ method: 'POST', urlFragment: 'merchantAccounts/A3OJ83WFYM72IY/stores', payload: { storeName: 'Store' }, headers: { 'x-amz-pay-authtoken': 'token' } }),
  updateStore: (c) => c.apiCall({ method: 'PATCH', urlFragment: 'merchantAccounts/A3OJ83WFYM72IY/stores/amzn1.application-oa2-client.0123456789abcdef0123456789abcdef', payload: { storeName: 'Store' }, headers: { 'x-amz-pay-authtoken': 'token' } }),
};

interface Outcome {
  method: string;
  status: number;
  reasonCode: string | null;
  operation: string | null;
}

async function walk(client: any, calls: Record<string, (c: any) => Promise<unknown>>, prefix: string): Promise<Outcome[]> {
  const outcomes: Outcome[] = [];
  for (const [method, call] of Object.entries(calls)) {
    await suite.live.admin('DELETE', '/__admin/requests');
    let status: number;
    let reasonCode: string | null = null;
    try {
      status = ((await call(client)) as { status: number }).status;
    } catch (err: any) {
      if (!err.response) throw err;
      const failed = await sdkError(Promise.reject(err));
      status = failed.status;
      reasonCode = failed.body?.reasonCode ?? null;
    }
    const journal = await suite.live.admin('GET', `/__admin/requests?merchant=${demoKeyIds.sandbox}&limit=1`);
    outcomes.push({ method: `${prefix}${method}`, status, reasonCode, operation: journal.body.requests[0]?.operation ?? null });
  }
  return outcomes;
}

describe('every method of the official Node SDK', () => {
  const config = () => ({ publicKeyId: demoKeyIds.sandbox, privateKey: demoPrivateKey, region: 'us', algorithm: 'AMZN-PAY-RSASSA-PSS-V2', overrideServiceUrl: suite.live.httpsHost });

  it('has a call in this walk (a new SDK method fails here until it is added)', () => {
    expect(Object.keys(webStoreCalls).sort()).toEqual(methodsOf(WebStoreClient));
    expect(Object.keys(inStoreCalls).sort()).toEqual(methodsOf(InStoreClient));
  });

  it('reaches an emulated operation, and none answers with a server error', async () => {
    const outcomes = [
      ...(await walk(new WebStoreClient(config()), webStoreCalls, 'WebStoreClient.')),
      ...(await walk(new InStoreClient(config()), inStoreCalls, 'InStoreClient.')),
      ...(await walk(new WebStoreClient(config()), otherSdkCalls, 'apiCall:')),
    ];
    for (const o of outcomes) {
      expect(o.operation, `${o.method} is journaled under an operation`).not.toBeNull();
      expect(o.status, `${o.method} never crashes`).toBeLessThan(500);
    }
  });
});
