import { X509Certificate } from 'node:crypto';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ipnRoutes } from '../../server/admin/ipnRoutes.js';
import { installErrorHandling } from '../../server/api/errorHandler.js';
import { seededRandom } from '../../server/ids/random.js';
import { RandomIdGenerator } from '../../server/ids/randomIdGenerator.js';
import { IpnService } from '../../server/ipn/ipnService.js';
import { merchantIdOf } from '../../server/ipn/snsEnvelope.js';
import { createStore } from '../../server/store/createStore.js';
import type { Store } from '../../server/store/store.js';
import { notify } from './notify.js';
import { chargeRecord } from './records.js';
import { startReceiver, type Receiver } from './receiver.js';

let app: FastifyInstance;
let ipn: IpnService;
let store: Store;
let r: Receiver;

beforeEach(async () => {
  r = await startReceiver();
  store = createStore('memory');
  const ids = new RandomIdGenerator(seededRandom('t'));
  ipn = new IpnService({ store, ids, publicUrl: () => 'http://127.0.0.1:8080', defaultUrls: [r.url], retryDelaysMs: [], timeoutMs: 2000 });
  app = Fastify();
  // As the app does: every body arrives as a raw Buffer, errors answer {reasonCode, message}.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));
  installErrorHandling(app, 1 << 20);
  ipnRoutes(app, { store, ids, ipn });
  await app.ready();
});
afterEach(async () => {
  ipn.close();
  await app.close();
  await r.close();
});

async function call(method: 'GET' | 'POST' | 'DELETE', url: string, payload?: unknown) {
  const res = await app.inject({ method, url, ...(payload !== undefined ? { payload: typeof payload === 'string' ? payload : JSON.stringify(payload), headers: { 'content-type': 'application/json' } } : {}) });
  let body: any = res.payload;
  try {
    body = JSON.parse(res.payload);
  } catch {
    /* text */
  }
  return { status: res.statusCode, body, headers: res.headers };
}

describe('/__admin/ipn config', () => {
  it('GET without a merchant shows the defaults; with one, its effective config', async () => {
    expect((await call('GET', '/__admin/ipn')).body).toEqual({ merchant: null, merchantId: null, topicArn: null, urls: [r.url], signed: true, source: 'default' });
    expect((await call('GET', '/__admin/ipn?merchant=SANDBOX-SHOP1')).body).toEqual({
      merchant: 'SHOP1',
      merchantId: merchantIdOf('SHOP1'),
      topicArn: `arn:aws:sns:us-east-1:000000000000:${merchantIdOf('SHOP1')}`,
      urls: [r.url],
      signed: true,
      source: 'default',
    });
  });

  it('POST stores urls and signed in the merchant namespace; omitted fields keep their value', async () => {
    const set = await call('POST', '/__admin/ipn?merchant=SANDBOX-SHOP1', { urls: ['http://127.0.0.1:1/a', 'https://localhost/b', 'http://127.0.0.1:1/a'], signed: false });
    expect(set.status).toBe(200);
    expect(set.body).toMatchObject({ merchant: 'SHOP1', urls: ['http://127.0.0.1:1/a', 'https://localhost/b'], signed: false, source: 'merchant' });
    expect(await store.read('SHOP1', 'settings', 'ipn')).toEqual({ urls: ['http://127.0.0.1:1/a', 'https://localhost/b'], signed: false });
    const flip = await call('POST', '/__admin/ipn?merchant=SHOP1', { signed: true });
    expect(flip.body).toMatchObject({ urls: ['http://127.0.0.1:1/a', 'https://localhost/b'], signed: true });
    expect((await call('GET', '/__admin/ipn?merchant=LIVE-SHOP1')).body.source).toBe('merchant');
  });

  it.each([
    ['', { urls: [] }, 'MissingParameterValue'],
    ['?merchant=S', {}, 'MissingParameterValue'],
    ['?merchant=S', { urls: [], extra: 1 }, 'UnrecognizedField'],
    ['?merchant=S', { urls: 'http://127.0.0.1/' }, 'InvalidParameterValue'],
    ['?merchant=S', { urls: ['ftp://127.0.0.1/'] }, 'InvalidParameterValue'],
    ['?merchant=S', { urls: ['/relative'] }, 'InvalidParameterValue'],
    ['?merchant=S', { urls: [42] }, 'InvalidParameterValue'],
    ['?merchant=S', { urls: Array.from({ length: 11 }, (_, i) => `http://127.0.0.1/${i}`) }, 'InvalidParameterValue'],
    ['?merchant=S', { signed: 'yes' }, 'InvalidParameterValue'],
    ['?merchant=S', '{not json', 'InvalidRequestFormat'],
    ['?merchant=', { urls: [] }, 'InvalidParameterValue'],
  ])('POST %s %j -> %s and nothing stored', async (query, payload, code) => {
    const res = await call('POST', `/__admin/ipn${query}`, payload);
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ reasonCode: code, message: expect.any(String) });
    expect(await store.namespaces()).toEqual([]);
  });

  it('accepts exactly 10 URLs', async () => {
    const urls = Array.from({ length: 10 }, (_, i) => `http://127.0.0.1/${i}`);
    expect((await call('POST', '/__admin/ipn?merchant=S', { urls })).body.urls).toEqual(urls);
  });
});

