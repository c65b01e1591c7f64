import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startReceiver, type Receiver } from '../ipn/receiver.js';
import { sdkError, useLiveServer } from '../helpers/runningServer.js';
import { authorizedCharge, chargeablePermission, checkout, DEMO_NS, idem, permissionStatus, usd } from './flows.js';

/**
 * Amazon's Charge Permission page: "The one-time Charge Permission will move to a Closed state
 * after the total order amount has been captured". A closed permission takes no new charge, and
 * the state change is notified like any other (Set up Instant Payment Notifications).
 */
const suite = useLiveServer({ ipnRetryDelaysMs: [20], ipnTimeoutMs: 1000 });
let receiver: Receiver;

beforeAll(async () => {
  receiver = await startReceiver();
  const set = await suite.live.admin('POST', `/__admin/ipn?merchant=${DEMO_NS}`, { urls: [receiver.url], signed: false });
  expect(set.status).toBe(200);
});
afterAll(() => receiver.close());

async function permissionNotes(chargePermissionId: string) {
  await suite.live.server.app.mock.ipn.flush();
  return receiver.received
    .map((r) => JSON.parse(JSON.parse(r.body).Message))
    .filter((m) => m.ObjectType === 'CHARGE_PERMISSION' && m.ObjectId === chargePermissionId);
}

describe('a OneTime charge permission closes once the total order amount is captured (Charge Permission)', () => {
  it('closes after captures that add up to the order total, notifies, and refuses another charge', async () => {
    const chargePermissionId = await chargeablePermission(suite.client, '80.00');
    const first = await suite.client.createCharge({ chargePermissionId, chargeAmount: usd('30.00'), captureNow: true }, idem());
    expect(first.data.statusDetails.state).toBe('Captured');
    expect((await permissionStatus(suite.client, chargePermissionId)).state).toBe('Chargeable');
    const before = (await permissionNotes(chargePermissionId)).length;

    await suite.client.createCharge({ chargePermissionId, chargeAmount: usd('50.00'), captureNow: true }, idem());
    const closed = await permissionStatus(suite.client, chargePermissionId);
    expect(closed.state).toBe('Closed');
    expect(closed.reasons?.map((r) => r.reasonCode)).toEqual(['AmazonClosed']);
    expect(closed.limits).toEqual({ amountLimit: usd('80.00'), amountBalance: usd('0.00') });
    expect((await permissionNotes(chargePermissionId)).length).toBeGreaterThan(before);

    const refused = await sdkError(suite.client.createCharge({ chargePermissionId, chargeAmount: usd('1.00') }, idem()));
    expect(refused.status).toBe(422);
    expect(refused.body.reasonCode).toBe('InvalidChargePermissionStatus');
    expect(refused.body.message).toContain('Closed');
  });

  it('closes when an AuthorizeWithCapture checkout captures the whole order', async () => {
    const { chargePermissionId, completed } = await checkout(suite.client, { intent: 'AuthorizeWithCapture', amount: '25.00' });
    expect(completed.status).toBe(200);
    expect((await permissionStatus(suite.client, chargePermissionId)).state).toBe('Closed');
  });

  it('closes when the capture of an authorized charge reaches the total', async () => {
    const { chargePermissionId, chargeId } = await authorizedCharge(suite.client, '60.00');
    await suite.client.captureCharge(chargeId, { captureAmount: usd('60.00') }, idem());
    expect((await permissionStatus(suite.client, chargePermissionId)).state).toBe('Closed');
  });

  it('stays Chargeable after a partial capture, with the rest as balance', async () => {
    const { chargePermissionId, chargeId } = await authorizedCharge(suite.client, '60.00');
    await suite.client.captureCharge(chargeId, { captureAmount: usd('45.00') }, idem());
    const open = await permissionStatus(suite.client, chargePermissionId);
    expect(open.state).toBe('Chargeable');
    expect(open.limits.amountBalance).toEqual(usd('15.00'));
  });
});
