import { generateKeyPairSync } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readySessionBody, testApp, type TestApp } from '../helpers/testApp.js';

let t: TestApp;
beforeAll(async () => {
  t = await testApp();
});
afterAll(async () => {
  await t.close();
});

const sessions = async (ns = 'AMZNPAYMOCKDEMO000000001') => (await t.app.mock.store.readAll(ns, 'checkoutSessions')).length;

describe('idempotency keys on POST', () => {
  it('replays the first answer byte for byte for the same key and request, creating one session', async () => {
    const before = await sessions();
    const body = readySessionBody();
    const first = await t.call('POST', '/v2/checkoutSessions', body, { idempotencyKey: 'same-key-1' });
    const again = await t.call('POST', '/v2/checkoutSessions', body, { idempotencyKey: 'same-key-1' });
    expect(first.status).toBe(201);
    expect(again.status).toBe(201);
    expect(again.body).toEqual(first.body);
    expect(await sessions()).toBe(before + 1);
  });

  it('treats /sandbox/v2 and a trailing slash as the same request', async () => {
    const body = readySessionBody();
    const first = await t.call('POST', '/v2/checkoutSessions', body, { idempotencyKey: 'same-key-2' });
    const again = await t.call('POST', '/sandbox/v2/checkoutSessions/', body, { idempotencyKey: 'same-key-2' });
    expect(again.body.checkoutSessionId).toBe(first.body.checkoutSessionId);
  });

  it('answers a reused key with a different body with 400 DuplicateIdempotencyKey', async () => {
    await t.call('POST', '/v2/checkoutSessions', readySessionBody(), { idempotencyKey: 'reused-key' });
    const res = await t.call('POST', '/v2/checkoutSessions', readySessionBody({ supplementaryData: 'changed' }), { idempotencyKey: 'reused-key' });
    expect(res.status).toBe(400);
    expect(res.body.reasonCode).toBe('DuplicateIdempotencyKey');
  });

  it.each([
    ['33 characters', 'k'.repeat(33)],
    ['a dot', 'order.1'],
    ['a space', 'order 1'],
  ])('rejects a key with %s with 400 InvalidHeaderValue', async (_label, key) => {
    const before = await sessions();
    const res = await t.call('POST', '/v2/checkoutSessions', readySessionBody(), { idempotencyKey: key });
    expect(res.status).toBe(400);
    expect(res.body.reasonCode).toBe('InvalidHeaderValue');
    expect(await sessions()).toBe(before);
  });

  it('requires a key on createCheckoutSession: 400 MissingHeader', async () => {
    const res = await t.call('POST', '/v2/checkoutSessions', readySessionBody(), { idempotencyKey: false });
    expect(res.status).toBe(400);
    expect(res.body.reasonCode).toBe('MissingHeader');
    expect(res.body.message).toContain('x-amz-pay-idempotency-key');
  });

  it('lets createCheckoutSession go without a key when configured optional', async () => {
    const lenient = await testApp({ idempotencyKey: 'optional' });
    try {
      expect((await lenient.call('POST', '/v2/checkoutSessions', readySessionBody(), { idempotencyKey: false })).status).toBe(201);
    } finally {
      await lenient.close();
    }
  });

  it('does not require a key on complete, and replays a completion sent again with its key', async () => {
    const id = (await t.call('POST', '/v2/checkoutSessions', readySessionBody())).body.checkoutSessionId;
    const body = { chargeAmount: { amount: '50.00', currencyCode: 'USD' } };
    const first = await t.call('POST', `/v2/checkoutSessions/${id}/complete`, body, { idempotencyKey: 'complete-1' });
    const replay = await t.call('POST', `/v2/checkoutSessions/${id}/complete`, body, { idempotencyKey: 'complete-1' });
    expect(replay.status).toBe(200);
    expect(replay.body.chargeId).toBe(first.body.chargeId);
    const fresh = await t.call('POST', `/v2/checkoutSessions/${id}/complete`, body, { idempotencyKey: false });
    expect(fresh.status).toBe(422);
  });

  it('replays a business error for the same key, but not a transient 429, so a retry can succeed', async () => {
    await t.raw({ method: 'POST', url: '/__admin/scenarios', payload: { name: 'throttle-once', match: { operation: 'createCheckoutSession', merchantReferenceId: 'idem-throttle' }, outcome: { kind: 'error', reasonCode: 'TooManyRequests' }, times: 1 } });
    const body = readySessionBody({ merchantMetadata: { merchantReferenceId: 'idem-throttle' } });
    expect((await t.call('POST', '/v2/checkoutSessions', body, { idempotencyKey: 'retry-1' })).status).toBe(429);
    expect((await t.call('POST', '/v2/checkoutSessions', body, { idempotencyKey: 'retry-1' })).status).toBe(201);

    const bad = readySessionBody({ paymentDetails: { paymentIntent: 'Nope' } });
    expect((await t.call('POST', '/v2/checkoutSessions', bad, { idempotencyKey: 'bad-1' })).status).toBe(400);
    expect((await t.call('POST', '/v2/checkoutSessions', bad, { idempotencyKey: 'bad-1' })).body.reasonCode).toBe('InvalidParameterValue');
  });

  it('runs 25 concurrent requests with one key once: one session, 25 identical answers', async () => {
    // A slow operation (scripted delay) leaves room for the requests to overlap.
    await t.raw({ method: 'POST', url: '/__admin/scenarios', payload: { name: 'slow-create', match: { operation: 'createCheckoutSession', merchantReferenceId: 'idem-concurrent' }, outcome: { kind: 'normal' }, delayMs: 50 } });
    const before = await sessions();
    const body = readySessionBody({ merchantMetadata: { merchantReferenceId: 'idem-concurrent' } });
    const answers = await Promise.all(Array.from({ length: 25 }, () => t.call('POST', '/v2/checkoutSessions', body, { idempotencyKey: 'concurrent-1' })));
    expect(new Set(answers.map((a) => a.body.checkoutSessionId)).size).toBe(1);
    expect(answers.every((a) => a.status === 201)).toBe(true);
    expect(await sessions()).toBe(before + 1);
  });

  it('scopes keys per region: a key first used in EU does not replay the EU answer to an NA call', async () => {
    const body = readySessionBody();
    const eu = await t.call('POST', '/v2/checkoutSessions', body, { idempotencyKey: 'region-key', region: 'eu' });
    expect(eu.status).toBe(201);
    const na = await t.call('POST', '/v2/checkoutSessions', body, { idempotencyKey: 'region-key', region: 'na' });
    expect(na.status).toBe(201);
    expect(na.body.checkoutSessionId).not.toBe(eu.body.checkoutSessionId);
    // Each answer names an object its own region can read.
    expect((await t.call('GET', `/v2/checkoutSessions/${na.body.checkoutSessionId}`, undefined, { region: 'na' })).status).toBe(200);
    expect((await t.call('GET', `/v2/checkoutSessions/${eu.body.checkoutSessionId}`, undefined, { region: 'eu' })).status).toBe(200);
    // Within a region the key still replays.
    const again = await t.call('POST', '/v2/checkoutSessions', body, { idempotencyKey: 'region-key', region: 'eu' });
    expect(again.body).toEqual(eu.body);
  });

  it('scopes keys per merchant', async () => {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048, privateKeyEncoding: { type: 'pkcs8', format: 'pem' }, publicKeyEncoding: { type: 'spki', format: 'pem' } });
    t.app.mock.keys.add('SANDBOX-OTHERMERCHANT00000001', publicKey);
    const body = readySessionBody();
    const mine = await t.call('POST', '/v2/checkoutSessions', body, { idempotencyKey: 'shared-key' });
    const { signRequest } = await import('../../server/signing/signRequest.js');
    const text = JSON.stringify(body);
    const signed = signRequest({ method: 'POST', url: 'https://127.0.0.1:8443/v2/checkoutSessions', body: text, privateKey, publicKeyId: 'SANDBOX-OTHERMERCHANT00000001', headers: { 'x-amz-pay-idempotency-key': 'shared-key' } });
    const theirs = await t.raw({ method: 'POST', url: '/v2/checkoutSessions', headers: signed.headers, payload: text });
    expect(theirs.status).toBe(201);
    expect(theirs.body.checkoutSessionId).not.toBe(mine.body.checkoutSessionId);
    expect(await sessions('OTHERMERCHANT00000001')).toBe(1);
  });
});
