import { Agent, request } from 'undici';
import { describe, expect, it } from 'vitest';
import { demoKeyIds } from '../helpers/demoKeys.js';
import { startReceiver } from '../ipn/receiver.js';
import { sdkError, useLiveServer } from '../helpers/runningServer.js';
import { advanceClock, authorizedCharge, capturedCharge, idem, usd } from './flows.js';

/** Disputes (as a payment service provider creates them) and evidence files, through the official Node SDK. */

const suite = useLiveServer({ pendingDelaySeconds: 30 });
const insecure = new Agent({ connect: { rejectUnauthorized: false } });
const DAY = 24 * 3600;

/** The keys the Node SDK's integration test requires, in the emulator's order with the others. */
const disputeKeys = [
  'disputeId', 'chargeId', 'disputeType', 'disputeAmount', 'filingReason', 'filingTimestamp', 'resolutionAuthority', 'statusDetails',
  'merchantEvidences', 'merchantResponseDeadline', 'providerMetadata', 'creationTimestamp', 'closureTimestamp', 'releaseEnvironment',
];
const fileKeys = ['id', 'type', 'purpose', 'url', 'size', 'uploadTimestamp', 'urlExpirationTimestamp'];

async function dispute(amount = '10.00', extra: Record<string, unknown> = {}) {
  const { chargeId } = await capturedCharge(suite.client, '10.00');
  const created = await suite.client.createDispute(
    { chargeId, providerMetadata: { providerDisputeId: 'A2CQXQ2TUSYG7J' }, disputeAmount: usd(amount), filingReason: 'ProductNotReceived', filingTimestamp: Date.now(), ...extra },
    idem(),
  );
  return { chargeId, created };
}

async function evidenceFile(): Promise<any> {
  const uploaded = await suite.client.uploadFile({ type: 'jpg', purpose: 'disputeEvidence' }, idem());
  expect(uploaded.status).toBe(200);
  return uploaded.data;
}

