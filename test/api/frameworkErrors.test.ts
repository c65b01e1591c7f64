import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp, type TestApp } from '../helpers/testApp.js';

let t: TestApp;
beforeAll(async () => {
  t = await testApp();
});
afterAll(() => t.close());

function expectAmazonShaped(res: { status: number; body: any; headers: Record<string, unknown> }, status: number, reasonCode: string) {
  expect(res.status).toBe(status);
  expect(Object.keys(res.body)).toEqual(['reasonCode', 'message']);
  expect(res.body.reasonCode).toBe(reasonCode);
  expect(res.headers['x-amz-pay-request-id']).toMatch(/^[0-9a-f-]{36}$/);
}

describe('errors the router raises before any route runs', () => {
  it.each(['/v2/checkoutSessions/%E0%A4%A', '/v2/checkoutSessions/%zz', '/__admin/checkoutSessions/%C0%AF/approve', '/v2/charges/%'])(
    'answers an invalid percent-escape (%s) with 400 InvalidRequest, not FST_ERR_BAD_URL',
    async (url) => {
      const res = await t.raw({ method: 'GET', url });
      expectAmazonShaped(res, 400, 'InvalidRequest');
      expect(res.body.message).toContain('percent-escape');
    },
  );

  it('answers an id over 2,048 characters with 404 ResourceNotFound, not FST_ERR_MAX_PARAM_LENGTH', async () => {
    const res = await t.raw({ method: 'GET', url: `/v2/checkoutSessions/${'a'.repeat(3000)}` });
    expectAmazonShaped(res, 404, 'ResourceNotFound');
  });

  it('keeps messages about unknown paths short, however long the path', async () => {
    const res = await t.raw({ method: 'GET', url: `/nothing/${'b'.repeat(20_000)}` });
    expectAmazonShaped(res, 404, 'ResourceNotFound');
    expect(res.body.message.length).toBeLessThan(300);
  });

  it('answers a buyer with an HTML page for a bad escape or an unknown method on a hosted page', async () => {
    const bad = await t.raw({ method: 'GET', url: '/checkout/signin?amazonCheckoutSessionId=x%' });
    expect(bad.status).toBeLessThan(500);
    const escaped = await t.raw({ method: 'GET', url: '/checkout/sign%zzin' });
    expect(escaped.status).toBe(400);
    expect(escaped.headers['content-type']).toMatch(/^text\/html/);
    const wrongMethod = await t.raw({ method: 'PUT', url: '/checkout/signin' });
    expect(wrongMethod.status).toBe(405);
    expect(wrongMethod.headers['content-type']).toMatch(/^text\/html/);
    const unknown = await t.raw({ method: 'GET', url: '/checkout/nowhere' });
    expect(unknown.status).toBe(404);
    expect(unknown.headers['content-type']).toMatch(/^text\/html/);
  });
});
