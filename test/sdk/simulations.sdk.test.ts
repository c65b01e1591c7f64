import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { simulationCodes } from '../../server/scenarios/simulations.js';
import { demoKeyIds } from '../helpers/demoKeys.js';
import { liveServer, sdkError, useLiveServer, type LiveServer } from '../helpers/runningServer.js';
import { readySessionBody } from '../helpers/testApp.js';
import {
  advanceClock,
  authorizedCharge,
  capturedCharge,
  chargeablePermission,
  chargeStatus,
  completeBody,
  DEMO_NS,
  idem,
  permissionStatus,
  readySession,
  simulate,
  usd,
} from './flows.js';

/**
 * Every sandbox simulation code of server/domain/simulations.ts, sent by the official SDK on its
 * operation, with its effect checked through the SDK ("Use Sandbox simulations"). The table drives the tests: a code
 * added to the table without a case here makes a test fail.
 */

const PENDING_DELAY = 30;

const suite = useLiveServer({ pendingDelaySeconds: PENDING_DELAY });

const chargesOf = async (chargePermissionId: string): Promise<any[]> =>
  (await suite.live.server.app.mock.store.readAll<any>(DEMO_NS, 'charges')).filter((c) => c.charge.chargePermissionId === chargePermissionId);

/** Complete with a code that cancels the session: 422 CheckoutSessionCanceled, session Canceled with that reason. */
async function completeCanceled(code: string) {
  const id = await readySession(suite.client, { intent: 'Authorize', amount: '25.00' });
  const err = await sdkError(suite.client.completeCheckoutSession(id, completeBody({ amount: '25.00' }), simulate(code)));
  expect(err.status).toBe(422);
  expect(err.body.reasonCode).toBe('CheckoutSessionCanceled');
  const session = (await suite.client.getCheckoutSession(id)).data;
  expect(session.statusDetails).toMatchObject({ state: 'Canceled', reasonCode: code });
  expect(session.chargePermissionId).toBeNull();
  expect(session.chargeId).toBeNull();
  // Canceled is terminal: completing again without a code is still refused.
  const again = await sdkError(suite.client.completeCheckoutSession(id, completeBody({ amount: '25.00' })));
  expect(again.status).toBe(422);
}

/** The body a merchant sends to Finalize: the address the buyer chose, the amount and the intent. */
async function finalizeBody(id: string, extra: Record<string, unknown> = {}) {
  const session = (await suite.client.getCheckoutSession(id)).data;
  return { shippingAddress: session.shippingAddress, chargeAmount: usd('25.00'), paymentIntent: 'Authorize', ...extra };
}

async function finalizeCanceled(code: string) {
  const id = await readySession(suite.client, { intent: 'Authorize', amount: '25.00' });
  const err = await sdkError(suite.client.finalizeCheckoutSession(id, await finalizeBody(id), simulate(code)));
  expect(err.status).toBe(422);
  expect(err.body.reasonCode).toBe('CheckoutSessionCanceled');
  expect((await suite.client.getCheckoutSession(id)).data.statusDetails).toMatchObject({ state: 'Canceled', reasonCode: code });
}

/** A pending authorization at completion: 202, AuthorizationInitiated, Authorized after the delay. */
async function expectPendingThenAuthorized(response: any) {
  expect(response.status).toBe(202);
  expect(response.data.statusDetails.state).toBe('Completed');
  const chargeId = response.data.chargeId;
  const chargePermissionId = response.data.chargePermissionId;
  expect(await chargeStatus(suite.client, chargeId)).toMatchObject({ state: 'AuthorizationInitiated', reasonCode: null });
  expect((await permissionStatus(suite.client, chargePermissionId)).state).toBe('NonChargeable');
  await advanceClock(suite.live, PENDING_DELAY);
  expect(await chargeStatus(suite.client, chargeId)).toMatchObject({ state: 'Authorized', reasonCode: null });
  expect((await permissionStatus(suite.client, chargePermissionId)).reasons?.map((r) => r.reasonCode)).toEqual(['ChargeInProgress']);
}