describe('/__admin/ipn/deliveries', () => {
  it('lists newest first, filters by merchant, status and limit, and deletes', async () => {
    await notify(ipn, store, 'A', { puts: [{ collection: 'charges', id: 'c1', value: chargeRecord('c1', 'Captured') }], before: () => undefined });
    await notify(ipn, store, 'B', { puts: [{ collection: 'charges', id: 'c2', value: chargeRecord('c2', 'Captured') }], before: () => undefined });
    await notify(ipn, store, 'B', { puts: [{ collection: 'charges', id: 'c3', value: chargeRecord('c3', 'Declined') }], before: () => undefined });
    await ipn.flush();
    const all = (await call('GET', '/__admin/ipn/deliveries')).body.deliveries;
    expect(all.map((d: any) => d.notification.ObjectId)).toEqual(['c3', 'c2', 'c1']);
    expect(all[0]).toMatchObject({ merchant: 'B', url: r.url, status: 'delivered', attempts: [{ status: 200 }] });
    expect(typeof all[0].envelope.Message).toBe('string');
    expect((await call('GET', '/__admin/ipn/deliveries?merchant=SANDBOX-B&limit=1')).body.deliveries.map((d: any) => d.notification.ObjectId)).toEqual(['c3']);
    expect((await call('GET', '/__admin/ipn/deliveries?status=failed')).body.deliveries).toEqual([]);
    expect((await call('DELETE', '/__admin/ipn/deliveries?merchant=B')).body).toEqual({ deleted: 2 });
    expect((await call('GET', '/__admin/ipn/deliveries')).body.deliveries).toHaveLength(1);
    expect((await call('DELETE', '/__admin/ipn/deliveries')).body).toEqual({ deleted: 1 });
  });

  it.each(['status=sent', 'limit=0', 'limit=1001', 'limit=ten', 'status=failed&status=pending'])('rejects %s', async (q) => {
    const res = await call('GET', `/__admin/ipn/deliveries?${q}`);
    expect(res.status).toBe(400);
    expect(res.body.reasonCode).toBe('InvalidParameterValue');
  });
});

describe('/__admin/ipn signing certificate and unsubscribe', () => {
  it('serves the PEM certificate the envelopes are signed with', async () => {
    const res = await call('GET', '/__admin/ipn/signing-cert.pem');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toContain('application/x-pem-file');
    expect(res.body).toBe(await ipn.signingCertificatePem());
    expect(() => new X509Certificate(res.body)).not.toThrow();
  });

  it('the UnsubscribeURL of a delivered envelope removes the endpoint it was delivered to, and only that one', async () => {
    const second = 'http://127.0.0.1:1/second';
    await call('POST', '/__admin/ipn?merchant=SHOP', { urls: [r.url, second] });
    const settingsBefore = await store.read('SHOP', 'settings', 'ipn');
    const delivered = await notify(ipn, store, 'SHOP', { puts: [{ collection: 'charges', id: 'c1', value: chargeRecord('c1', 'Captured') }], before: (c, id) => (c === 'settings' && id === 'ipn' ? settingsBefore : undefined) });
    await ipn.flush();
    expect(delivered.map((d) => d.url)).toEqual([r.url, second]);
    const [d, other] = delivered;
    // One message to two endpoints: the same signed envelope, each with its own UnsubscribeURL.
    expect({ ...d!.envelope, UnsubscribeURL: '' }).toEqual({ ...other!.envelope, UnsubscribeURL: '' });
    const url = new URL(d!.envelope.UnsubscribeURL);
    expect(url.origin).toBe('http://127.0.0.1:8080');
    expect(url.searchParams.get('url')).toBe(r.url);
    const res = await call('GET', `${url.pathname}${url.search}`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ unsubscribed: [r.url], merchant: 'SHOP', urls: [second], source: 'merchant' });
    const rest = new URL(other!.envelope.UnsubscribeURL);
    expect((await call('GET', `${rest.pathname}${rest.search}`)).body).toMatchObject({ unsubscribed: [second], urls: [] });
    const settings = await store.read('SHOP', 'settings', 'ipn');
    expect(await notify(ipn, store, 'SHOP', { puts: [{ collection: 'charges', id: 'c2', value: chargeRecord('c2', 'Captured') }], before: (c, id) => (c === 'settings' && id === 'ipn' ? settings : undefined) })).toEqual([]);
    // Others keep the defaults.
    expect((await call('GET', '/__admin/ipn?merchant=OTHER')).body.urls).toEqual([r.url]);
  });

  it('unsubscribe with url= removes just that endpoint; merchant is required', async () => {
    await call('POST', '/__admin/ipn?merchant=SHOP', { urls: ['http://127.0.0.1:1/a', 'http://127.0.0.1:1/b'] });
    const res = await call('GET', `/__admin/ipn/unsubscribe?merchant=SHOP&url=${encodeURIComponent('http://127.0.0.1:1/a')}`);
    expect(res.body).toMatchObject({ unsubscribed: ['http://127.0.0.1:1/a'], urls: ['http://127.0.0.1:1/b'] });
    const missing = await call('GET', '/__admin/ipn/unsubscribe');
    expect(missing.status).toBe(400);
    expect(missing.body.reasonCode).toBe('MissingParameterValue');
  });
});
