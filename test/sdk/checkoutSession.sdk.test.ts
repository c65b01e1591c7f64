import { randomUUID, generateKeyPairSync } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoKeyIds } from '../helpers/demoKeys.js';
import { liveServer, sdkError, type LiveServer } from '../helpers/runningServer.js';
import { readySessionBody, storeId } from '../helpers/testApp.js';
import { sessionKeys } from '../helpers/wireKeys.js';


const idem = () => ({ 'x-amz-pay-idempotency-key': randomUUID().replace(/-/g, '') });

let live: LiveServer;
beforeAll(async () => {
  live = await liveServer();
});
afterAll(async () => {
  await live?.close();
});

/** create -> update -> complete through the SDK; returns the complete response. */
async function checkout(client: any, intent: string, amount = '19.99') {
  const created = await client.createCheckoutSession(
    { storeId, webCheckoutDetails: { checkoutReviewReturnUrl: 'https://merchant.example/review' } },
    idem(),
  );
  expect(created.status).toBe(201);
  expect(Object.keys(created.data)).toEqual(sessionKeys);
  const id = created.data.checkoutSessionId;
  const updated = await client.updateCheckoutSession(id, {
    webCheckoutDetails: { checkoutResultReturnUrl: 'https://merchant.example/result' },
    paymentDetails: { paymentIntent: intent, chargeAmount: { amount, currencyCode: 'USD' } },
    merchantMetadata: { merchantReferenceId: `order-${id.slice(0, 8)}` },
  });
  expect(updated.status).toBe(200);
  expect(updated.data.constraints).toEqual([]);
  expect(updated.data.webCheckoutDetails.amazonPayRedirectUrl).toContain(`amazonCheckoutSessionId=${id}`);
  const completed = await client.completeCheckoutSession(id, { chargeAmount: { amount: Number(amount), currencyCode: 'USD' } });
  return { id, completed };
}

describe('official Node SDK: create -> update -> complete', () => {
  const keys = [
    { label: 'prefixed key', publicKeyId: demoKeyIds.sandbox, sandbox: undefined },
    { label: 'unprefixed key on /sandbox/v2', publicKeyId: demoKeyIds.unprefixed, sandbox: true },
  ];
  const algorithms = ['AMZN-PAY-RSASSA-PSS', 'AMZN-PAY-RSASSA-PSS-V2'];
  for (const key of keys) {
    for (const algorithm of algorithms) {
      it(`completes an Authorize session with 200 and an Authorized charge (${key.label}, ${algorithm})`, async () => {
        const client = live.sdk({ publicKeyId: key.publicKeyId, sandbox: key.sandbox, algorithm });
        const { id, completed } = await checkout(client, 'Authorize');
        expect(completed.status).toBe(200);
        expect(completed.data.statusDetails.state).toBe('Completed');
        expect(completed.data.chargePermissionId).toMatch(/^S01-\d{7}-\d{7}$/);
        expect(completed.data.chargeId).toBe(`${completed.data.chargePermissionId}-C${completed.data.chargeId.slice(-6)}`);
        expect(completed.headers['x-amz-pay-request-id']).toBeTruthy();
        const got = await client.getCheckoutSession(id);
        expect(got.data.statusDetails.state).toBe('Completed');
        expect(got.data.chargeId).toBe(completed.data.chargeId);
      });
    }
  }

  it('answers Confirm with a Chargeable permission and no charge', async () => {
    const { completed } = await checkout(live.sdk(), 'Confirm');
    expect(completed.status).toBe(200);
    expect(completed.data.chargeId).toBeNull();
    const permission = (await live.server.app.mock.store.read<any>('AMZNPAYMOCKDEMO000000001', 'chargePermissions', completed.data.chargePermissionId));
    expect(permission.chargePermission.statusDetails).toMatchObject({ state: 'Chargeable', reasons: null });
    expect(permission.chargePermission.limits.amountBalance).toEqual({ amount: '19.99', currencyCode: 'USD' });
  });

  it('captures at once with AuthorizeWithCapture', async () => {
    const { completed } = await checkout(live.sdk(), 'AuthorizeWithCapture', '5.10');
    expect(completed.status).toBe(200);
    const charge = (await live.server.app.mock.store.read<any>('AMZNPAYMOCKDEMO000000001', 'charges', completed.data.chargeId));
    expect(charge.charge.statusDetails.state).toBe('Captured');
    expect(charge.charge.captureAmount).toEqual({ amount: '5.10', currencyCode: 'USD' });
    expect(charge.charge.refundedAmount).toEqual({ amount: '0.00', currencyCode: 'USD' });
  });
});

