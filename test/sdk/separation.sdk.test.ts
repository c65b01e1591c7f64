import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { demoKeyIds, demoPrivateKey } from '../helpers/demoKeys.js';
import { sdkError, useLiveServer } from '../helpers/runningServer.js';
import { authorizedCharge, capturedCharge, checkout, idem, readySession, usd } from './flows.js';

/**
 * Amazon's "API introduction" page: Sandbox and Live are separate environments (environment-specific
 * keys), and each region has its own endpoint (pay-api.amazon.com, .eu, .jp). An object exists only
 * where it was made; from anywhere else its id is unknown (404 ResourceNotFound).
 */
const suite = useLiveServer();

describe('Sandbox and Live are separate worlds (API introduction)', () => {
  it('a LIVE- key neither reads nor captures a sandbox charge', async () => {
    const { chargeId, chargePermissionId } = await authorizedCharge(suite.client, '40.00');
    const live = suite.live.sdk({ publicKeyId: demoKeyIds.live, sandbox: false });
    const read = await sdkError(live.getCharge(chargeId));
    expect(read.status).toBe(404);
    expect(read.body.reasonCode).toBe('ResourceNotFound');
    const capture = await sdkError(live.captureCharge(chargeId, { captureAmount: usd('40.00') }, idem()));
    expect(capture.body.reasonCode).toBe('ResourceNotFound');
    expect((await sdkError(live.getChargePermission(chargePermissionId))).body.reasonCode).toBe('ResourceNotFound');
    // The sandbox charge is untouched and still readable from its own environment.
    const own = await suite.client.getCharge(chargeId);
    expect(own.data.statusDetails.state).toBe('Authorized');
  });

  it('a SANDBOX- key does not see a live permission, session or refund', async () => {
    const live = suite.live.sdk({ publicKeyId: demoKeyIds.live, sandbox: false });
    const { sessionId, chargePermissionId } = await checkout(live, { intent: 'Confirm', amount: '30.00' });
    expect(chargePermissionId).toMatch(/^P01-/);
    expect((await sdkError(suite.client.getChargePermission(chargePermissionId))).status).toBe(404);
    expect((await sdkError(suite.client.getCheckoutSession(sessionId))).status).toBe(404);
    const charged = await live.createCharge({ chargePermissionId, chargeAmount: usd('30.00'), captureNow: true }, idem());
    const refund = await live.createRefund({ chargeId: charged.data.chargeId, refundAmount: usd('5.00') }, idem());
    expect((await sdkError(suite.client.getRefund(refund.data.refundId))).body.reasonCode).toBe('ResourceNotFound');
    expect((await live.getRefund(refund.data.refundId)).status).toBe(200);
  });

  it('the unprefixed key reaches each world through its path', async () => {
    const { chargeId } = await capturedCharge(suite.client, '12.00');
    const legacySandbox = suite.live.sdk({ publicKeyId: demoKeyIds.unprefixed, sandbox: true });
    const legacyLive = suite.live.sdk({ publicKeyId: demoKeyIds.unprefixed, sandbox: false });
    expect((await legacySandbox.getCharge(chargeId)).status).toBe(200);
    expect((await sdkError(legacyLive.getCharge(chargeId))).status).toBe(404);
  });
});

describe('regions are separate (API introduction: one endpoint per region)', () => {
  it('an EU session is not readable through NA or JP', async () => {
    const eu = suite.live.sdk({ region: 'eu' });
    const sessionId = await readySession(eu, { intent: 'Authorize', amount: '20.00' });
    expect((await eu.getCheckoutSession(sessionId)).status).toBe(200);
    for (const region of ['us', 'jp']) {
      const other = suite.live.sdk({ region });
      const miss = await sdkError(other.getCheckoutSession(sessionId));
      expect(miss.status).toBe(404);
      expect(miss.body.reasonCode).toBe('ResourceNotFound');
    }
  });

  it('an NA permission cannot be charged from EU', async () => {
    const { chargePermissionId } = await checkout(suite.client, { intent: 'Confirm', amount: '10.00' });
    const eu = suite.live.sdk({ region: 'eu' });
    const refused = await sdkError(eu.createCharge({ chargePermissionId, chargeAmount: usd('10.00') }, idem()));
    expect(refused.status).toBe(404);
    expect(refused.body.reasonCode).toBe('ResourceNotFound');
  });
});

