import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoKeyIds, demoPrivateKey } from '../helpers/demoKeys.js';
import { readySessionBody, testApp, type TestApp } from '../helpers/testApp.js';
import { signRequest } from '../../server/signing/signRequest.js';

let t: TestApp;
beforeAll(async () => {
  t = await testApp({ bodyLimit: 4096 });
});
afterAll(async () => {
  await t.close();
});

const sessionCount = async () => (await t.app.mock.store.readAll('AMZNPAYMOCKDEMO000000001', 'checkoutSessions')).length;

/** Signs an arbitrary body text so only the body is wrong, not the signature. */
function signedRaw(method: string, path: string, body: string, extra: Record<string, string> = { 'x-amz-pay-idempotency-key': `raw-${Math.random().toString(36).slice(2)}` }) {
  const signed = signRequest({ method, url: `https://127.0.0.1:8443${path}`, body, privateKey: demoPrivateKey, publicKeyId: demoKeyIds.sandbox, headers: extra });
  return t.raw({ method: method as 'POST', url: path, headers: signed.headers, payload: body });
}

describe('bad input gets an Amazon-shaped answer and changes nothing', () => {
  it('answers malformed JSON with 400 InvalidRequestFormat', async () => {
    const before = await sessionCount();
    const res = await signedRaw('POST', '/v2/checkoutSessions', '{"storeId": ');
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ reasonCode: 'InvalidRequestFormat', message: expect.stringContaining('not valid JSON') });
    expect(res.headers['x-amz-pay-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(await sessionCount()).toBe(before);
  });

  it('answers a JSON array body with 400 InvalidRequestFormat', async () => {
    const res = await signedRaw('POST', '/v2/checkoutSessions', '[1,2]');
    expect(res.status).toBe(400);
    expect(res.body.reasonCode).toBe('InvalidRequestFormat');
  });

  it('answers an unknown top-level field with 400 UnrecognizedField naming it', async () => {
    const res = await t.call('POST', '/v2/checkoutSessions', { ...readySessionBody(), surprise: 1 });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ reasonCode: 'UnrecognizedField', message: "The field 'surprise' is invalid for this API." });
  });

  it('answers an unknown nested field with 400 UnrecognizedField naming the leaf field', async () => {
    const res = await t.call('POST', '/v2/checkoutSessions', readySessionBody({ paymentDetails: { paymentIntent: 'Authorize', colour: 'red' } }));
    expect(res.status).toBe(400);
    expect(res.body.message).toBe("The field 'colour' is invalid for this API.");
  });

  it('rejects checkoutMode on update naming the leaf field, as the real API does ("Manage errors")', async () => {
    const id = (await t.call('POST', '/v2/checkoutSessions', readySessionBody())).body.checkoutSessionId;
    const res = await t.call('PATCH', `/v2/checkoutSessions/${id}`, { webCheckoutDetails: { checkoutMode: 'ProcessOrder' } });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ reasonCode: 'UnrecognizedField', message: "The field 'checkoutMode' is invalid for this API." });
  });

  it.each([
    ['a number where a string belongs', { storeId: 42 }, "'storeId'"],
    ['an unknown paymentIntent', { paymentDetails: { paymentIntent: 'Steal' } }, "'paymentDetails.paymentIntent'"],
    ['three decimals in USD', { paymentDetails: { chargeAmount: { amount: '1.001', currencyCode: 'USD' } } }, "'paymentDetails.chargeAmount.amount'"],
    ['a negative amount', { paymentDetails: { chargeAmount: { amount: -5, currencyCode: 'USD' } } }, "'paymentDetails.chargeAmount.amount'"],
    ['an unknown currency', { paymentDetails: { chargeAmount: { amount: '5', currencyCode: 'XXX' } } }, "'paymentDetails.chargeAmount.currencyCode'"],
    ['an amount above 150,000', { paymentDetails: { chargeAmount: { amount: '150000.01', currencyCode: 'USD' } } }, "'paymentDetails.chargeAmount.amount'"],
    ['a 17-character softDescriptor', { paymentDetails: { softDescriptor: 'X'.repeat(17) } }, "'paymentDetails.softDescriptor'"],
    ['a 51-character merchantStoreName', { merchantMetadata: { merchantStoreName: 'S'.repeat(51) } }, "'merchantMetadata.merchantStoreName'"],
    ['a boolean as string', { paymentDetails: { canHandlePendingAuthorization: 'yes' } }, "'paymentDetails.canHandlePendingAuthorization'"],
  ])('answers %s with 400 InvalidParameterValue', async (_label, patch, field) => {
    const before = await sessionCount();
    const res = await t.call('POST', '/v2/checkoutSessions', readySessionBody(patch));
    expect(res.status).toBe(400);
    expect(res.body.reasonCode).toBe('InvalidParameterValue');
    expect(res.body.message).toContain(field);
    expect(await sessionCount()).toBe(before);
  });

  it('answers a missing storeId with 400 MissingParameterValue', async () => {
    const { storeId: _omit, ...body } = readySessionBody();
    const res = await t.call('POST', '/v2/checkoutSessions', body);
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ reasonCode: 'MissingParameterValue', message: "The parameter 'storeId' is required but was not provided." });
  });

  it('answers a non-USD amount from a US merchant with 400 CurrencyMismatch', async () => {
    const res = await t.call('POST', '/v2/checkoutSessions', readySessionBody({ paymentDetails: { chargeAmount: { amount: '5', currencyCode: 'EUR' } } }));
    expect(res.status).toBe(400);
    expect(res.body.reasonCode).toBe('CurrencyMismatch');
  });

  it('accepts EUR and GBP from an EU merchant (multi-currency)', async () => {
    const res = await t.call('POST', '/v2/checkoutSessions', readySessionBody({ paymentDetails: { chargeAmount: { amount: 5, currencyCode: 'GBP' } } }), { region: 'eu' });
    expect(res.status).toBe(201);
    expect(res.body.paymentDetails.presentmentCurrency).toBe('GBP');
    expect(res.body.paymentDetails.chargeAmount).toEqual({ amount: '5.00', currencyCode: 'GBP' });
  });

  it('answers a body over the limit with 413 RequestEntityTooLarge', async () => {
    const before = await sessionCount();
    const res = await signedRaw('POST', '/v2/checkoutSessions', JSON.stringify({ ...readySessionBody(), supplementaryData: 'x'.repeat(5000) }));
    expect(res.status).toBe(413);
    expect(res.body.reasonCode).toBe('RequestEntityTooLarge');
    expect(await sessionCount()).toBe(before);
  });
});

