import { generateKeyPairSync } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signRequest } from '../../server/signing/signRequest.js';
import { readySessionBody, testApp, type TestApp } from '../helpers/testApp.js';

let t: TestApp;
beforeAll(async () => {
  t = await testApp({ buyerApproval: 'manual' });
});
afterAll(async () => {
  await t.close();
});

describe('clock', () => {
  it('advances, freezes, sets and resets the server clock', async () => {
    const before = (await t.raw({ method: 'GET', url: '/__admin/clock' })).body;
    expect(before).toMatchObject({ offsetSeconds: 0, frozen: false });
    const frozen = (await t.raw({ method: 'POST', url: '/__admin/clock', payload: { frozen: true, set: '2030-01-01T00:00:00Z' } })).body;
    expect(frozen).toEqual({ now: '2030-01-01T00:00:00.000Z', amazonTimestamp: '20300101T000000Z', offsetSeconds: expect.any(Number), frozen: true });
    const moved = (await t.raw({ method: 'POST', url: '/__admin/clock', payload: { advanceSeconds: 90 } })).body;
    expect(moved.now).toBe('2030-01-01T00:01:30.000Z');
    await t.raw({ method: 'POST', url: '/__admin/reset' });
    expect((await t.raw({ method: 'GET', url: '/__admin/clock' })).body).toMatchObject({ offsetSeconds: 0, frozen: false });
  });

  it.each([
    [{ advanceSeconds: 'soon' }, 'InvalidParameterValue'],
    [{ set: 'not a date' }, 'InvalidParameterValue'],
    [{ frozen: 'yes' }, 'InvalidParameterValue'],
    [{ rewind: 1 }, 'UnrecognizedField'],
  ])('rejects %j and leaves the clock alone', async (payload, code) => {
    const res = await t.raw({ method: 'POST', url: '/__admin/clock', payload });
    expect(res.status).toBe(400);
    expect(res.body.reasonCode).toBe(code);
    expect((await t.raw({ method: 'GET', url: '/__admin/clock' })).body).toMatchObject({ offsetSeconds: 0, frozen: false });
  });

  it('expires sessions as soon as the clock passes 24 hours, without anyone polling', async () => {
    const id = (await t.call('POST', '/v2/checkoutSessions', readySessionBody())).body.checkoutSessionId;
    await t.raw({ method: 'POST', url: '/__admin/clock', payload: { advanceSeconds: 86_400 } });
    const stored = (await t.app.mock.store.read<any>('AMZNPAYMOCKDEMO000000001', 'checkoutSessions', id));
    expect(stored.session.statusDetails).toMatchObject({ state: 'Canceled', reasonCode: 'Expired' });
    await t.raw({ method: 'POST', url: '/__admin/reset' });
  });
});

describe('buyer approval', () => {
  it('attaches the buyer, addresses and the card\'s payment descriptor, which clears BuyerNotAssociated', async () => {
    const id = (await t.call('POST', '/v2/checkoutSessions', readySessionBody())).body.checkoutSessionId;
    const res = await t.raw({
      method: 'POST',
      url: `/__admin/checkoutSessions/${id}/approve`,
      payload: { card: '4444', buyer: { name: 'Ada Lovelace', email: 'ada@example.com' }, shippingAddress: { city: 'London', countryCode: 'GB' } },
    });
    expect(res.status).toBe(200);
    expect(res.body.buyer).toMatchObject({ name: 'Ada Lovelace', email: 'ada@example.com', buyerId: expect.stringMatching(/^amzn1\.account\./) });
    expect(res.body.shippingAddress).toMatchObject({ city: 'London', countryCode: 'GB' });
    expect(Object.keys(res.body.shippingAddress)).toHaveLength(11);
    expect(res.body.paymentPreferences).toEqual([{ paymentDescriptor: 'MasterCard ****4444 (Amazon Pay)' }]);
    expect(res.body.constraints).toEqual([]);
  });

  it('rejects an unknown card and changes nothing', async () => {
    const id = (await t.call('POST', '/v2/checkoutSessions', readySessionBody())).body.checkoutSessionId;
    const res = await t.raw({ method: 'POST', url: `/__admin/checkoutSessions/${id}/approve`, payload: { card: '1234' } });
    expect(res.status).toBe(400);
    expect(res.body.reasonCode).toBe('InvalidParameterValue');
    expect((await t.call('GET', `/v2/checkoutSessions/${id}`)).body.buyer).toBeNull();
  });

  it('answers 404 for an unknown session', async () => {
    const res = await t.raw({ method: 'POST', url: '/__admin/checkoutSessions/nope/approve', payload: {} });
    expect(res.status).toBe(404);
    expect(res.body.reasonCode).toBe('ResourceNotFound');
  });
});

