import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { AmazonPayError } from '../../server/domain/errors.js';
import { verifyRequest } from '../../server/signing/index.js';
import { demoRegistry, DEMO_PRIVATE_KEY, verifiers } from './helpers.js';

// The official SDK is CommonJS.
const require = createRequire(import.meta.url);
const { WebStoreClient } = require('@amazonpay/amazon-pay-api-sdk-nodejs') as {
  WebStoreClient: new (config: Record<string, unknown>) => { getSignedHeaders(options: SdkOptions): Record<string, string> };
};

interface SdkOptions {
  method: string;
  urlFragment: string;
  payload?: unknown;
  headers?: Record<string, string>;
  queryParams?: Record<string, string>;
}

const keys = demoRegistry();
const savedTlsSetting = process.env.NODE_TLS_REJECT_UNAUTHORIZED;
// The SDK sets NODE_TLS_REJECT_UNAUTHORIZED=0 process-wide whenever overrideServiceUrl is used.
afterEach(() => {
  if (savedTlsSetting === undefined) delete process.env.NODE_TLS_REJECT_UNAUTHORIZED;
  else process.env.NODE_TLS_REJECT_UNAUTHORIZED = savedTlsSetting;
});

/** Signs with the real SDK and returns what the SDK would put on the wire. */
function sdkSign(config: { publicKeyId: string; algorithm?: string; sandbox?: boolean }, options: SdkOptions) {
  const client = new WebStoreClient({ privateKey: DEMO_PRIVATE_KEY, region: 'us', overrideServiceUrl: '127.0.0.1:8443', ...config });
  const headers = client.getSignedHeaders(options); // prefixes options.urlFragment with v2/, sandbox/v2/ or live/v2/
  // The SDK's own query builder: keys sorted, values through encodeURIComponent (which leaves !'()* alone).
  const query = options.queryParams ? Object.keys(options.queryParams).sort().map((k) => `${k}=${encodeURIComponent(options.queryParams![k]!)}`).join('&') : '';
  const body = options.payload === undefined ? '' : String(options.payload);
  return { path: `/${options.urlFragment}`, query, headers, body };
}

/** Node's IncomingMessage lower-cases header names. */
const incoming = (headers: Record<string, string>) => Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));

const keyForms = [
  { publicKeyId: 'SANDBOX-AMZNPAYMOCKDEMO000000001', path: '/v2/checkoutSessions', env: 'sandbox' },
  { publicKeyId: 'LIVE-AMZNPAYMOCKDEMO000000001', path: '/v2/checkoutSessions', env: 'live' },
  { publicKeyId: 'AMZNPAYMOCKDEMO000000001', sandbox: true, path: '/sandbox/v2/checkoutSessions', env: null },
  { publicKeyId: 'AMZNPAYMOCKDEMO000000001', sandbox: false, path: '/live/v2/checkoutSessions', env: null },
] as const;
const algorithms = ['AMZN-PAY-RSASSA-PSS', 'AMZN-PAY-RSASSA-PSS-V2'] as const;

