import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryStore } from '../../server/store/memoryStore.js';
import { readySessionBody, testApp, type TestApp } from '../helpers/testApp.js';

let t: TestApp;
let store: MemoryStore;
beforeAll(async () => {
  store = new MemoryStore();
  t = await testApp({}, { store });
});
afterAll(() => t.close());

function expectRefused(res: { status: number; body: any; headers: Record<string, unknown> }, reasonCode: string) {
  expect(res.status).toBe(400);
  expect(Object.keys(res.body)).toEqual(['reasonCode', 'message']);
  expect(res.body.reasonCode).toBe(reasonCode);
  expect(res.headers['x-amz-pay-request-id']).toBeTruthy();
}

describe('null array items', () => {
  it('answers deliveryDetails:[null] with 400 InvalidParameterValue, not 500', async () => {
    expectRefused(await t.call('POST', '/v2/deliveryTrackers', { amazonOrderReferenceId: 'P01-1234567-1234567', deliveryDetails: [null] }), 'InvalidParameterValue');
  });

  it('answers multiAddressesCheckoutMetadata:[null] on create and update with 400 and stores nothing', async () => {
    const before = store.list('AMZNPAYMOCKDEMO000000001', 'checkoutSessions').length;
    expectRefused(await t.call('POST', '/v2/checkoutSessions', readySessionBody({ multiAddressesCheckoutMetadata: [null] })), 'InvalidParameterValue');
    expect(store.list('AMZNPAYMOCKDEMO000000001', 'checkoutSessions')).toHaveLength(before);
    const created = await t.call('POST', '/v2/checkoutSessions', readySessionBody());
    expect(created.status).toBe(201);
    const id = created.body.checkoutSessionId;
    expectRefused(await t.call('PATCH', `/v2/checkoutSessions/${id}`, { multiAddressesCheckoutMetadata: [null] }), 'InvalidParameterValue');
    expect((await t.call('GET', `/v2/checkoutSessions/${id}`)).status).toBe(200);
  });
});

describe('nesting', () => {
  it('refuses 3,000 levels of address restrictions with a 400, and the store stays readable', async () => {
    let deep: unknown = 'x';
    for (let i = 0; i < 3000; i++) deep = { a: deep };
    const body = readySessionBody({ deliverySpecifications: { addressRestrictions: { type: 'Allowed', restrictions: { US: deep } } } });
    const res = await t.call('POST', '/v2/checkoutSessions', body);
    expect(res.status).toBe(400);
    expect(['InvalidRequestFormat', 'UnrecognizedField']).toContain(res.body.reasonCode);
    const ok = await t.call('POST', '/v2/checkoutSessions', readySessionBody());
    expect((await t.call('GET', `/v2/checkoutSessions/${ok.body.checkoutSessionId}`)).status).toBe(200);
  });

  it('refuses any body nested deeper than 32 levels with 400 InvalidRequestFormat, control API included', async () => {
    const deep = `${'['.repeat(40)}${']'.repeat(40)}`;
    expectRefused(await t.call('POST', '/v2/checkoutSessions', `{"storeId":${deep}}`), 'InvalidRequestFormat');
    const admin = await t.raw({ method: 'POST', url: '/__admin/scenarios', headers: { 'content-type': 'application/json' }, payload: deep });
    expectRefused(admin, 'InvalidRequestFormat');
  });

  it('takes restrictions in their documented shape', async () => {
    const body = readySessionBody({ deliverySpecifications: { addressRestrictions: { type: 'Allowed', restrictions: { US: { statesOrRegions: ['WA'], zipCodes: ['95050'] } } } } });
    const res = await t.call('POST', '/v2/checkoutSessions', body);
    expect(res.status).toBe(201);
    expect(res.body.deliverySpecifications.addressRestrictions.restrictions).toEqual({ US: { statesOrRegions: ['WA'], zipCodes: ['95050'] } });
  });
});

describe('amplification', () => {
  const huge = 'x'.repeat(200_000);

  it('echoes only a prefix of a huge bad value', async () => {
    const res = await t.call('POST', '/v2/checkoutSessions', readySessionBody({ supplementaryData: huge }));
    expectRefused(res, 'InvalidParameterValue');
    expect(JSON.stringify(res.body).length).toBeLessThan(600);
    const unknownField = await t.call('POST', '/v2/checkoutSessions', { ...readySessionBody(), [huge]: 1 });
    expect(unknownField.body.reasonCode).toBe('UnrecognizedField');
    expect(JSON.stringify(unknownField.body).length).toBeLessThan(600);
  });

  it('keeps at most a small record per refused POST with an idempotency key, and replays it', async () => {
    const size = () => JSON.stringify(store.list('AMZNPAYMOCKDEMO000000001', 'idempotency')).length;
    const before = size();
    for (let i = 0; i < 20; i++) {
      const res = await t.call('POST', '/v2/checkoutSessions', readySessionBody({ supplementaryData: huge }), { idempotencyKey: `refused-${i}` });
      expect(res.status).toBe(400);
    }
    expect(size() - before).toBeLessThan(20 * 1024);
    const replay = await t.call('POST', '/v2/checkoutSessions', readySessionBody({ supplementaryData: huge }), { idempotencyKey: 'refused-0' });
    expect(replay.status).toBe(400);
  });

  it('keeps journal entries of huge bodies small', async () => {
    await t.call('POST', '/v2/checkoutSessions', readySessionBody({ supplementaryData: huge }));
    const journal = await t.raw({ method: 'GET', url: '/__admin/requests?limit=1' });
    expect(JSON.stringify(journal.body).length).toBeLessThan(40_000);
  });
});

describe('key ids that name no merchant, with --signature off', () => {
  it.each(['SANDBOX-', 'LIVE-', 'SANDBOX-~server', 'sandbox-a/b'])('refuses PublicKeyId=%s with 400 InvalidHeaderValue and stores nothing', async (publicKeyId) => {
    const unsigned = new MemoryStore();
    const off = await testApp({ signature: 'off' }, { store: unsigned });
    try {
      const res = await off.raw({
        method: 'POST',
        url: '/v2/checkoutSessions',
        headers: { 'content-type': 'application/json', 'x-amz-pay-idempotency-key': 'unsigned-1', authorization: `AMZN-PAY-RSASSA-PSS-V2 PublicKeyId=${publicKeyId}, SignedHeaders=x-amz-pay-date;x-amz-pay-host, Signature=x` },
        payload: JSON.stringify(readySessionBody()),
      });
      expectRefused(res, 'InvalidHeaderValue');
      expect(await unsigned.namespaces()).toEqual([]);
    } finally {
      await off.close();
    }
  });
});