describe('headers', () => {
  it('answers a missing Authorization header with 400 MissingHeader', async () => {
    const res = await t.raw({ method: 'GET', url: '/v2/checkoutSessions/x', headers: { 'x-amz-pay-date': new Date().toISOString() } });
    expect(res.status).toBe(400);
    expect(res.body.reasonCode).toBe('MissingHeader');
  });

  it('answers a malformed Authorization header with 400 InvalidHeaderValue', async () => {
    const res = await t.raw({ method: 'GET', url: '/v2/checkoutSessions/x', headers: { authorization: 'Bearer abc' } });
    expect(res.status).toBe(400);
    expect(res.body.reasonCode).toBe('InvalidHeaderValue');
  });

  it('answers an x-amz-pay-date in the future with 400 InvalidHeaderValue in Amazon\'s wording', async () => {
    const future = Date.now() + 10 * 60_000;
    const signed = signRequest({ method: 'GET', url: 'https://127.0.0.1:8443/v2/checkoutSessions/x', privateKey: demoPrivateKey, publicKeyId: demoKeyIds.sandbox, now: future, dateFormat: 'compact' });
    const res = await t.raw({ method: 'GET', url: '/v2/checkoutSessions/x', headers: signed.headers });
    expect(res.status).toBe(400);
    expect(res.body.reasonCode).toBe('InvalidHeaderValue');
    expect(res.body.message).toMatch(/^The value \d{8}T\d{6}Z provided for x-amz-pay-date should not be in future$/);
  });

  it('answers a date older than the skew window with 400 InvalidHeaderValue', async () => {
    const signed = signRequest({ method: 'GET', url: 'https://127.0.0.1:8443/v2/checkoutSessions/x', privateKey: demoPrivateKey, publicKeyId: demoKeyIds.sandbox, now: Date.now() - 16 * 60_000 });
    const res = await t.raw({ method: 'GET', url: '/v2/checkoutSessions/x', headers: signed.headers });
    expect(res.status).toBe(400);
    expect(res.body.reasonCode).toBe('InvalidHeaderValue');
  });

  it('checks the date against real time, so moving the server clock does not break signatures', async () => {
    t.clock.advance(48 * 3600_000);
    try {
      const res = await t.call('POST', '/v2/checkoutSessions', readySessionBody());
      expect(res.status).toBe(201);
    } finally {
      t.clock.reset();
    }
  });

  it('answers an invalid x-amz-pay-region with 400 InvalidHeaderValue', async () => {
    const res = await t.call('POST', '/v2/checkoutSessions', readySessionBody(), { region: 'mars' });
    expect(res.status).toBe(400);
    expect(res.body.reasonCode).toBe('InvalidHeaderValue');
  });

  it.each(['us', 'NA', 'na'])('accepts region %s as North America', async (region) => {
    const res = await t.call('POST', '/v2/checkoutSessions', readySessionBody(), { region });
    expect(res.status).toBe(201);
  });

  it.each(['constructor', '__proto__'])('answers a SignedHeaders naming %s (which every object inherits) with 403, not 500', async (name) => {
    const signed = signRequest({ method: 'GET', url: 'https://127.0.0.1:8443/v2/checkoutSessions/abc', body: '', privateKey: demoPrivateKey, publicKeyId: demoKeyIds.sandbox });
    const authorization = signed.headers.authorization!.replace(/SignedHeaders=([^,]+)/, `SignedHeaders=$1;${name}`);
    const res = await t.raw({ method: 'GET', url: '/v2/checkoutSessions/abc', headers: { ...signed.headers, authorization } });
    expect(res.status).toBe(403);
    expect(res.body).toEqual({ reasonCode: 'InvalidRequestSignature', message: `Unable to verify signature: SignedHeaders lists '${name}', which the request does not carry.` });
  });

  it('answers a tampered body with 403 InvalidRequestSignature', async () => {
    const body = JSON.stringify(readySessionBody());
    const signed = signRequest({ method: 'POST', url: 'https://127.0.0.1:8443/v2/checkoutSessions', body, privateKey: demoPrivateKey, publicKeyId: demoKeyIds.sandbox, headers: { 'x-amz-pay-idempotency-key': 'tamper-1' } });
    const res = await t.raw({ method: 'POST', url: '/v2/checkoutSessions', headers: signed.headers, payload: body.replace('50.00', '5.00') });
    expect(res.status).toBe(403);
    expect(res.body.reasonCode).toBe('InvalidRequestSignature');
  });
});