/** A Create Charge decline: 422 (500 for ProcessingFailure) at once, or Declined later with canHandlePendingAuthorization. */
async function createChargeDeclined(code: string) {
  const expectedStatus = code === 'ProcessingFailure' ? 500 : 422;
  // Synchronous: an error answer, no charge.
  const syncPermission = await chargeablePermission(suite.client, '30.00');
  const err = await sdkError(suite.client.createCharge({ chargePermissionId: syncPermission, chargeAmount: usd('30.00') }, simulate(code)));
  expect(err.status).toBe(expectedStatus);
  expect(err.body.reasonCode).toBe(code);
  expect(await chargesOf(syncPermission)).toHaveLength(0);
  const after = await permissionStatus(suite.client, syncPermission);
  if (code === 'HardDeclined') {
    expect(after.state).toBe('NonChargeable');
    expect(after.reasons?.map((r) => r.reasonCode)).toEqual(['PaymentMethodInvalid']);
  } else {
    expect(after.state).toBe('Chargeable');
    // The buyer may retry: a charge without the code now succeeds.
    const retry = await suite.client.createCharge({ chargePermissionId: syncPermission, chargeAmount: usd('30.00') }, idem());
    expect(retry.status).toBe(201);
    expect(retry.data.statusDetails.state).toBe('Authorized');
  }

  // Asynchronous: 201 AuthorizationInitiated, then Declined with the code as reason.
  const asyncPermission = await chargeablePermission(suite.client, '30.00');
  const pending = await suite.client.createCharge({ chargePermissionId: asyncPermission, chargeAmount: usd('30.00'), canHandlePendingAuthorization: true }, simulate(code));
  expect(pending.status).toBe(201);
  expect(pending.data.statusDetails.state).toBe('AuthorizationInitiated');
  await advanceClock(suite.live, PENDING_DELAY);
  expect(await chargeStatus(suite.client, pending.data.chargeId)).toMatchObject({ state: 'Declined', reasonCode: code });
  const settled = await permissionStatus(suite.client, asyncPermission);
  expect(settled.state).toBe(code === 'HardDeclined' ? 'NonChargeable' : 'Chargeable');
}

type Case = () => Promise<void>;