describe('disputes, evidence files and in-store objects are separate too', () => {
  const { InStoreClient } = createRequire(import.meta.url)('@amazonpay/amazon-pay-api-sdk-nodejs');
  const inStore = (publicKeyId: string, region = 'us') =>
    new InStoreClient({ publicKeyId, privateKey: demoPrivateKey, region, algorithm: 'AMZN-PAY-RSASSA-PSS-V2', overrideServiceUrl: suite.live.httpsHost });

  it('an NA dispute is not readable, updatable or contestable through EU; an NA evidence file is not usable from EU', async () => {
    const { chargeId } = await capturedCharge(suite.client, '25.00');
    const dispute = (await suite.client.createDispute({ chargeId, disputeAmount: usd('5.00'), filingReason: 'ProductNotReceived' }, idem())).data;
    const file = (await suite.client.uploadFile({ type: 'jpg', purpose: 'disputeEvidence' }, idem())).data;
    const eu = suite.live.sdk({ region: 'eu' });
    expect(await sdkError(eu.getDispute(dispute.disputeId))).toMatchObject({ status: 404, body: { reasonCode: 'ResourceNotFound' } });
    expect(await sdkError(eu.updateDispute(dispute.disputeId, { statusDetails: { state: 'Resolved', resolution: 'BuyerWon' } }))).toMatchObject({ status: 404, body: { reasonCode: 'ResourceNotFound' } });
    expect(await sdkError(eu.contestDispute(dispute.disputeId, { merchantEvidences: [{ evidenceType: 'Other', evidenceText: 'x' }] }))).toMatchObject({ status: 404, body: { reasonCode: 'ResourceNotFound' } });
    // EU's own dispute cannot cite the NA file.
    const euCharge = await capturedCharge(eu, '25.00');
    const euDispute = (await eu.createDispute({ chargeId: euCharge.chargeId, disputeAmount: usd('5.00'), filingReason: 'ProductNotReceived' }, idem())).data;
    const cited = await sdkError(eu.contestDispute(euDispute.disputeId, { merchantEvidences: [{ evidenceType: 'Other', fileId: file.id }] }));
    expect(cited).toMatchObject({ status: 400, body: { reasonCode: 'InvalidParameterValue' } });
    // Untouched at home.
    expect((await suite.client.getDispute(dispute.disputeId)).data.statusDetails.state).toBe('ActionRequired');
  });

  it('an in-store permission or charge of the sandbox is unknown to the LIVE- key and to another region', async () => {
    const sandbox = inStore(demoKeyIds.sandbox);
    const ref = () => `ref-${Math.random().toString(36).slice(2)}`;
    const { chargePermissionId } = (await sandbox.merchantScan({ scanData: 'UKhrmatMeKdlfY6b', scanReferenceId: ref(), merchantCOE: 'US', ledgerCurrency: 'USD' }, idem())).data;
    for (const other of [inStore(demoKeyIds.live), inStore(demoKeyIds.sandbox, 'eu')]) {
      const charged = await sdkError(other.charge({ chargePermissionId, chargeReferenceId: ref(), chargeTotal: usd('2.00') }, idem()));
      expect(charged).toMatchObject({ status: 404, body: { reasonCode: 'ResourceNotFound' } });
    }
    const { chargeId } = (await sandbox.charge({ chargePermissionId, chargeReferenceId: ref(), chargeTotal: usd('2.00') }, idem())).data;
    for (const other of [inStore(demoKeyIds.live), inStore(demoKeyIds.sandbox, 'eu')]) {
      const refunded = await sdkError(other.refund({ chargeId, refundReferenceId: ref(), refundTotal: usd('1.00') }, idem()));
      expect(refunded).toMatchObject({ status: 404, body: { reasonCode: 'ResourceNotFound' } });
    }
    expect((await sandbox.refund({ chargeId, refundReferenceId: ref(), refundTotal: usd('2.00') }, idem())).status).toBe(200);
  });
});
