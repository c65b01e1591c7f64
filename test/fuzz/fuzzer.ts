import { Pool } from 'undici';
import { createSessionFields, updateSessionFields, completeSessionFields } from '../../server/domain/checkoutSession/sessionSchema.js';
import { createChargeFields, captureChargeFields } from '../../server/domain/charge/chargeSchema.js';
import { createRefundFields } from '../../server/domain/refund/refundOperations.js';
import { deliveryTrackerFields } from '../../server/domain/deliveryTrackers.js';
import type { Schema } from '../../server/domain/validation.js';
import { signRequest } from '../../server/signing/signRequest.js';
import { demoKeyIds, demoPrivateKey } from '../helpers/demoKeys.js';
import { readySessionBody } from '../helpers/testApp.js';
import { bodyWith, schemaPaths, wrongTypes } from './schemaPaths.js';

/** A small seeded PRNG (mulberry32), so a failing run can be repeated with its seed. */
export function prng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return { next, int: (n: number) => Math.floor(next() * n), pick: <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]! };
}
type Rng = ReturnType<typeof prng>;

export interface FuzzRequest {
  kind: string;
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE' | 'PUT';
  path: string;
  headers: Record<string, string>;
  body?: string;
}

const bodies: [string, string, Record<string, Schema>, Record<string, unknown>][] = [
  ['POST', '/v2/checkoutSessions', createSessionFields, readySessionBody()],
  ['PATCH', '/v2/checkoutSessions/{id}', updateSessionFields, {}],
  ['POST', '/v2/checkoutSessions/{id}/complete', completeSessionFields, { chargeAmount: { amount: '50.00', currencyCode: 'USD' } }],
  ['POST', '/v2/charges', createChargeFields, { chargePermissionId: 'S01-0000000-0000000', chargeAmount: { amount: '1.00', currencyCode: 'USD' } }],
  ['POST', '/v2/charges/{id}/capture', captureChargeFields, { captureAmount: { amount: '1.00', currencyCode: 'USD' } }],
  ['POST', '/v2/refunds', createRefundFields, { chargeId: 'S01-0000000-0000000-C000000', refundAmount: { amount: '1.00', currencyCode: 'USD' } }],
  ['POST', '/v2/deliveryTrackers', deliveryTrackerFields, { amazonOrderReferenceId: 'P01-0000000-0000000', deliveryDetails: [{ trackingNumber: '1', carrierCode: 'UPS' }] }],
];
const paths = bodies.map(([, , fields]) => schemaPaths(fields));

const oddValues: unknown[] = [null, 0, -1, 1e308, -1e-308, '', ' ', '\u0000', '\uD800', 'ü'.repeat(300), 'x'.repeat(5000), [], [null], [[[]]], {}, { a: { b: { c: {} } } }, true, '1e400', '0x10', '-0'];
const idLike = ['S01-0000000-0000000', '%2e%2e', '..', 'a%20b', '%E2%82%AC', '%zz', '%', '%C0%AF', 'x'.repeat(3000), 'ä', '%00', 'A'.repeat(40)];

function sign(method: string, path: string, body: string, headers: Record<string, string> = {}) {
  return signRequest({ method, url: `https://127.0.0.1:8443${path}`, body, privateKey: demoPrivateKey, publicKeyId: demoKeyIds.sandbox, headers }).headers;
}

function deepJson(rng: Rng): string {
  const depth = 20 + rng.int(3000);
  return `{"storeId":${'['.repeat(depth)}${']'.repeat(depth)}}`;
}