/** One case per operation and code of the simulation table. */
const cases: Record<string, Record<string, Case>> = {
  completeCheckoutSession: {
    BuyerCanceled: () => completeCanceled('BuyerCanceled'),
    Declined: () => completeCanceled('Declined'),
    AmazonCanceled: () => completeCanceled('AmazonCanceled'),
    AuthorizationInitiated: async () => {
      const id = await readySession(suite.client, { intent: 'Authorize', amount: '25.00', canHandlePendingAuthorization: true });
      await expectPendingThenAuthorized(await suite.client.completeCheckoutSession(id, completeBody({ amount: '25.00' }), simulate('AuthorizationInitiated')));
      // Without canHandlePendingAuthorization the simulation cannot apply.
      const strict = await readySession(suite.client, { intent: 'Authorize', amount: '25.00' });
      const err = await sdkError(suite.client.completeCheckoutSession(strict, completeBody({ amount: '25.00' }), simulate('AuthorizationInitiated')));
      expect(err.status).toBe(400);
      expect(err.body.reasonCode).toBe('InvalidSandboxSimulationSpecified');
      expect((await suite.client.getCheckoutSession(strict)).data.statusDetails.state).toBe('Open');
    },
  },
  finalizeCheckoutSession: {
    BuyerCanceled: () => finalizeCanceled('BuyerCanceled'),
    Declined: () => finalizeCanceled('Declined'),
    AmazonCanceled: () => finalizeCanceled('AmazonCanceled'),
    AuthorizationInitiated: async () => {
      const id = await readySession(suite.client, { intent: 'Authorize', amount: '25.00' });
      const body = await finalizeBody(id, { canHandlePendingAuthorization: true });
      await expectPendingThenAuthorized(await suite.client.finalizeCheckoutSession(id, body, simulate('AuthorizationInitiated')));
    },
  },
  createCharge: {
    SoftDeclined: () => createChargeDeclined('SoftDeclined'),
    HardDeclined: () => createChargeDeclined('HardDeclined'),
    AmazonRejected: () => createChargeDeclined('AmazonRejected'),
    TransactionTimedOut: () => createChargeDeclined('TransactionTimedOut'),
    ProcessingFailure: () => createChargeDeclined('ProcessingFailure'),
    AuthorizationInitiated: async () => {
      const chargePermissionId = await chargeablePermission(suite.client, '30.00');
      const err = await sdkError(suite.client.createCharge({ chargePermissionId, chargeAmount: usd('30.00') }, simulate('AuthorizationInitiated')));
      expect(err.status).toBe(400);
      expect(err.body.reasonCode).toBe('InvalidSandboxSimulationSpecified');
      const pending = await suite.client.createCharge({ chargePermissionId, chargeAmount: usd('30.00'), canHandlePendingAuthorization: true }, simulate('AuthorizationInitiated'));
      expect(pending.status).toBe(201);
      expect(pending.data.statusDetails.state).toBe('AuthorizationInitiated');
      expect((await permissionStatus(suite.client, chargePermissionId)).state).toBe('NonChargeable');
      await advanceClock(suite.live, PENDING_DELAY);
      expect(await chargeStatus(suite.client, pending.data.chargeId)).toMatchObject({ state: 'Authorized', reasonCode: null });
      const captured = await suite.client.captureCharge(pending.data.chargeId, { captureAmount: usd('30.00') }, idem());
      expect(captured.data.statusDetails.state).toBe('Captured');
    },
    CaptureInitiated: async () => {
      const chargePermissionId = await chargeablePermission(suite.client, '30.00');
      const err = await sdkError(suite.client.createCharge({ chargePermissionId, chargeAmount: usd('30.00') }, simulate('CaptureInitiated')));
      expect(err.status).toBe(400);
      expect(err.body.reasonCode).toBe('InvalidSandboxSimulationSpecified');
      const pending = await suite.client.createCharge({ chargePermissionId, chargeAmount: usd('30.00'), captureNow: true }, simulate('CaptureInitiated'));
      expect(pending.status).toBe(201);
      expect(pending.data.statusDetails.state).toBe('CaptureInitiated');
      expect(pending.data.captureAmount).toBeNull();
      await advanceClock(suite.live, PENDING_DELAY);
      const charge = (await suite.client.getCharge(pending.data.chargeId)).data;
      expect(charge.statusDetails.state).toBe('Captured');
      expect(charge.captureAmount).toEqual(usd('30.00'));
      // The whole order is captured, so the OneTime permission closes (Charge Permission page).
      const permission = await permissionStatus(suite.client, chargePermissionId);
      expect(permission.state).toBe('Closed');
      expect(permission.limits.amountBalance).toEqual(usd('0.00'));
    },
  },
  captureCharge: {
    CaptureInitiated: async () => {
      const { chargePermissionId, chargeId } = await authorizedCharge(suite.client, '30.00');
      const initiated = await suite.client.captureCharge(chargeId, { captureAmount: usd('30.00') }, simulate('CaptureInitiated'));
      expect(initiated.status).toBe(200);
      expect(initiated.data.statusDetails.state).toBe('CaptureInitiated');
      await advanceClock(suite.live, PENDING_DELAY);
      const charge = (await suite.client.getCharge(chargeId)).data;
      expect(charge.statusDetails.state).toBe('Captured');
      expect(charge.captureAmount).toEqual(usd('30.00'));
      expect((await permissionStatus(suite.client, chargePermissionId)).limits.amountBalance).toEqual(usd('0.00'));
    },
    AmazonRejected: async () => {
      const { chargePermissionId, chargeId } = await authorizedCharge(suite.client, '30.00');
      const err = await sdkError(suite.client.captureCharge(chargeId, { captureAmount: usd('30.00') }, simulate('AmazonRejected')));
      expect(err.status).toBe(422);
      expect(err.body.reasonCode).toBe('AmazonRejected');
      expect(await chargeStatus(suite.client, chargeId)).toMatchObject({ state: 'Declined', reasonCode: 'AmazonRejected' });
      const permission = await permissionStatus(suite.client, chargePermissionId);
      expect(permission.state).toBe('Chargeable');
      expect(permission.limits.amountBalance).toEqual(usd('30.00'));
    },
    ProcessingFailure: async () => {
      const { chargeId } = await authorizedCharge(suite.client, '30.00');
      const err = await sdkError(suite.client.captureCharge(chargeId, { captureAmount: usd('30.00') }, simulate('ProcessingFailure')));
      expect(err.status).toBe(500);
      expect(err.body.reasonCode).toBe('ProcessingFailure');
      expect((await chargeStatus(suite.client, chargeId)).state).toBe('Authorized');
      // A transient failure: the retry succeeds.
      const retry = await suite.client.captureCharge(chargeId, { captureAmount: usd('30.00') }, idem());
      expect(retry.data.statusDetails.state).toBe('Captured');
    },
  },
  closeChargePermission: {
    AmazonClosed: async () => {
      const chargePermissionId = await chargeablePermission(suite.client, '30.00');
      const closed = await suite.client.closeChargePermission(chargePermissionId, { closureReason: 'sim' }, simulate('AmazonClosed'));
      expect(closed.status).toBe(200);
      expect(closed.data.statusDetails.state).toBe('Closed');
      expect(closed.data.statusDetails.reasons.map((r: any) => r.reasonCode)).toEqual(['AmazonClosed']);
      expect((await permissionStatus(suite.client, chargePermissionId)).reasons?.map((r) => r.reasonCode)).toEqual(['AmazonClosed']);
    },
  },
  createRefund: {
    RefundDeclined: async () => {
      const { chargeId } = await capturedCharge(suite.client, '100.00');
      const refund = await suite.client.createRefund({ chargeId, refundAmount: usd('115.00') }, simulate('RefundDeclined'));
      expect(refund.status).toBe(201);
      expect(refund.data.statusDetails.state).toBe('RefundInitiated');
      await advanceClock(suite.live, PENDING_DELAY);
      const declined = (await suite.client.getRefund(refund.data.refundId)).data;
      expect(declined.statusDetails.state).toBe('Declined');
      expect(declined.statusDetails.reasonCode).toBe('AmazonRejected');
      expect((await suite.client.getCharge(chargeId)).data.refundedAmount).toEqual(usd('0.00'));
      // A declined refund gives its amount back to what may still be refunded.
      const retry = await suite.client.createRefund({ chargeId, refundAmount: usd('115.00') }, idem());
      expect(retry.status).toBe(201);
    },
  },
};

