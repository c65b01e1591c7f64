import { describe, expect, it } from 'vitest';
import { sdkError, useLiveServer } from '../helpers/runningServer.js';
import { chargeablePermission, DEMO_NS, readySession, simulate, usd } from './flows.js';

/** Messages and headers as Amazon sends them ("Manage errors", "API introduction"). */
const suite = useLiveServer();

async function raw(promise: Promise<any>) {
  try {
    return await promise;
  } catch (err: any) {
    return err.response;
  }
}

describe('answers on the wire', () => {
  it('sends Content-Type: application/json, as Amazon does, on successes and on errors', async () => {
    const id = await readySession(suite.client, { intent: 'Authorize', amount: '5.00' });
    const ok = await suite.client.getCheckoutSession(id);
    expect(ok.headers['content-type']).toBe('application/json');
    const missing = await raw(suite.client.getCheckoutSession('00000000-0000-4000-8000-000000000000'));
    expect(missing.status).toBe(404);
    expect(missing.headers['content-type']).toBe('application/json');
  });

  it("names the leaf field in UnrecognizedField: \"The field 'checkoutMode' is invalid for this API.\"", async () => {
    const id = await readySession(suite.client, { intent: 'Authorize', amount: '5.00' });
    const err = await sdkError(suite.client.updateCheckoutSession(id, { webCheckoutDetails: { checkoutMode: 'ProcessOrder' } }));
    expect(err.status).toBe(400);
    expect(err.body).toEqual({ reasonCode: 'UnrecognizedField', message: "The field 'checkoutMode' is invalid for this API." });
  });
});

describe('the request journal records the reasonCode of every error answer', () => {
  it('a simulated HardDeclined on createCharge, and a scripted error', async () => {
    const chargePermissionId = await chargeablePermission(suite.client, '20.00');
    const declined = await sdkError(suite.client.createCharge({ chargePermissionId, chargeAmount: usd('20.00') }, simulate('HardDeclined')));
    expect(declined.body.reasonCode).toBe('HardDeclined');
    const rule = { name: 'busy', match: { operation: 'getChargePermission' }, outcome: { kind: 'error', reasonCode: 'ServiceUnavailable' }, times: 1 };
    expect((await suite.live.admin('POST', `/__admin/scenarios?merchant=${DEMO_NS}`, rule)).status).toBe(201);
    expect((await sdkError(suite.client.getChargePermission(chargePermissionId))).status).toBe(503);

    const journal = (await suite.live.admin('GET', `/__admin/requests?merchant=${DEMO_NS}&objectId=${chargePermissionId}`)).body.requests as any[];
    const charge = journal.find((e) => e.operation === 'createCharge' && e.status === 422);
    expect(charge).toMatchObject({ reasonCode: 'HardDeclined' });
    const scripted = journal.find((e) => e.operation === 'getChargePermission' && e.status === 503);
    expect(scripted).toMatchObject({ reasonCode: 'ServiceUnavailable', scenario: 'busy' });
    const fine = journal.find((e) => e.operation === 'getChargePermission' && e.status === 200);
    expect(fine?.reasonCode ?? null).toBeNull();
  });
});