/** One request of a random kind; signed when the kind needs a valid signature to get past verification. */
export function generate(rng: Rng, sessionId: string): FuzzRequest {
  const roll = rng.int(100);
  if (roll < 40) {
    // A wrong type (or odd value) at some schema path of a valid body.
    const i = rng.int(bodies.length);
    const [method, template, fields, base] = bodies[i]!;
    const { path: at, schema } = rng.pick(paths[i]!);
    const value = rng.next() < 0.6 ? rng.pick(wrongTypes(schema)) : rng.pick(oddValues);
    const body = JSON.stringify(bodyWith(base, fields, at, value));
    const path = template.replace('{id}', sessionId);
    const key: Record<string, string> = method === 'POST' ? { 'x-amz-pay-idempotency-key': `fz${rng.int(1e9)}` } : {};
    return { kind: 'schema', method: method as 'POST', path, headers: sign(method, path, body, key), body };
  }
  if (roll < 50) {
    // Malformed or hostile bodies.
    const body = rng.pick([deepJson(rng), '{"a":', '\u0000\u0001', '[]', '"x"', '{"storeId":"' + 'y'.repeat(50_000) + '"}', '{"__proto__":{"x":1}}', '{"constructor":{"prototype":{}}}', 'null', '1']);
    const path = '/v2/checkoutSessions';
    return { kind: 'body', method: 'POST', path, headers: sign('POST', path, body, { 'x-amz-pay-idempotency-key': `fb${rng.int(1e9)}` }), body };
  }
  if (roll < 65) {
    // Odd encodings in the path and query.
    const id = rng.pick(idLike);
    const path = rng.pick([`/v2/checkoutSessions/${id}`, `/v2/charges/${id}`, `/sandbox/v2/refunds/${id}`, `/v2/chargePermissions/${id}?x=${id}`, `/v2/buyers/${id}`, `/%76%32/checkoutSessions/${id}`, `/v2/checkoutSessions/${id}/`, `/v9/${id}`]);
    return { kind: 'encoding', method: 'GET', path, headers: rng.next() < 0.5 ? sign('GET', path, '') : {} };
  }
  if (roll < 80) {
    // Bad signatures and headers.
    const path = `/v2/checkoutSessions/${sessionId}`;
    const good = sign('GET', path, '');
    const variants: Record<string, string>[] = [
      { ...good, authorization: good.authorization!.replace(/Signature=\S+/, 'Signature=AAAA') },
      { ...good, authorization: good.authorization!.replace(/SignedHeaders=\S+,/, 'SignedHeaders=accept,') },
      { ...good, authorization: good.authorization!.replace(/SignedHeaders=(\S+),/, 'SignedHeaders=$1;x-never-sent,') },
      // Names every object inherits: Node's headers object has Object.prototype behind it.
      { ...good, authorization: good.authorization!.replace(/SignedHeaders=(\S+),/, `SignedHeaders=$1;${rng.pick(['constructor', '__proto__', 'toString', 'Constructor'])},`) },
      { ...good, authorization: 'AMZN-PAY-RSASSA-PSS' },
      { ...good, authorization: 'x'.repeat(rng.int(8000)) },
      { ...good, 'x-amz-pay-date': rng.pick(['', 'yesterday', '99999999T999999Z', '20000101T000000Z', '30000101T000000Z']) },
      { ...good, authorization: good.authorization!.replace(/PublicKeyId=\S+,/, `PublicKeyId=${rng.pick(['LIVE-NOPE', 'ü', '../x', ''])},`) },
      { ...good, 'x-amz-pay-idempotency-key': rng.pick(['', 'x'.repeat(100), 'ä', 'a b']) },
      { ...good, 'x-amz-pay-region': rng.pick(['', 'mars', 'x'.repeat(500)]) },
      { ...good, 'x-amz-pay-simulation-code': rng.pick(['', 'HardDeclined', 'x'.repeat(300)]) },
    ];
    return { kind: 'signature', method: rng.pick(['GET', 'GET', 'POST', 'DELETE'] as const), path, headers: rng.pick(variants), body: undefined };
  }
  // The control API with malformed and wrong-typed bodies, plainly and percent-encoded.
  const admin = rng.pick(['/__admin/clock', '/__admin/publicKeys', '/__admin/scenarios', '/__admin/faults', `/__admin/checkoutSessions/${sessionId}/approve`, '/__admin/buyers?merchant=AMZNPAYMOCKDEMO000000001', '/__admin/ipn?merchant=AMZNPAYMOCKDEMO000000001', '/__admin/requests?limit=x', '/%5F%5Fadmin/clock', '/__admin/clock?merchant=']);
  const value = rng.pick(oddValues);
  const body = rng.pick([
    JSON.stringify({ advanceSeconds: rng.pick([1e300, 8.64e12, -8.64e12, 'x', null, 1e-9]) }),
    JSON.stringify({ set: rng.pick(['+275760-09-13T00:00:00Z', '9999-12-31T00:00:00Z', 'now', 42]) }),
    JSON.stringify({ publicKeyId: rng.pick(['SANDBOX-AMZNPAYMOCKDEMO000000001', 'x'.repeat(70), 42]), publicKey: value }),
    JSON.stringify({ operation: value, times: value }),
    JSON.stringify({ rules: value }),
    JSON.stringify({ card: value, buyer: value, shippingAddress: value }),
    JSON.stringify({ urls: value }),
    deepJson(rng),
    '{"',
  ]);
  const method = admin.startsWith('/__admin/requests') ? 'GET' : 'POST';
  return { kind: 'control', method, path: admin, headers: { 'content-type': 'application/json' }, body: method === 'GET' ? undefined : body };
}