describe('createDispute and getDispute', () => {
  it('records a chargeback on a captured charge, ActionRequired until the response deadline', async () => {
    const { chargeId, created } = await dispute('4.00');
    expect(created.status).toBe(200);
    expect(Object.keys(created.data)).toEqual(disputeKeys);
    expect(created.data).toMatchObject({
      chargeId,
      disputeType: 'Chargeback',
      disputeAmount: usd('4.00'),
      filingReason: 'ProductNotReceived',
      statusDetails: { state: 'ActionRequired', reasonCode: 'MerchantResponseRequired', resolution: null },
      providerMetadata: { providerDisputeId: 'A2CQXQ2TUSYG7J' },
      releaseEnvironment: 'Sandbox',
    });
    expect(created.data.disputeId).toBe(`${chargeId.replace(/-C\d{6}$/, '')}-${created.data.disputeId.split('-').pop()}`);
    expect(created.data.disputeId).toMatch(/-B\d{6}$/);
    const fetched = await suite.client.getDispute(created.data.disputeId);
    expect(fetched.status).toBe(200);
    expect(fetched.data).toEqual(created.data);
  });

  it('resolves for the buyer when the merchant lets the 11-day window pass, as the clock moves', async () => {
    const { created } = await dispute();
    await advanceClock(suite.live, 11 * DAY - 60);
    expect((await suite.client.getDispute(created.data.disputeId)).data.statusDetails.state).toBe('ActionRequired');
    await advanceClock(suite.live, 61);
    const late = (await suite.client.getDispute(created.data.disputeId)).data;
    expect(late.statusDetails).toMatchObject({ state: 'Resolved', resolution: 'BuyerWon', reasonCode: 'MerchantResponseDeadlineExpired' });
    expect(late.closureTimestamp).toBe(late.merchantResponseDeadline);
  });

  it('takes the merchantResponseDeadline the provider sends (epoch milliseconds or seconds)', async () => {
    const clock = Date.parse((await suite.live.admin('GET', '/__admin/clock')).body.now);
    const { created } = await dispute('1.00', { merchantResponseDeadline: Math.floor((clock + 2 * DAY * 1000) / 1000) });
    await advanceClock(suite.live, 2 * DAY + 1);
    expect((await suite.client.getDispute(created.data.disputeId)).data.statusDetails.state).toBe('Resolved');
  });

  it('sends CHARGEBACK IPNs when a dispute is created and when its deadline passes, with nobody polling', async () => {
    const receiver = await startReceiver();
    try {
      expect((await suite.live.admin('POST', `/__admin/ipn?merchant=${demoKeyIds.sandbox}`, { urls: [receiver.url] })).status).toBe(200);
      const { chargeId, created } = await dispute();
      await advanceClock(suite.live, 11 * DAY + 1);
      await suite.live.server.app.mock.ipn.flush();
      const messages = receiver.received.map((r) => JSON.parse(JSON.parse(r.body).Message)).filter((m) => m.ObjectType === 'CHARGEBACK');
      expect(messages).toHaveLength(2);
      const permissionId = chargeId.replace(/-C\d{6}$/, '');
      for (const m of messages) expect(m).toMatchObject({ ObjectId: created.data.disputeId, NotificationType: 'STATE_CHANGE', ChargePermissionId: permissionId });
    } finally {
      await suite.live.admin('POST', `/__admin/reset?merchant=${demoKeyIds.sandbox}`);
      await receiver.close();
    }
  });

  it('answers the documented errors', async () => {
    const { chargeId } = await authorizedCharge(suite.client, '10.00');
    const notCaptured = await sdkError(suite.client.createDispute({ chargeId, disputeAmount: usd('1.00'), filingReason: 'Fraudulent' }, idem()));
    expect(notCaptured).toMatchObject({ status: 422, body: { reasonCode: 'InvalidChargeStatus' } });
    const captured = await capturedCharge(suite.client, '10.00');
    const tooMuch = await sdkError(suite.client.createDispute({ chargeId: captured.chargeId, disputeAmount: usd('10.01'), filingReason: 'Fraudulent' }, idem()));
    expect(tooMuch).toMatchObject({ status: 400, body: { reasonCode: 'TransactionAmountExceeded' } });
    const currency = await sdkError(suite.client.createDispute({ chargeId: captured.chargeId, disputeAmount: { amount: '1', currencyCode: 'EUR' }, filingReason: 'Fraudulent' }, idem()));
    expect(currency).toMatchObject({ status: 400, body: { reasonCode: 'CurrencyMismatch' } });
    const reason = await sdkError(suite.client.createDispute({ chargeId: captured.chargeId, disputeAmount: usd('1.00'), filingReason: 'Bored' }, idem()));
    expect(reason).toMatchObject({ status: 400, body: { reasonCode: 'InvalidParameterValue' } });
    const missing = await sdkError(suite.client.createDispute({ chargeId: captured.chargeId, filingReason: 'Fraudulent' }, idem()));
    expect(missing).toMatchObject({ status: 400, body: { reasonCode: 'MissingParameterValue' } });
    const unknownCharge = await sdkError(suite.client.createDispute({ chargeId: 'S01-0000000-0000000-C000000', disputeAmount: usd('1.00'), filingReason: 'Fraudulent' }, idem()));
    expect(unknownCharge).toMatchObject({ status: 404, body: { reasonCode: 'ResourceNotFound' } });
    expect(await sdkError(suite.client.getDispute('S01-0000000-0000000-B000000'))).toMatchObject({ status: 404, body: { reasonCode: 'ResourceNotFound' } });
  });
});

describe('updateDispute', () => {
  it('records the provider\'s outcome, after which the dispute cannot change', async () => {
    const { created } = await dispute();
    const resolved = await suite.client.updateDispute(created.data.disputeId, {
      statusDetails: { resolution: 'MerchantWon', state: 'Resolved', reasonCode: 'MerchantAcceptedDispute', reasonDescription: 'Merchant accepted the dispute request' },
      closureTimestamp: Date.now(),
    });
    expect(resolved.status).toBe(200);
    expect(resolved.data.statusDetails).toMatchObject({ state: 'Resolved', resolution: 'MerchantWon', reasonCode: 'MerchantAcceptedDispute', reasonDescription: 'Merchant accepted the dispute request' });
    expect(resolved.data.closureTimestamp).toMatch(/^\d{8}T\d{6}Z$/);
    const again = await sdkError(suite.client.updateDispute(created.data.disputeId, { statusDetails: { state: 'Closed' } }));
    expect(again).toMatchObject({ status: 422, body: { reasonCode: 'InvalidDisputeStatus' } });
  });

  it('needs a resolution to resolve, and known values', async () => {
    const { created } = await dispute();
    expect(await sdkError(suite.client.updateDispute(created.data.disputeId, { statusDetails: { state: 'Resolved' } }))).toMatchObject({ status: 400, body: { reasonCode: 'MissingParameterValue' } });
    expect(await sdkError(suite.client.updateDispute(created.data.disputeId, { statusDetails: { state: 'Won' } }))).toMatchObject({ status: 400, body: { reasonCode: 'InvalidParameterValue' } });
    expect(await sdkError(suite.client.updateDispute(created.data.disputeId, { state: 'Closed' }))).toMatchObject({ status: 400, body: { reasonCode: 'UnrecognizedField' } });
  });
});