const tableEntries = Object.entries(simulationCodes).flatMap(([operation, codes]) => Object.keys(codes ?? {}).map((code) => [operation, code] as const));

describe('sandbox simulation codes, one test per entry of simulationCodes', () => {
  it('has a case for every code in the table and no case for a code the table lacks', () => {
    const table = tableEntries.map(([op, code]) => `${op}:${code}`).sort();
    const covered = Object.entries(cases).flatMap(([op, codes]) => Object.keys(codes).map((code) => `${op}:${code}`)).sort();
    expect(covered).toEqual(table);
  });

  it.each(tableEntries)('%s with x-amz-pay-simulation-code %s', async (operation, code) => {
    const run = cases[operation]?.[code];
    if (!run) throw new Error(`No SDK test for simulation code ${code} on ${operation}: add one to cases.`);
    await run();
  });
});

describe('invalid simulation codes', () => {
  it('answers 400 InvalidSandboxSimulationSpecified for an unknown code and leaves the session Open', async () => {
    const id = await readySession(suite.client, { intent: 'Authorize', amount: '25.00' });
    const err = await sdkError(suite.client.completeCheckoutSession(id, completeBody({ amount: '25.00' }), simulate('NoSuchSimulation')));
    expect(err.status).toBe(400);
    expect(err.body.reasonCode).toBe('InvalidSandboxSimulationSpecified');
    expect((await suite.client.getCheckoutSession(id)).data.statusDetails.state).toBe('Open');
  });

  it('answers 400 InvalidSandboxSimulationSpecified for a code of another operation', async () => {
    const chargePermissionId = await chargeablePermission(suite.client, '25.00');
    const err = await sdkError(suite.client.createCharge({ chargePermissionId, chargeAmount: usd('25.00') }, simulate('AmazonClosed')));
    expect(err.status).toBe(400);
    expect(err.body.reasonCode).toBe('InvalidSandboxSimulationSpecified');
    expect(await chargesOf(chargePermissionId)).toHaveLength(0);
  });

  it('answers 400 InvalidSandboxSimulationSpecified for a code on an operation that accepts none', async () => {
    const { chargeId } = await authorizedCharge(suite.client, '25.00');
    const err = await sdkError(suite.client.getCharge(chargeId, { 'x-amz-pay-simulation-code': 'CaptureInitiated' }));
    expect(err.status).toBe(400);
    expect(err.body.reasonCode).toBe('InvalidSandboxSimulationSpecified');
  });

  describe('on the LIVE key', () => {
    let liveClient: any;
    const ids: Record<string, string> = {};
    beforeAll(async () => {
      liveClient = suite.live.sdk({ publicKeyId: demoKeyIds.live });
      ids.session = await readySession(liveClient, { intent: 'Authorize', amount: '25.00' });
      ids.permission = await chargeablePermission(liveClient, '25.00');
      ids.authorized = (await authorizedCharge(liveClient, '25.00')).chargeId;
      ids.captured = (await capturedCharge(liveClient, '25.00')).chargeId;
    });

    /** Each operation of the table, called on live objects with the given headers. */
    const calls: Record<string, (headers: Record<string, string>) => Promise<unknown>> = {
      completeCheckoutSession: (h) => liveClient.completeCheckoutSession(ids.session, completeBody({ amount: '25.00' }), h),
      finalizeCheckoutSession: async (h) => {
        const session = (await liveClient.getCheckoutSession(ids.session)).data;
        return liveClient.finalizeCheckoutSession(ids.session, { shippingAddress: session.shippingAddress, chargeAmount: usd('25.00'), paymentIntent: 'Authorize' }, h);
      },
      createCharge: (h) => liveClient.createCharge({ chargePermissionId: ids.permission, chargeAmount: usd('25.00'), captureNow: true }, h),
      captureCharge: (h) => liveClient.captureCharge(ids.authorized, { captureAmount: usd('25.00') }, h),
      closeChargePermission: (h) => liveClient.closeChargePermission(ids.permission, { closureReason: 'live' }, h),
      createRefund: (h) => liveClient.createRefund({ chargeId: ids.captured, refundAmount: usd('1.00') }, h),
    };

    it('has a live call for every operation of the table', () => {
      expect(Object.keys(calls).sort()).toEqual(Object.keys(simulationCodes).sort());
    });

    it.each(tableEntries)('refuses %s with code %s on a LIVE key with 400 InvalidSandboxSimulationSpecified', async (operation, code) => {
      const call = calls[operation];
      if (!call) throw new Error(`No live call for ${operation}`);
      const err = await sdkError(call(simulate(code)));
      expect(err.status).toBe(400);
      expect(err.body.reasonCode).toBe('InvalidSandboxSimulationSpecified');
    });

    it('left every live object untouched, and the same calls succeed without a code', async () => {
      const session = (await liveClient.getCheckoutSession(ids.session)).data;
      expect(session.statusDetails.state).toBe('Open');
      expect(session.releaseEnvironment).toBe('Live');
      expect((await liveClient.getChargePermission(ids.permission)).data.statusDetails.state).toBe('Chargeable');
      expect((await liveClient.getCharge(ids.authorized)).data.statusDetails.state).toBe('Authorized');
      expect((await liveClient.getCharge(ids.captured)).data.refundedAmount).toEqual(usd('0.00'));

      expect((await calls.captureCharge!(idem())) as any).toMatchObject({ status: 200 });
      expect((await calls.createRefund!(idem())) as any).toMatchObject({ status: 201 });
      expect((await calls.createCharge!(idem())) as any).toMatchObject({ status: 201 });
      expect((await calls.completeCheckoutSession!(idem())) as any).toMatchObject({ status: 200 });
    });
  });
});