export interface FuzzReport {
  requests: number;
  durationMs: number;
  byStatus: Record<number, number>;
  byKind: Record<string, number>;
  failures: string[];
  slowest: number;
}

/**
 * Sends `requests` generated requests to a running server at `origin` with `concurrency` in
 * flight, and checks each answer: no 5xx, every error Amazon-shaped with a request id, no answer
 * slower than `maxMs`. Failures are collected (the first 20), not thrown.
 */
export async function runFuzz(origin: string, options: { requests: number; seed: number; concurrency: number; sessionId: string; maxMs?: number }): Promise<FuzzReport> {
  const rng = prng(options.seed);
  const maxMs = options.maxMs ?? 2000;
  const pool = new Pool(origin, { connections: options.concurrency, pipelining: 1 });
  const report: FuzzReport = { requests: 0, durationMs: 0, byStatus: {}, byKind: {}, failures: [], slowest: 0 };
  const fail = (why: string) => {
    if (report.failures.length < 20) report.failures.push(why);
  };
  const start = performance.now();
  let next = 0;
  const worker = async () => {
    while (next < options.requests) {
      next++;
      const req = generate(rng, options.sessionId);
      const t0 = performance.now();
      try {
        const res = await pool.request({ method: req.method, path: req.path, headers: req.headers, body: req.body, headersTimeout: maxMs * 5, bodyTimeout: maxMs * 5 });
        const text = await res.body.text();
        const ms = performance.now() - t0;
        report.slowest = Math.max(report.slowest, ms);
        report.requests++;
        report.byStatus[res.statusCode] = (report.byStatus[res.statusCode] ?? 0) + 1;
        report.byKind[req.kind] = (report.byKind[req.kind] ?? 0) + 1;
        const what = `${req.kind} ${req.method} ${req.path.slice(0, 80)}`;
        if (ms > maxMs) fail(`${what}: took ${Math.round(ms)} ms`);
        if (res.statusCode >= 500) fail(`${what}: ${res.statusCode} ${text.slice(0, 200)}`);
        if (!res.headers['x-amz-pay-request-id']) fail(`${what}: no x-amz-pay-request-id`);
        if (res.statusCode >= 400) {
          let body: unknown;
          try {
            body = JSON.parse(text);
          } catch {
            body = null;
          }
          const keys = body && typeof body === 'object' ? Object.keys(body) : [];
          if (keys.join() !== 'reasonCode,message') fail(`${what}: ${res.statusCode} not Amazon-shaped: ${text.slice(0, 120)}`);
        }
      } catch (err) {
        fail(`${req.kind} ${req.method} ${req.path.slice(0, 80)}: ${(err as Error).message}`);
      }
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, worker));
  report.durationMs = Math.round(performance.now() - start);
  await pool.close();
  return report;
}