describe.each(verifiers)('requests signed by the official Node SDK, %s verifier', (_name, verifier) => {
  const deps = { keys, verifier, wallTime: () => Date.now(), skewSeconds: 900 };

  describe.each(algorithms)('%s', (algorithm) => {
    it.each(keyForms)('verify for key $publicKeyId (sandbox: $sandbox) on $path', async (form) => {
      const { env, path, ...config } = form;
      const signed = sdkSign(
        { ...config, algorithm },
        {
          method: 'POST',
          urlFragment: 'checkoutSessions',
          payload: { storeId: 'amzn1.application-oa2-client.0123456789abcdef', webCheckoutDetails: { checkoutReviewReturnUrl: 'https://example.com/review?a=1&b=ü' } },
          headers: { 'x-amz-pay-idempotency-key': 'c2d6a7d0e1f24b7d8a3b9c4d5e6f7a8b' },
        },
      );
      expect(signed.path).toBe(path);
      const caller = await verifyRequest({ method: 'POST', path: signed.path, query: '', headers: incoming(signed.headers), body: Buffer.from(signed.body) }, deps);
      expect(caller).toMatchObject({ publicKeyId: form.publicKeyId, algorithm, keyEnvironment: env });
    });

    it('verify with mixed-case caller header names (the SDK keeps their casing in SignedHeaders)', async () => {
      const signed = sdkSign(
        { publicKeyId: 'SANDBOX-AMZNPAYMOCKDEMO000000001', algorithm },
        { method: 'POST', urlFragment: 'charges', payload: '{"chargePermissionId":"S01-0000000-0000000"}', headers: { 'X-Amz-Pay-Idempotency-Key': 'Key-1', 'X-Amz-Pay-Simulation-Code': 'SoftDeclined' } },
      );
      expect(signed.headers.authorization).toMatch(/SignedHeaders=\S*;X-Amz-Pay-Idempotency-Key;\S*;X-Amz-Pay-Simulation-Code,/);
      const caller = await verifyRequest({ method: 'POST', path: signed.path, query: '', headers: incoming(signed.headers), body: Buffer.from(signed.body) }, deps);
      expect(caller.variant).toEqual({ query: 'rfc3986', headerValues: 'trim' });
    });

    it("verify a query with characters Node leaves unescaped (!'()*)", async () => {
      const queryParams = { pageSize: '10', filter: "it's (a)*!", nextToken: 'a b+c/d' };
      const signed = sdkSign({ publicKeyId: 'LIVE-AMZNPAYMOCKDEMO000000001', algorithm }, { method: 'GET', urlFragment: 'reports', queryParams });
      expect(signed.query).toBe("filter=it's%20(a)*!&nextToken=a%20b%2Bc%2Fd&pageSize=10");
      const caller = await verifyRequest({ method: 'GET', path: signed.path, query: signed.query, headers: incoming(signed.headers), body: Buffer.alloc(0) }, deps);
      expect(caller.variant.query).toBe('raw');
    });

    it('reject the same SDK request once its body is changed', async () => {
      const signed = sdkSign({ publicKeyId: 'SANDBOX-AMZNPAYMOCKDEMO000000001', algorithm }, { method: 'POST', urlFragment: 'checkoutSessions', payload: { a: 1 } });
      await expect(verifyRequest({ method: 'POST', path: signed.path, query: '', headers: incoming(signed.headers), body: Buffer.from('{"a":2}') }, deps)).rejects.toThrow(AmazonPayError);
    });
  });

  describe('through a real HTTP socket', () => {
    let server: Server;
    let port: number;
    beforeAll(async () => {
      server = createServer((req, res) => {
        const chunks: Buffer[] = [];
        req.on('data', (c: Buffer) => chunks.push(c));
        req.on('end', async () => {
          const url = req.url ?? '/';
          const q = url.indexOf('?');
          try {
            const caller = await verifyRequest(
              { method: req.method ?? 'GET', path: q === -1 ? url : url.slice(0, q), query: q === -1 ? '' : url.slice(q + 1), headers: req.headers, body: Buffer.concat(chunks) },
              deps,
            );
            res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(caller));
          } catch (err) {
            const e = err as AmazonPayError;
            res.writeHead(e.status ?? 500, { 'content-type': 'application/json' }).end(JSON.stringify({ reasonCode: e.reasonCode, message: e.message }));
          }
        });
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      port = (server.address() as AddressInfo).port;
    });
    afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

    it.each(algorithms)('verifies SDK-signed requests as they arrive over HTTP (%s)', async (algorithm) => {
      const signed = sdkSign(
        { publicKeyId: 'AMZNPAYMOCKDEMO000000001', sandbox: true, algorithm },
        { method: 'POST', urlFragment: 'checkoutSessions', payload: { note: 'naïve café ✓' }, headers: { 'X-Amz-Pay-Idempotency-Key': 'k-2' }, queryParams: { q: "(x)*!'" } },
      );
      const res = await fetch(`http://127.0.0.1:${port}${signed.path}?${signed.query}`, { method: 'POST', headers: signed.headers, body: signed.body });
      const answer = (await res.json()) as { publicKeyId?: string; message?: string; variant?: unknown };
      expect(answer.message).toBeUndefined();
      expect(res.status).toBe(200);
      expect(answer.publicKeyId).toBe('AMZNPAYMOCKDEMO000000001');
      // The SDK signed "(x)*!'" but fetch and axios (WHATWG URL) send the apostrophe as %27.
      expect(answer.variant).toEqual({ query: 'node', headerValues: 'trim' });
    });
  });
});
