import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { packagePath } from '../../server/config.js';
import { testApp, type TestApp } from '../helpers/testApp.js';

// The dashboard's sign-in form is open too: it is where a browser gets the token's cookie.
const OPEN = new Set(['/__admin/health', '/__admin/ipn/signing-cert.pem', '/__admin/ipn/unsubscribe', '/__admin/ui/login', '/__admin/ca.pem']);

// Every control route the document lists (a separate test keeps it equal to what is served).
const doc = parseYaml(readFileSync(packagePath('openapi.yaml'), 'utf8')) as { paths: Record<string, Record<string, unknown>> };
const controlRoutes = Object.entries(doc.paths)
  .filter(([path]) => path.startsWith('/__admin'))
  .flatMap(([path, ops]) =>
    Object.keys(ops)
      .filter((m) => ['get', 'post', 'delete', 'patch', 'put'].includes(m))
      .map((method) => ({ method: method.toUpperCase() as 'GET', path: path.replace(/\{[^}]+\}/g, 'x') })),
  );

/** The same path written with percent-escapes the router decodes back to it. */
function encodings(path: string): string[] {
  const rest = path.slice('/__admin'.length);
  const last = rest.length > 1 ? `${rest.slice(0, -1)}%${rest.charCodeAt(rest.length - 1).toString(16).toUpperCase()}` : rest;
  return [
    path,
    `/%5F%5Fadmin${rest}`,
    `/%5f%5fadmin${rest}`,
    `/__%61dmin${rest}`,
    `/__admi%6E${rest}`,
    `/_%5F%61%64%6D%69%6E${rest}`,
    `/__admin${last}`,
    `${path}/`,
  ];
}

describe('the control-API token is checked on the route that matched', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await testApp({ adminToken: 's3cret' });
  });
  afterAll(() => t.close());

  it('covers every control route the document lists', () => {
    expect(controlRoutes.length).toBeGreaterThan(15);
  });

  it('refuses every protected control route without the token, however its path is percent-encoded', async () => {
    const leaks: string[] = [];
    for (const { method, path } of controlRoutes.filter((r) => !OPEN.has(r.path))) {
      for (const url of encodings(path)) {
        const denied = await t.raw({ method, url, headers: { 'content-type': 'application/json' }, payload: method === 'GET' ? undefined : '{}' });
        if (denied.status !== 401 || denied.body.reasonCode !== 'UnauthorizedAccess' || !denied.headers['x-amz-pay-request-id']) leaks.push(`${method} ${url} -> ${denied.status}`);
      }
    }
    expect(leaks).toEqual([]);
  });

  it('lets the same encoded paths through with the token (so the refusals above were on the real routes)', async () => {
    for (const url of encodings('/__admin/clock')) {
      const res = await t.raw({ method: 'GET', url, headers: { authorization: 'Bearer s3cret' } });
      expect(res.status, url).toBe(200);
      expect(res.body.frozen, url).toBeTypeOf('boolean');
    }
  });

  it('keeps the open routes open under any encoding', async () => {
    for (const url of encodings('/__admin/health')) {
      expect((await t.raw({ method: 'GET', url })).status, url).toBe(200);
    }
  });

  it('does not let an encoded reset through (the reported bypass)', async () => {
    const res = await t.raw({ method: 'POST', url: '/%5F%5Fadmin/reset' });
    expect(res.status).toBe(401);
  });
});

describe('control calls a browser sends from another site', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await testApp();
  });
  afterAll(() => t.close());

  // What a page elsewhere can send to a mock on loopback without any CORS permission: a "simple"
  // request (text/plain body, no custom header), which the browser sends whatever the answer.
  const foreign = [
    { 'sec-fetch-site': 'cross-site', 'sec-fetch-mode': 'no-cors' },
    { 'sec-fetch-site': 'same-site' },
    { origin: 'https://evil.example', host: '127.0.0.1:8080' },
    { origin: 'null', host: '127.0.0.1:8080' },
  ];

  it('refuses them with 401 UnauthorizedAccess on every state-changing control route, changing nothing', async () => {
    const created = await t.call('POST', '/v2/checkoutSessions', { storeId: 'amzn1.application-oa2-client.8b5e45312b5248b69eeaStoreId01', webCheckoutDetails: { checkoutReviewReturnUrl: 'https://merchant.example/review' } });
    expect(created.status).toBe(201);
    const leaks: string[] = [];
    for (const headers of foreign) {
      for (const { method, path } of controlRoutes.filter((r) => r.method !== 'GET' && !r.path.startsWith('/__admin/ui'))) {
        const res = await t.raw({ method, url: path, headers: { ...headers, 'content-type': 'text/plain' }, payload: '{}' });
        if (res.status !== 401 || res.body.reasonCode !== 'UnauthorizedAccess' || !res.headers['x-amz-pay-request-id']) leaks.push(`${JSON.stringify(headers)} ${method} ${path} -> ${res.status}`);
      }
      const moved = await t.raw({ method: 'POST', url: '/__admin/clock', headers: { ...headers, 'content-type': 'text/plain' }, payload: '{"advanceSeconds":86400}' });
      expect(moved.status).toBe(401);
    }
    expect(leaks).toEqual([]);
    expect((await t.call('GET', `/v2/checkoutSessions/${created.body.checkoutSessionId}`)).status).toBe(200);
    expect((await t.raw({ method: 'GET', url: '/__admin/clock' })).body.offsetSeconds).toBe(0);
  });

  it('still takes them from test code (no Origin) and from the same origin', async () => {
    expect((await t.raw({ method: 'POST', url: '/__admin/clock', payload: { advanceSeconds: 60 } })).status).toBe(200);
    expect((await t.raw({ method: 'POST', url: '/__admin/clock', headers: { origin: 'http://127.0.0.1:8080', host: '127.0.0.1:8080', 'sec-fetch-site': 'same-origin' }, payload: { advanceSeconds: 60 } })).status).toBe(200);
    expect((await t.raw({ method: 'GET', url: '/__admin/clock', headers: { 'sec-fetch-site': 'cross-site' } })).status).toBe(200);
    await t.raw({ method: 'POST', url: '/__admin/reset' });
  });
});
