import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { liveServer, type LiveServer } from '../helpers/runningServer.js';
import { readySessionBody } from '../helpers/testApp.js';

let live: LiveServer;
let receiver: http.Server;
let receiverUrl: string;
const received: { headers: http.IncomingHttpHeaders; body: any }[] = [];

beforeAll(async () => {
  receiver = http.createServer((req, res) => {
    let text = '';
    req.on('data', (c) => (text += c));
    req.on('end', () => {
      received.push({ headers: req.headers, body: JSON.parse(text) });
      res.end('ok');
    });
  });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/ipn`;
  live = await liveServer({ ipnRetryDelaysMs: [20], ipnTimeoutMs: 1000 });
});
afterAll(async () => {
  await live?.close();
  await new Promise((r) => receiver.close(r));
});

describe('IPN through the running server', () => {
  it('notifies the merchant\'s endpoint of the permission and the charge a completion creates, then of a capture', async () => {
    const set = await live.admin('POST', '/__admin/ipn?merchant=SANDBOX-AMZNPAYMOCKDEMO000000001', { urls: [receiverUrl] });
    expect(set.status).toBe(200);
    const client = live.sdk();
    const id = (await client.createCheckoutSession(readySessionBody(), { 'x-amz-pay-idempotency-key': 'ipn-e2e-1' })).data.checkoutSessionId;
    const done = await client.completeCheckoutSession(id, { chargeAmount: { amount: '50.00', currencyCode: 'USD' } });
    await client.captureCharge(done.data.chargeId, { captureAmount: { amount: '50.00', currencyCode: 'USD' } }, { 'x-amz-pay-idempotency-key': 'ipn-e2e-2' });
    await live.server.app.mock.ipn.flush();
    const messages = received.map((r) => JSON.parse(r.body.Message));
    expect(received.every((r) => r.headers['content-type']?.startsWith('text/plain') && r.body.Type === 'Notification')).toBe(true);
    expect(messages.filter((m) => m.ObjectType === 'CHARGE_PERMISSION' && m.ObjectId === done.data.chargePermissionId)).not.toHaveLength(0);
    const chargeNotes = messages.filter((m) => m.ObjectType === 'CHARGE' && m.ObjectId === done.data.chargeId);
    expect(chargeNotes.length).toBeGreaterThanOrEqual(2);
    expect(chargeNotes[0]).toMatchObject({ NotificationType: 'STATE_CHANGE', ChargePermissionId: done.data.chargePermissionId, NotificationVersion: 'V2' });
    const outbox = (await live.admin('GET', '/__admin/ipn/deliveries?merchant=SANDBOX-AMZNPAYMOCKDEMO000000001')).body.deliveries;
    expect(outbox.length).toBe(received.length);
    expect(outbox.every((d: any) => d.status === 'delivered')).toBe(true);
  });

  it('notifies when the clock settles a pending refund, with nobody polling', async () => {
    received.length = 0;
    const client = live.sdk();
    const id = (await client.createCheckoutSession(readySessionBody({ paymentDetails: { paymentIntent: 'AuthorizeWithCapture', chargeAmount: { amount: '20.00', currencyCode: 'USD' } } }), { 'x-amz-pay-idempotency-key': 'ipn-e2e-3' })).data.checkoutSessionId;
    const done = await client.completeCheckoutSession(id, { chargeAmount: { amount: '20.00', currencyCode: 'USD' } });
    const refund = await client.createRefund({ chargeId: done.data.chargeId, refundAmount: { amount: '5.00', currencyCode: 'USD' } }, { 'x-amz-pay-idempotency-key': 'ipn-e2e-4' });
    await live.admin('POST', '/__admin/clock', { advanceSeconds: 31 });
    await live.server.app.mock.ipn.flush();
    const refundNotes = received.map((r) => JSON.parse(r.body.Message)).filter((m) => m.ObjectType === 'REFUND' && m.ObjectId === refund.data.refundId);
    expect(refundNotes).toHaveLength(2); // RefundInitiated, then Refunded
    await live.admin('POST', '/__admin/reset');
  });
});
