import { describe, expect, it } from 'vitest';
import { sdkError, useLiveServer } from '../helpers/runningServer.js';
import { advanceClock, checkout, DAY_SECONDS, DEMO_NS, readySession } from './flows.js';

/** Retention on the movable clock, as Amazon's Checkout Session and Charge Permission pages state it. */
const suite = useLiveServer();

describe('a Checkout Session is deleted 30 days after creation (Checkout Session)', () => {
  it('answers GET until day 30, then 404 ResourceNotFound, and the record is gone from the store', async () => {
    const open = await readySession(suite.client, { intent: 'Authorize', amount: '10.00' });
    const { sessionId: completed } = await checkout(suite.client, { intent: 'Authorize', amount: '11.00' });
    await advanceClock(suite.live, 30 * DAY_SECONDS - 60);
    expect((await suite.client.getCheckoutSession(open)).data.statusDetails).toMatchObject({ state: 'Canceled', reasonCode: 'Expired' });
    expect((await suite.client.getCheckoutSession(completed)).data.statusDetails.state).toBe('Completed');
    await advanceClock(suite.live, 60);
    for (const id of [open, completed]) {
      const gone = await sdkError(suite.client.getCheckoutSession(id));
      expect(gone.status).toBe(404);
      expect(gone.body.reasonCode).toBe('ResourceNotFound');
    }
    // The scheduler deleted them, with nobody polling first.
    expect(await suite.live.server.app.mock.store.read(DEMO_NS, 'checkoutSessions', completed)).toBeUndefined();
  });
});

describe('a OneTime permission keeps buyer details for 30 days (Charge Permission)', () => {
  it('returns buyer, shipping and billing details until day 30 and null after', async () => {
    const { chargePermissionId } = await checkout(suite.client, { intent: 'Confirm', amount: '20.00' });
    const fresh = (await suite.client.getChargePermission(chargePermissionId)).data;
    expect(fresh.buyer).not.toBeNull();
    expect(fresh.shippingAddress).not.toBeNull();
    expect(fresh.billingAddress).not.toBeNull();
    await advanceClock(suite.live, 30 * DAY_SECONDS);
    const later = (await suite.client.getChargePermission(chargePermissionId)).data;
    expect(later).toMatchObject({ chargePermissionId, buyer: null, shippingAddress: null, billingAddress: null });
    expect(later.statusDetails.state).toBe('Chargeable');
  });

  it('keeps the details of a Recurring permission past 30 days', async () => {
    const { chargePermissionId } = await checkout(suite.client, {
      intent: 'Confirm',
      amount: '9.00',
      body: { chargePermissionType: 'Recurring', recurringMetadata: { frequency: { unit: 'Month', value: '1' }, amount: { amount: '9.00', currencyCode: 'USD' } } },
    });
    await advanceClock(suite.live, 31 * DAY_SECONDS);
    const later = (await suite.client.getChargePermission(chargePermissionId)).data;
    expect(later.buyer).not.toBeNull();
  });
});