describe('official Node SDK: completion errors as the SDK reports them', () => {
  it('rejects a different amount with 409 AmountMismatch and leaves the session Open', async () => {
    const client = live.sdk();
    const created = await client.createCheckoutSession(readySessionBody(), idem());
    const id = created.data.checkoutSessionId;
    const err = await sdkError(client.completeCheckoutSession(id, { chargeAmount: { amount: '49.99', currencyCode: 'USD' } }));
    expect(err.status).toBe(409);
    expect(err.body.reasonCode).toBe('AmountMismatch');
    expect(Object.keys(err.body)).toEqual(['reasonCode', 'message']);
    expect((await client.getCheckoutSession(id)).data.statusDetails.state).toBe('Open');
  });

  it('answers 404 ResourceNotFound for an unknown session id', async () => {
    const err = await sdkError(live.sdk().completeCheckoutSession(randomUUID(), { chargeAmount: { amount: '1.00', currencyCode: 'USD' } }));
    expect(err.status).toBe(404);
    expect(err.body.reasonCode).toBe('ResourceNotFound');
  });

  it('cancels a session left open for 24 hours (Expired) and refuses to complete it with 422 InvalidCheckoutSessionStatus', async () => {
    const client = live.sdk();
    const id = (await client.createCheckoutSession(readySessionBody(), idem())).data.checkoutSessionId;
    const moved = await live.admin('POST', '/__admin/clock', { advanceSeconds: 24 * 3600 });
    expect(moved.status).toBe(200);
    const got = await client.getCheckoutSession(id);
    expect(got.data.statusDetails).toMatchObject({ state: 'Canceled', reasonCode: 'Expired' });
    const err = await sdkError(client.completeCheckoutSession(id, { chargeAmount: { amount: '50.00', currencyCode: 'USD' } }));
    expect(err.status).toBe(422);
    expect(err.body.reasonCode).toBe('InvalidCheckoutSessionStatus');
    await live.admin('POST', '/__admin/reset');
  });

  it('refuses a second completion with 422 InvalidCheckoutSessionStatus', async () => {
    const client = live.sdk();
    const id = (await client.createCheckoutSession(readySessionBody(), idem())).data.checkoutSessionId;
    const body = { chargeAmount: { amount: '50.00', currencyCode: 'USD' } };
    expect((await client.completeCheckoutSession(id, body)).status).toBe(200);
    const err = await sdkError(client.completeCheckoutSession(id, body));
    expect(err.status).toBe(422);
    expect(err.body.reasonCode).toBe('InvalidCheckoutSessionStatus');
  });

  it('rejects a request signed with another private key with 403 InvalidRequestSignature showing the string to sign', async () => {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048, privateKeyEncoding: { type: 'pkcs8', format: 'pem' }, publicKeyEncoding: { type: 'spki', format: 'pem' } });
    const err = await sdkError(live.sdk({ privateKey }).createCheckoutSession(readySessionBody(), idem()));
    expect(err.status).toBe(403);
    expect(err.body.reasonCode).toBe('InvalidRequestSignature');
    expect(err.body.message).toMatch(/^Unable to verify signature, signing String \[AMZN-PAY-RSASSA-PSS-V2\n[0-9a-f]{64}\] , signature \[/);
  });

  it('rejects an unknown public key id with 401 UnauthorizedAccess that says how to register it', async () => {
    const err = await sdkError(live.sdk({ publicKeyId: 'SANDBOX-NOSUCHKEY0000000000000' }).getCheckoutSession(randomUUID()));
    expect(err.status).toBe(401);
    expect(err.body.reasonCode).toBe('UnauthorizedAccess');
    expect(err.body.message).toContain('/__admin/publicKeys');
  });
});

