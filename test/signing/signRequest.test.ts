import { describe, expect, it } from 'vitest';
import { parseAuthorization, signRequest, verifyRequest, type SignedRequest } from '../../server/signing/index.js';
import { curlCommand, shellQuote } from '../../scripts/lib/shell.js';
import { demoRegistry, DEMO_ID, DEMO_PRIVATE_KEY, verifiers } from './helpers.js';

const keys = demoRegistry();
const NOW = Date.UTC(2024, 5, 1, 12, 0, 0);

/** What the server sees when `signed` is sent as is. */
function received(method: string, signed: SignedRequest, body = '') {
  const url = new URL(signed.url);
  const headers = Object.fromEntries(Object.entries(signed.headers).map(([k, v]) => [k.toLowerCase(), v]));
  return { method, path: url.pathname, query: url.search.slice(1), headers, body: Buffer.from(body) };
}

describe.each(verifiers)('signRequest, verified with the %s verifier', (_name, verifier) => {
  const deps = { keys, verifier, wallTime: () => NOW, skewSeconds: 900 };

  it.each(['AMZN-PAY-RSASSA-PSS', 'AMZN-PAY-RSASSA-PSS-V2'] as const)('signs a POST the mock accepts on the first try (%s)', async (algorithm) => {
    const body = '{"storeId":"amzn1.application-oa2-client.0123456789abcdef"}';
    const signed = signRequest({ method: 'POST', url: 'https://127.0.0.1:8443/v2/checkoutSessions', body, privateKey: DEMO_PRIVATE_KEY, publicKeyId: DEMO_ID, algorithm, now: NOW });
    const caller = await verifyRequest(received('POST', signed, body), deps);
    expect(caller).toMatchObject({ publicKeyId: DEMO_ID, algorithm, variant: { query: 'rfc3986', headerValues: 'trim' } });
    expect(caller.canonicalRequest).toBe(signed.canonicalRequest);
  });

  it('writes the date like the Node SDK by default, or in the compact form', async () => {
    const iso = signRequest({ method: 'GET', url: 'https://127.0.0.1:8443/v2/buyers/B1', privateKey: DEMO_PRIVATE_KEY, publicKeyId: DEMO_ID, now: NOW });
    expect(iso.headers['x-amz-pay-date']).toBe('2024-06-01T12:00:00Z');
    const compact = signRequest({ method: 'GET', url: 'https://127.0.0.1:8443/v2/buyers/B1', privateKey: DEMO_PRIVATE_KEY, publicKeyId: DEMO_ID, now: NOW, dateFormat: 'compact' });
    expect(compact.headers['x-amz-pay-date']).toBe('20240601T120000Z');
    expect((await verifyRequest(received('GET', compact), deps)).publicKeyId).toBe(DEMO_ID);
  });

  it('signs every header it sends, keeping the caller casing, and sets host and region', async () => {
    const signed = signRequest({
      method: 'POST',
      url: 'https://127.0.0.1:8443/v2/charges',
      body: '{}',
      headers: { 'X-Amz-Pay-Idempotency-Key': 'key-1', 'Content-Type': 'application/json' },
      privateKey: DEMO_PRIVATE_KEY,
      publicKeyId: DEMO_ID,
      region: 'eu',
      now: NOW,
    });
    const auth = parseAuthorization(signed.headers.authorization);
    expect(auth.signedHeaders).toBe('accept;Content-Type;x-amz-pay-date;x-amz-pay-host;X-Amz-Pay-Idempotency-Key;x-amz-pay-region');
    expect(Object.keys(signed.headers).filter((k) => k !== 'authorization').sort()).toEqual([...auth.signedHeaderNames].sort());
    expect(signed.headers['x-amz-pay-host']).toBe('127.0.0.1:8443');
    expect(signed.headers['x-amz-pay-region']).toBe('eu');
    expect((await verifyRequest(received('POST', signed, '{}'), deps)).publicKeyId).toBe(DEMO_ID);
  });

  it('rewrites the query in canonical order and encoding, so what is sent is what was signed', async () => {
    const signed = signRequest({ method: 'GET', url: "https://127.0.0.1:8443/v2/reports?pageSize=10&filter=it's (a)&a=1", privateKey: DEMO_PRIVATE_KEY, publicKeyId: DEMO_ID, now: NOW });
    expect(new URL(signed.url).search).toBe('?a=1&filter=it%27s%20%28a%29&pageSize=10');
    expect((await verifyRequest(received('GET', signed), deps)).variant.query).toBe('rfc3986');
  });

  it('accepts a KeyObject and a Buffer body', async () => {
    const { createPrivateKey } = await import('node:crypto');
    const body = Buffer.from('{"note":"café"}');
    const signed = signRequest({ method: 'POST', url: 'https://127.0.0.1:8443/v2/checkoutSessions', body, privateKey: createPrivateKey(DEMO_PRIVATE_KEY), publicKeyId: DEMO_ID, now: NOW });
    expect((await verifyRequest({ ...received('POST', signed), body }, deps)).publicKeyId).toBe(DEMO_ID);
  });
});

describe('curlCommand (scripts/sign-request)', () => {
  it('quotes everything a shell would otherwise interpret', () => {
    expect(shellQuote('plain-word_1.0')).toBe('plain-word_1.0');
    expect(shellQuote("it's $HOME")).toBe(`'it'\\''s $HOME'`);
  });

  it('prints a curl command with -k, every header and the body verbatim', () => {
    const cmd = curlCommand({ method: 'POST', url: 'https://127.0.0.1:8443/v2/checkoutSessions', headers: { accept: 'application/json', 'x-empty': '' }, body: `{"a":"it's"}` });
    expect(cmd).toBe(
      [
        "curl -k -sS -X POST https://127.0.0.1:8443/v2/checkoutSessions",
        "-H 'accept: application/json'",
        "-H 'x-empty;'",
        `--data-raw '{"a":"it'\\''s"}'`,
      ].join(' \\\n  '),
    );
  });

  it('sends no body option for a GET', () => {
    expect(curlCommand({ method: 'GET', url: 'https://h/v2/buyers/B', headers: {} })).toBe('curl -k -sS -X GET https://h/v2/buyers/B');
  });
});