describe('public keys', () => {
  it('registers a key at run time, which then verifies requests signed with it', async () => {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048, privateKeyEncoding: { type: 'pkcs8', format: 'pem' }, publicKeyEncoding: { type: 'spki', format: 'pem' } });
    const publicKeyId = 'SANDBOX-RUNTIMEKEY000000000001';
    const body = JSON.stringify(readySessionBody());
    const send = () => {
      const signed = signRequest({ method: 'POST', url: 'https://127.0.0.1:8443/v2/checkoutSessions', body, privateKey, publicKeyId, headers: { 'x-amz-pay-idempotency-key': `rt-${Math.random().toString(36).slice(2)}` } });
      return t.raw({ method: 'POST', url: '/v2/checkoutSessions', headers: signed.headers, payload: body });
    };
    expect((await send()).status).toBe(401);
    const registered = await t.raw({ method: 'POST', url: '/__admin/publicKeys', payload: { publicKeyId, publicKey } });
    expect(registered.status).toBe(201);
    expect(registered.body.publicKeyId).toBe(publicKeyId);
    expect((await send()).status).toBe(201);
    const listed = (await t.raw({ method: 'GET', url: '/__admin/publicKeys' })).body.publicKeys.map((k: any) => k.publicKeyId);
    expect(listed).toContain(publicKeyId);
  });

  it('rejects a PEM that is not an RSA public key', async () => {
    const res = await t.raw({ method: 'POST', url: '/__admin/publicKeys', payload: { publicKeyId: 'SANDBOX-BAD', publicKey: 'hello' } });
    expect(res.status).toBe(400);
    expect(res.body.reasonCode).toBe('InvalidParameterValue');
  });
});

describe('reset', () => {
  it('clears one merchant and leaves the others', async () => {
    const store = t.app.mock.store;
    await store.transact('OTHER', () => ({ puts: [{ collection: 'checkoutSessions', id: 'x', value: { keep: true } }], result: undefined }));
    await t.call('POST', '/v2/checkoutSessions', readySessionBody());
    const res = await t.raw({ method: 'POST', url: '/__admin/reset?merchant=SANDBOX-AMZNPAYMOCKDEMO000000001' });
    expect(res.body).toEqual({ reset: 'AMZNPAYMOCKDEMO000000001' });
    expect(await store.readAll('AMZNPAYMOCKDEMO000000001', 'checkoutSessions')).toHaveLength(0);
    expect(await store.read('OTHER', 'checkoutSessions', 'x')).toEqual({ keep: true });
    await t.raw({ method: 'POST', url: '/__admin/reset' });
    expect(await store.read('OTHER', 'checkoutSessions', 'x')).toBeUndefined();
  });
});

describe('control API input', () => {
  it('refuses an empty merchant parameter instead of resetting everyone', async () => {
    await t.call('POST', '/v2/checkoutSessions', readySessionBody());
    const res = await t.raw({ method: 'POST', url: '/__admin/reset?merchant=' });
    expect(res.status).toBe(400);
    expect((await t.app.mock.store.readAll('AMZNPAYMOCKDEMO000000001', 'checkoutSessions')).length).toBeGreaterThan(0);
  });

  it('refuses a clock time without a zone', async () => {
    const res = await t.raw({ method: 'POST', url: '/__admin/clock', payload: { set: 'March 1, 2030 10:00' } });
    expect(res.status).toBe(400);
    expect((await t.raw({ method: 'POST', url: '/__admin/clock', payload: { frozen: true, set: '2030-03-01T10:00:00+02:00' } })).body.now).toBe('2030-03-01T08:00:00.000Z');
    await t.raw({ method: 'POST', url: '/__admin/reset' });
  });

  it('refuses a scenario document with keys beside "rules"', async () => {
    const res = await t.raw({ method: 'POST', url: '/__admin/scenarios', payload: { rules: [], extra: { name: 'x' } } });
    expect(res.status).toBe(400);
    expect(res.body.reasonCode).toBe('UnrecognizedField');
  });

  it('answers HEAD on an emulated GET with 405 without running it', async () => {
    const res = await t.raw({ method: 'HEAD', url: '/v2/checkoutSessions/abc' });
    expect(res.status).toBe(405);
    expect(res.headers.allow).toContain('GET');
  });
});

describe('more control API input', () => {
  it('refuses a region given twice when issuing a buyer token', async () => {
    const res = await t.raw({ method: 'POST', url: '/__admin/buyers?merchant=SANDBOX-AMZNPAYMOCKDEMO000000001&region=eu&region=jp', payload: {} });
    expect(res.status).toBe(400);
    expect(res.body.reasonCode).toBe('InvalidParameterValue');
  });

  it('refuses a wildcard rule that would make every operation pending', async () => {
    const res = await t.raw({ method: 'POST', url: '/__admin/scenarios', payload: { name: 'x', match: { operation: '*' }, outcome: { kind: 'pending' } } });
    expect(res.status).toBe(400);
    expect(res.body.message).toContain('finalizeCheckoutSession');
  });
});

describe('long path parameters', () => {
  it('answers a 300-character id in Amazon\'s shape (404), not with the router\'s own 414', async () => {
    const res = await t.call('GET', `/v2/charges/${'C'.repeat(300)}`);
    expect(res.status).toBe(404);
    expect(res.body.reasonCode).toBe('ResourceNotFound');
    expect(res.headers['x-amz-pay-request-id']).toBeTruthy();
  });
});