describe('official Node SDK: buyer approval and simulated cards (manual approval)', () => {
  let manual: LiveServer;
  beforeAll(async () => {
    manual = await liveServer({ buyerApproval: 'manual', pendingDelaySeconds: 30 });
  });
  afterAll(async () => {
    await manual?.close();
  });

  async function approvedSession(card: string, paymentDetails: Record<string, unknown> = {}) {
    const client = manual.sdk();
    const created = await client.createCheckoutSession(
      readySessionBody({ paymentDetails: { paymentIntent: 'Authorize', canHandlePendingAuthorization: true, chargeAmount: { amount: '50.00', currencyCode: 'USD' }, ...paymentDetails } }),
      idem(),
    );
    const id = created.data.checkoutSessionId;
    expect(created.data.constraints.map((c: any) => c.constraintId)).toEqual(['BuyerNotAssociated']);
    const approved = await manual.admin('POST', `/__admin/checkoutSessions/${id}/approve`, { card });
    expect(approved.status).toBe(200);
    return { client, id };
  }

  it('answers 202 with an AuthorizationInitiated charge for card 0701, which settles to Authorized after the pending delay', async () => {
    const { client, id } = await approvedSession('0701');
    const completed = await client.completeCheckoutSession(id, { chargeAmount: { amount: '50.00', currencyCode: 'USD' } });
    expect(completed.status).toBe(202);
    const store = manual.server.app.mock.store;
    const chargeState = async () => (await store.read<any>('AMZNPAYMOCKDEMO000000001', 'charges', completed.data.chargeId)).charge.statusDetails.state;
    expect(await chargeState()).toBe('AuthorizationInitiated');
    await manual.admin('POST', '/__admin/clock', { advanceSeconds: 31 });
    expect(await chargeState()).toBe('Authorized');
  });

  it('declines card 4354 after the pending delay with HardDeclined', async () => {
    const { client, id } = await approvedSession('4354');
    const completed = await client.completeCheckoutSession(id, { chargeAmount: { amount: '50.00', currencyCode: 'USD' } });
    expect(completed.status).toBe(202);
    await manual.admin('POST', '/__admin/clock', { advanceSeconds: 31 });
    const charge = (await manual.server.app.mock.store.read<any>('AMZNPAYMOCKDEMO000000001', 'charges', completed.data.chargeId));
    expect(charge.charge.statusDetails).toMatchObject({ state: 'Declined', reasonCode: 'HardDeclined' });
  });

  it.each([
    ['3064', 'BuyerCanceled'],
    ['3434', 'Declined'],
  ])('cancels the session when the buyer returns with card %s (%s) and completion gets 422 CheckoutSessionCanceled', async (card, reason) => {
    const { client, id } = await approvedSession(card);
    expect((await client.getCheckoutSession(id)).data.statusDetails).toMatchObject({ state: 'Canceled', reasonCode: reason });
    const err = await sdkError(client.completeCheckoutSession(id, { chargeAmount: { amount: '50.00', currencyCode: 'USD' } }));
    expect(err.status).toBe(422);
    expect(err.body.reasonCode).toBe('CheckoutSessionCanceled');
  });

  it('refuses to complete before the buyer is associated', async () => {
    const client = manual.sdk();
    const id = (await client.createCheckoutSession(readySessionBody(), idem())).data.checkoutSessionId;
    const err = await sdkError(client.completeCheckoutSession(id, { chargeAmount: { amount: '50.00', currencyCode: 'USD' } }));
    expect(err.status).toBe(422);
    expect(err.body.message).toContain('BuyerNotAssociated');
  });

  it('needs canHandlePendingAuthorization for a pending card', async () => {
    const { client, id } = await approvedSession('0701', { canHandlePendingAuthorization: false });
    const err = await sdkError(client.completeCheckoutSession(id, { chargeAmount: { amount: '50.00', currencyCode: 'USD' } }));
    expect(err.status).toBe(400);
    expect(err.body.reasonCode).toBe('InvalidSandboxSimulationSpecified');
  });
});