describe('URL forms', () => {
  it('serves /v2, /sandbox/v2 and one trailing slash (as .NET sends it)', async () => {
    expect((await t.call('POST', '/v2/checkoutSessions/', readySessionBody())).status).toBe(201);
    expect((await t.call('POST', '/sandbox/v2/checkoutSessions', readySessionBody())).status).toBe(201);
    const id = (await t.call('POST', '/v2/checkoutSessions', readySessionBody())).body.checkoutSessionId;
    expect((await t.call('GET', `/v2/checkoutSessions/${id}/`)).status).toBe(200);
  });

  it('takes the environment from an unprefixed key\'s path segment', async () => {
    const live = await t.call('POST', '/live/v2/checkoutSessions', readySessionBody(), { publicKeyId: demoKeyIds.unprefixed });
    expect(live.status).toBe(201);
    expect(live.body.releaseEnvironment).toBe('Live');
    const sandbox = await t.call('POST', '/sandbox/v2/checkoutSessions', readySessionBody(), { publicKeyId: demoKeyIds.unprefixed });
    expect(sandbox.body.releaseEnvironment).toBe('Sandbox');
  });

  it('answers a sandbox key on a /live path with 400 InvalidRequest', async () => {
    const res = await t.call('POST', '/live/v2/checkoutSessions', readySessionBody());
    expect(res.status).toBe(400);
    expect(res.body.reasonCode).toBe('InvalidRequest');
  });

  it('answers an unprefixed key on bare /v2 with 400 InvalidRequest', async () => {
    const res = await t.call('POST', '/v2/checkoutSessions', readySessionBody(), { publicKeyId: demoKeyIds.unprefixed });
    expect(res.status).toBe(400);
    expect(res.body.message).toContain('/sandbox/v2');
  });

  it('answers another API version with 400 InvalidAPIVersion', async () => {
    const res = await t.call('POST', '/v1/checkoutSessions', readySessionBody());
    expect(res.status).toBe(400);
    expect(res.body.reasonCode).toBe('InvalidAPIVersion');
  });

  it('answers a wrong method on a served path with 405 RequestNotSupported', async () => {
    const res = await t.call('DELETE', '/v2/checkoutSessions');
    expect(res.status).toBe(405);
    expect(res.body.reasonCode).toBe('RequestNotSupported');
    expect(res.headers.allow).toBe('POST');
  });

  it('answers an unknown path with 404 ResourceNotFound', async () => {
    const res = await t.call('GET', '/v2/nothingHere');
    expect(res.status).toBe(404);
    expect(res.body.reasonCode).toBe('ResourceNotFound');
  });

  it('answers an unknown environment segment with 404', async () => {
    const res = await t.call('POST', '/staging/v2/checkoutSessions', readySessionBody(), { publicKeyId: demoKeyIds.unprefixed });
    expect(res.status).toBe(404);
  });
});

describe('environment policy "allow"', () => {
  it('lets an unprefixed key use bare /v2 as sandbox', async () => {
    const lenient = await testApp({ envConflict: 'allow' });
    try {
      const res = await lenient.call('POST', '/v2/checkoutSessions', readySessionBody(), { publicKeyId: demoKeyIds.unprefixed });
      expect(res.status).toBe(201);
      expect(res.body.releaseEnvironment).toBe('Sandbox');
    } finally {
      await lenient.close();
    }
  });
});