describe('simulated cards apply to later charges on the permission (manual approval)', () => {
  let manual: LiveServer;
  let mclient: any;
  beforeAll(async () => {
    manual = await liveServer({ buyerApproval: 'manual', pendingDelaySeconds: PENDING_DELAY });
    mclient = manual.sdk();
  });
  afterAll(async () => {
    await manual?.close();
  });

  async function approved(card: string, paymentIntent: string, canHandlePendingAuthorization = true) {
    const created = await mclient.createCheckoutSession(
      readySessionBody({ paymentDetails: { paymentIntent, canHandlePendingAuthorization, chargeAmount: usd('40.00') } }),
      idem(),
    );
    const id = created.data.checkoutSessionId;
    const res = await manual.admin('POST', `/__admin/checkoutSessions/${id}/approve`, { card });
    expect(res.status).toBe(200);
    return id;
  }

  const settle = () => advanceClock(manual, PENDING_DELAY);
  const state = async (chargeId: string) => (await mclient.getCharge(chargeId)).data.statusDetails;

  it('refuses a pending card (0701, 4354) with paymentIntent Confirm: the docs require Authorize', async () => {
    for (const card of ['0701', '4354']) {
      const id = await approved(card, 'Confirm');
      const err = await sdkError(mclient.completeCheckoutSession(id, { chargeAmount: usd('40.00') }));
      expect(err.status).toBe(400);
      expect(err.body.reasonCode).toBe('InvalidSandboxSimulationSpecified');
    }
  });

  it('card 0701: the next createCharge with canHandlePendingAuthorization is AuthorizationInitiated, then Authorized', async () => {
    const id = await approved('0701', 'Authorize');
    const completed = await mclient.completeCheckoutSession(id, { chargeAmount: usd('40.00') });
    expect(completed.status).toBe(202);
    const { chargePermissionId, chargeId: first } = completed.data;
    await settle();
    expect((await state(first)).state).toBe('Authorized');
    await mclient.cancelCharge(first, { cancellationReason: 'split shipment' });
    expect((await permissionStatus(mclient, chargePermissionId)).state).toBe('Chargeable');

    // The card still decides: without canHandlePendingAuthorization the charge cannot be made.
    const strict = await sdkError(mclient.createCharge({ chargePermissionId, chargeAmount: usd('20.00') }, idem()));
    expect(strict.status).toBe(400);
    expect(strict.body.reasonCode).toBe('InvalidSandboxSimulationSpecified');

    const next = await mclient.createCharge({ chargePermissionId, chargeAmount: usd('20.00'), canHandlePendingAuthorization: true }, idem());
    expect(next.status).toBe(201);
    expect(next.data.statusDetails.state).toBe('AuthorizationInitiated');
    expect((await permissionStatus(mclient, chargePermissionId)).state).toBe('NonChargeable');
    await settle();
    expect(await state(next.data.chargeId)).toMatchObject({ state: 'Authorized', reasonCode: null });
  });

  it('card 4354: after a simulated success at completion, the next charge goes AuthorizationInitiated, then Declined/HardDeclined', async () => {
    const id = await approved('4354', 'Authorize');
    // The simulation string overrides the card for this call only.
    const completed = await mclient.completeCheckoutSession(id, { chargeAmount: usd('40.00') }, simulate('AuthorizationInitiated'));
    expect(completed.status).toBe(202);
    const { chargePermissionId, chargeId: first } = completed.data;
    await settle();
    expect((await state(first)).state).toBe('Authorized');
    await mclient.cancelCharge(first, {});

    const next = await mclient.createCharge({ chargePermissionId, chargeAmount: usd('20.00'), canHandlePendingAuthorization: true }, idem());
    expect(next.status).toBe(201);
    expect(next.data.statusDetails.state).toBe('AuthorizationInitiated');
    await settle();
    expect(await state(next.data.chargeId)).toMatchObject({ state: 'Declined', reasonCode: 'HardDeclined' });
    const permission = await permissionStatus(mclient, chargePermissionId);
    expect(permission.state).toBe('NonChargeable');
    expect(permission.reasons?.map((r) => r.reasonCode)).toEqual(['PaymentMethodInvalid']);
    const blocked = await sdkError(mclient.createCharge({ chargePermissionId, chargeAmount: usd('1.00'), canHandlePendingAuthorization: true }, idem()));
    expect(blocked.status).toBe(422);
    expect(blocked.body.reasonCode).toBe('InvalidChargePermissionStatus');
  });

  it('refuses a pending card (0701, 4354) with AuthorizeWithCapture, or captureNow later: they need Authorize ("Use Sandbox simulations")', async () => {
    for (const card of ['0701', '4354']) {
      const id = await approved(card, 'AuthorizeWithCapture');
      const err = await sdkError(mclient.completeCheckoutSession(id, { chargeAmount: usd('40.00') }));
      expect(err.status).toBe(400);
      expect(err.body.reasonCode).toBe('InvalidSandboxSimulationSpecified');
      expect(err.body.message).toContain(card);
      expect((await mclient.getCheckoutSession(id)).data.statusDetails.state).toBe('Open');
    }
    const id = await approved('0701', 'Authorize');
    const completed = await mclient.completeCheckoutSession(id, { chargeAmount: usd('40.00') });
    await settle();
    await mclient.cancelCharge(completed.data.chargeId, { cancellationReason: 'x' });
    const captureNow = await sdkError(mclient.createCharge({ chargePermissionId: completed.data.chargePermissionId, chargeAmount: usd('10.00'), captureNow: true, canHandlePendingAuthorization: true }, idem()));
    expect(captureNow.body.reasonCode).toBe('InvalidSandboxSimulationSpecified');
  });

  it('a simulation string overrides a pending card: AuthorizeWithCapture with card 0701 and a code completes as the code says', async () => {
    const id = await approved('0701', 'AuthorizeWithCapture');
    const err = await sdkError(mclient.completeCheckoutSession(id, { chargeAmount: usd('40.00') }, simulate('BuyerCanceled')));
    expect(err.body.reasonCode).toBe('CheckoutSessionCanceled');
    expect((await mclient.getCheckoutSession(id)).data.statusDetails.reasonCode).toBe('BuyerCanceled');
  });

  it('a simulation string overrides a card that canceled the session on return (3064, 3434)', async () => {
    for (const card of ['3064', '3434']) {
      const id = await approved(card, 'Authorize');
      expect((await mclient.getCheckoutSession(id)).data.statusDetails.state).toBe('Canceled');
      const completed = await mclient.completeCheckoutSession(id, { chargeAmount: usd('40.00') }, simulate('AuthorizationInitiated'));
      expect(completed.status).toBe(202);
      expect((await state(completed.data.chargeId)).state).toBe('AuthorizationInitiated');
      expect((await mclient.getCheckoutSession(id)).data.statusDetails.state).toBe('Completed');
    }
    // Without a simulation string the card decides.
    const id = await approved('3064', 'Authorize');
    const err = await sdkError(mclient.completeCheckoutSession(id, { chargeAmount: usd('40.00') }));
    expect(err.body.reasonCode).toBe('CheckoutSessionCanceled');
    // And another code takes its own reason over the card's.
    const other = await approved('3064', 'Authorize');
    await sdkError(mclient.completeCheckoutSession(other, { chargeAmount: usd('40.00') }, simulate('AmazonCanceled')));
    expect((await mclient.getCheckoutSession(other)).data.statusDetails.reasonCode).toBe('AmazonCanceled');
  });

  it('a happy-path card (4444) with Confirm: Chargeable permission, later charges Authorized at once', async () => {
    const id = await approved('4444', 'Confirm', false);
    const completed = await mclient.completeCheckoutSession(id, { chargeAmount: usd('40.00') });
    expect(completed.status).toBe(200);
    expect(completed.data.chargeId).toBeNull();
    const chargePermissionId = completed.data.chargePermissionId;
    const permission = (await mclient.getChargePermission(chargePermissionId)).data;
    expect(permission.statusDetails.state).toBe('Chargeable');
    expect(permission.paymentPreferences).toEqual([{ paymentDescriptor: expect.stringContaining('****4444') }]);
    const charge = await mclient.createCharge({ chargePermissionId, chargeAmount: usd('40.00') }, idem());
    expect(charge.status).toBe(201);
    expect(charge.data.statusDetails.state).toBe('Authorized');
  });
});