describe('uploadFile and contestDispute', () => {
  it('contests with an uploaded evidence file and text: UnderReview, evidence recorded', async () => {
    const file = await evidenceFile();
    expect(Object.keys(file)).toEqual(fileKeys);
    expect(file).toMatchObject({ type: 'jpg', purpose: 'disputeEvidence', size: 0 });
    const put = await request(file.url, { method: 'PUT', body: Buffer.alloc(1234, 1), headers: { 'content-type': 'image/jpeg' }, dispatcher: insecure });
    expect(put.statusCode).toBe(200);
    expect(await put.body.json()).toEqual({ id: file.id, size: 1234 });

    const { created } = await dispute();
    const evidences = [
      { evidenceType: 'TrackingNumber', fileId: file.id, evidenceText: 'raw text supporting merchant evidence' },
      { evidenceType: 'Receipt', evidenceText: 'receipt no. 42' },
    ];
    const contested = await suite.client.contestDispute(created.data.disputeId, { merchantEvidences: evidences }, idem());
    expect(contested.status).toBe(200);
    expect(contested.data.statusDetails.state).toBe('UnderReview');
    expect(contested.data.merchantEvidences).toEqual([evidences[0], { ...evidences[1], fileId: null }]);
    // Under review, the deadline no longer applies.
    await advanceClock(suite.live, 12 * DAY);
    expect((await suite.client.getDispute(created.data.disputeId)).data.statusDetails.state).toBe('UnderReview');
    const twice = await sdkError(suite.client.contestDispute(created.data.disputeId, { merchantEvidences: evidences }, idem()));
    expect(twice).toMatchObject({ status: 422, body: { reasonCode: 'InvalidDisputeStatus' } });
  });

  it('refuses evidence files it did not hand out, and contests after the deadline', async () => {
    const { created } = await dispute();
    const unknownFile = await sdkError(suite.client.contestDispute(created.data.disputeId, { merchantEvidences: [{ evidenceType: 'Receipt', fileId: 'ababcbchdhdhhduathcfjhf' }] }, idem()));
    expect(unknownFile).toMatchObject({ status: 400, body: { reasonCode: 'InvalidParameterValue' } });
    const empty = await sdkError(suite.client.contestDispute(created.data.disputeId, { merchantEvidences: [{ evidenceType: 'Receipt' }] }, idem()));
    expect(empty).toMatchObject({ status: 400, body: { reasonCode: 'MissingParameterValue' } });
    await advanceClock(suite.live, 11 * DAY + 1);
    const late = await sdkError(suite.client.contestDispute(created.data.disputeId, { merchantEvidences: [{ evidenceType: 'Receipt', evidenceText: 'x' }] }, idem()));
    expect(late).toMatchObject({ status: 422, body: { reasonCode: 'InvalidDisputeStatus' } });
  });

  it('checks the upload: known type and purpose, the URL\'s token and expiry', async () => {
    expect(await sdkError(suite.client.uploadFile({ type: 'exe', purpose: 'disputeEvidence' }, idem()))).toMatchObject({ status: 400, body: { reasonCode: 'InvalidParameterValue' } });
    expect(await sdkError(suite.client.uploadFile({ type: 'jpg' }, idem()))).toMatchObject({ status: 400, body: { reasonCode: 'MissingParameterValue' } });
    const file = await evidenceFile();
    const wrong = await request(file.url.replace(/token=[0-9a-f]+/, 'token=0'), { method: 'PUT', body: 'x', dispatcher: insecure });
    expect(wrong.statusCode).toBe(404);
    await wrong.body.dump();
    await advanceClock(suite.live, 16 * 60);
    const late = await request(file.url, { method: 'PUT', body: 'x', dispatcher: insecure });
    expect(late.statusCode).toBe(403);
    expect(((await late.body.json()) as any).reasonCode).toBe('InvalidAuthentication');
  });
});
