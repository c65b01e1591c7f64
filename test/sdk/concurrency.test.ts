import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Agent } from 'undici';
import { sendSigned, tally } from '../helpers/signedSend.js';
import { liveServer, type LiveServer } from '../helpers/runningServer.js';
import { DEMO_NS, newKey, readySession, usd } from './flows.js';

/**
 * Races on one object over real sockets: every request is signed and sent at once (undici, plain
 * HTTP listener); the server must apply exactly one of them and refuse the rest.
 */

const PARALLEL = 100;

let live: LiveServer;
let client: any;
let agent: Agent;
beforeAll(() => {
  agent = new Agent({ connections: PARALLEL, pipelining: 0 });
});
afterAll(async () => {
  await agent?.close();
});

/** Sends one signed request as an SDK would; returns status and parsed body. */
const send = (method: string, path: string, body: unknown, headers: Record<string, string> = {}) => sendSigned(live.server.http!.url, agent, method, path, body, headers);

describe.each(['memory', 'file'] as const)(`${PARALLEL} parallel requests on one object (%s store)`, (store) => {
  beforeAll(async () => {
    live = await liveServer({ pendingDelaySeconds: 30, store });
    client = live.sdk();
  });
  afterAll(async () => {
    await live?.close();
  });

  it('captures an Authorized charge exactly once: one 200, the rest 422 InvalidChargeStatus', async () => {
    const id = await readySession(client, { intent: 'Authorize', amount: '80.00' });
    const completed = await client.completeCheckoutSession(id, { chargeAmount: usd('80.00') });
    expect(completed.status).toBe(200);
    const { chargeId, chargePermissionId } = completed.data;

    const results = await Promise.all(
      Array.from({ length: PARALLEL }, () => send('POST', `/v2/charges/${chargeId}/capture`, { captureAmount: usd('50.00') }, { 'x-amz-pay-idempotency-key': newKey() })),
    );
    expect(tally(results)).toEqual({ '200': 1, '422 InvalidChargeStatus': PARALLEL - 1 });
    const winner = results.find((r) => r.status === 200)!;
    expect(winner.body.statusDetails.state).toBe('Captured');
    expect(winner.body.captureAmount).toEqual(usd('50.00'));

    const charge = (await client.getCharge(chargeId)).data;
    expect(charge.statusDetails.state).toBe('Captured');
    expect(charge.captureAmount).toEqual(usd('50.00'));
    expect(charge.refundedAmount).toEqual(usd('0.00'));
    const permission = (await client.getChargePermission(chargePermissionId)).data;
    expect(permission.statusDetails.state).toBe('Chargeable');
    expect(permission.limits).toEqual({ amountLimit: usd('80.00'), amountBalance: usd('30.00') });
    const stored = (await live.server.app.mock.store.read<any>(DEMO_NS, 'chargePermissions', chargePermissionId));
    expect(stored.meta.capturedMinor).toBe(5000);
    expect(stored.meta.openChargeIds).toEqual([]);
  });

  it('completes a checkout session exactly once: one 200, the rest 422 InvalidCheckoutSessionStatus, one permission and one charge', async () => {
    const id = await readySession(client, { intent: 'Authorize', amount: '40.00' });
    const permissionsBefore = (await live.server.app.mock.store.readAll<any>(DEMO_NS, 'chargePermissions')).length;
    const chargesBefore = (await live.server.app.mock.store.readAll<any>(DEMO_NS, 'charges')).length;

    const results = await Promise.all(
      Array.from({ length: PARALLEL }, () => send('POST', `/v2/checkoutSessions/${id}/complete`, { chargeAmount: usd('40.00') }, { 'x-amz-pay-idempotency-key': newKey() })),
    );
    expect(tally(results)).toEqual({ '200': 1, '422 InvalidCheckoutSessionStatus': PARALLEL - 1 });
    const winner = results.find((r) => r.status === 200)!;

    const session = (await client.getCheckoutSession(id)).data;
    expect(session.statusDetails.state).toBe('Completed');
    expect(session.chargePermissionId).toBe(winner.body.chargePermissionId);
    expect(session.chargeId).toBe(winner.body.chargeId);
    expect((await live.server.app.mock.store.readAll<any>(DEMO_NS, 'chargePermissions')).length).toBe(permissionsBefore + 1);
    expect((await live.server.app.mock.store.readAll<any>(DEMO_NS, 'charges')).length).toBe(chargesBefore + 1);
    expect((await client.getCharge(winner.body.chargeId)).data.statusDetails.state).toBe('Authorized');
  });

  it('completes a checkout session exactly once when the racing requests carry no idempotency key', async () => {
    const id = await readySession(client, { intent: 'Confirm', amount: '40.00' });
    const permissionsBefore = (await live.server.app.mock.store.readAll<any>(DEMO_NS, 'chargePermissions')).length;
    const results = await Promise.all(Array.from({ length: PARALLEL }, () => send('POST', `/v2/checkoutSessions/${id}/complete`, { chargeAmount: usd('40.00') })));
    expect(tally(results)).toEqual({ '200': 1, '422 InvalidCheckoutSessionStatus': PARALLEL - 1 });
    expect((await live.server.app.mock.store.readAll<any>(DEMO_NS, 'chargePermissions')).length).toBe(permissionsBefore + 1);
  });

  it('creates one charge for 100 parallel createCharge calls on one OneTime permission', async () => {
    const id = await readySession(client, { intent: 'Confirm', amount: '40.00' });
    const { chargePermissionId } = (await client.completeCheckoutSession(id, { chargeAmount: usd('40.00') })).data;
    const results = await Promise.all(
      Array.from({ length: PARALLEL }, () => send('POST', '/v2/charges', { chargePermissionId, chargeAmount: usd('40.00') }, { 'x-amz-pay-idempotency-key': newKey() })),
    );
    expect(tally(results)).toEqual({ '201': 1, '422 InvalidChargePermissionStatus': PARALLEL - 1 });
    const charges = (await live.server.app.mock.store.readAll<any>(DEMO_NS, 'charges')).filter((c) => c.charge.chargePermissionId === chargePermissionId);
    expect(charges).toHaveLength(1);
  });

  it('replays one answer to 100 parallel captures that share one idempotency key', async () => {
    const id = await readySession(client, { intent: 'Authorize', amount: '10.00' });
    const { chargeId } = (await client.completeCheckoutSession(id, { chargeAmount: usd('10.00') })).data;
    const k = newKey();
    const results = await Promise.all(Array.from({ length: PARALLEL }, () => send('POST', `/v2/charges/${chargeId}/capture`, { captureAmount: usd('10.00') }, { 'x-amz-pay-idempotency-key': k })));
    expect(tally(results)).toEqual({ '200': PARALLEL });
    const bodies = new Set(results.map((r) => JSON.stringify(r.body)));
    expect(bodies.size).toBe(1);
  });
});
