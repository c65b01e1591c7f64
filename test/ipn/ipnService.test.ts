import { X509Certificate, verify } from 'node:crypto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { seededRandom } from '../../server/ids/random.js';
import { RandomIdGenerator } from '../../server/ids/randomIdGenerator.js';
import { IpnService, type IpnServiceOptions } from '../../server/ipn/ipnService.js';
import type { BeforeLookup } from '../../server/ipn/notifications.js';
import { merchantIdOf, snsStringToSign, type SnsEnvelope } from '../../server/ipn/snsEnvelope.js';
import { createStore } from '../../server/store/createStore.js';
import type { Put, Store } from '../../server/store/store.js';
import { notify } from './notify.js';
import { chargeRecord } from './records.js';
import { closedPortUrl, startReceiver, type Receiver } from './receiver.js';

const CP = 'S01-1111111-2222222';
const CH = `${CP}-C000001`;
const nothingBefore: BeforeLookup = () => undefined;
/** Records as they stood before a commit: none, except the merchant's stored IPN settings. */
const settingsBefore = (settings: { urls: string[]; signed: boolean }): BeforeLookup => (collection, id) =>
  collection === 'settings' && id === 'ipn' ? { urls: settings.urls, signed: settings.signed } : undefined;
const captured: Put[] = [{ collection: 'charges', id: CH, value: chargeRecord(CH, 'Captured') }];

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function receiver(...args: Parameters<typeof startReceiver>): Promise<Receiver> {
  const r = await startReceiver(...args);
  cleanups.push(() => r.close());
  return r;
}

const storeOf = new WeakMap<IpnService, Store>();
/** Queues what a commit of `puts` causes, given the records as they stood before it (see notify). */
const commit = (ipn: IpnService, ns: string, change: Parameters<typeof notify>[3]) => notify(ipn, storeOf.get(ipn)!, ns, change);

function service(options: Partial<IpnServiceOptions> = {}): { ipn: IpnService; store: Store } {
  const store = options.store ?? createStore('memory');
  const ipn = new IpnService({
    store,
    ids: new RandomIdGenerator(seededRandom('ipn')),
    publicUrl: () => 'http://127.0.0.1:9',
    defaultUrls: [],
    retryDelaysMs: [20, 40],
    timeoutMs: 2000,
    ...options,
  });
  cleanups.push(() => ipn.close());
  storeOf.set(ipn, store);
  return { ipn, store };
}

describe('IpnService delivery', () => {
  it('POSTs the SNS envelope as text/plain with the SNS headers; 200 = delivered', async () => {
    const r = await receiver();
    const { ipn } = service({ defaultUrls: [r.url] });
    const [queued] = await commit(ipn, 'DEMO', { puts: captured, before: nothingBefore });
    expect(queued).toMatchObject({ merchant: 'DEMO', url: r.url, status: 'pending', attempts: [] });
    await ipn.flush();

    expect(r.received).toHaveLength(1);
    const req = r.received[0]!;
    expect(req.method).toBe('POST');
    expect(req.headers['content-type']).toBe('text/plain; charset=UTF-8');
    expect(req.headers['x-amz-sns-message-type']).toBe('Notification');
    const envelope = JSON.parse(req.body) as SnsEnvelope;
    expect(req.headers['x-amz-sns-message-id']).toBe(envelope.MessageId);
    expect(req.headers['x-amz-sns-topic-arn']).toBe(envelope.TopicArn);
    expect(req.headers['x-amz-sns-subscription-arn']).toMatch(new RegExp(`^${envelope.TopicArn}:[0-9a-f-]{36}$`));
    expect(JSON.parse(envelope.Message)).toMatchObject({ MerchantID: merchantIdOf('DEMO'), ObjectType: 'CHARGE', ObjectId: CH, ChargePermissionId: CP, NotificationType: 'STATE_CHANGE', NotificationVersion: 'V2' });
    expect(envelope.SigningCertURL).toBe('http://127.0.0.1:9/__admin/ipn/signing-cert.pem');
    const cert = new X509Certificate(await ipn.signingCertificatePem());
    expect(verify('RSA-SHA1', Buffer.from(snsStringToSign(envelope)), cert.publicKey, Buffer.from(envelope.Signature, 'base64'))).toBe(true);

    const [d] = (await ipn.deliveries());
    expect(d).toMatchObject({ id: queued!.id, status: 'delivered', nextAttemptAt: null, notification: JSON.parse(envelope.Message), envelope });
    expect(d!.attempts).toEqual([{ at: expect.stringMatching(/Z$/), status: 200, durationMs: expect.any(Number) }]);
  });

  it('500, 500, then 200: three attempts, then delivered', async () => {
    const r = await receiver((n) => (n < 2 ? 500 : 200));
    const { ipn } = service({ defaultUrls: [r.url] });
    await commit(ipn, 'DEMO', { puts: captured, before: nothingBefore });
    expect((await ipn.deliveries())[0]!.status).toBe('pending');
    await ipn.flush();
    const [d] = (await ipn.deliveries());
    expect(d!.status).toBe('delivered');
    expect(d!.attempts.map((a) => a.status)).toEqual([500, 500, 200]);
    expect(d!.attempts[0]!.response).toBe('receiver says 500');
    // Every retry carries the same message (SNS redelivers the same MessageId).
    expect(new Set(r.received.map((x) => x.body)).size).toBe(1);
    const times = d!.attempts.map((a) => Date.parse(a.at));
    expect(times[1]! - times[0]!).toBeGreaterThanOrEqual(15);
    expect(times[2]! - times[1]!).toBeGreaterThanOrEqual(35);
  });

  it('a receiver that never answers within timeoutMs: failed after the retries', async () => {
    const r = await receiver(() => 'hang');
    const { ipn } = service({ defaultUrls: [r.url], timeoutMs: 100 });
    await commit(ipn, 'DEMO', { puts: captured, before: nothingBefore });
    await ipn.flush();
    const [d] = (await ipn.deliveries());
    expect(d!.status).toBe('failed');
    expect(d!.attempts).toHaveLength(3);
    for (const a of d!.attempts) {
      expect(a.error).toBe('timeout: no response within 100 ms');
      expect(a.status).toBeUndefined();
      expect(a.durationMs).toBeGreaterThanOrEqual(90);
    }
    expect(r.received).toHaveLength(3);
  });

  it('a closed port: failed, with the connection error on each attempt', async () => {
    const url = await closedPortUrl();
    const { ipn } = service({ defaultUrls: [url], retryDelaysMs: [10] });
    await commit(ipn, 'DEMO', { puts: captured, before: nothingBefore });
    await ipn.flush();
    const [d] = (await ipn.deliveries());
    expect(d!.status).toBe('failed');
    expect(d!.attempts).toHaveLength(2);
    expect(d!.attempts[0]!.error).toMatch(/ECONNREFUSED/);
  });

  it('a redirect is not followed and counts as a failed attempt', async () => {
    const r = await receiver(() => 302);
    const { ipn } = service({ defaultUrls: [r.url], retryDelaysMs: [] });
    await commit(ipn, 'DEMO', { puts: captured, before: nothingBefore });
    await ipn.flush();
    expect((await ipn.deliveries())[0]).toMatchObject({ status: 'failed', attempts: [{ status: 302 }] });
  });

  it('one delivery per notification x URL, sharing one MessageId per notification', async () => {
    const a = await receiver();
    const b = await receiver();
    const { ipn } = service({ defaultUrls: [a.url, b.url] });
    const CH2 = `${CP}-C000002`;
    const created = await commit(ipn, 'DEMO', { puts: [...captured, { collection: 'charges', id: CH2, value: chargeRecord(CH2, 'Declined') }], before: nothingBefore });
    expect(created).toHaveLength(4);
    await ipn.flush();
    expect(a.received).toHaveLength(2);
    expect(b.received).toHaveLength(2);
    expect(a.received.map((x) => x.headers['x-amz-sns-message-id']).sort()).toEqual(b.received.map((x) => x.headers['x-amz-sns-message-id']).sort());
    expect((await ipn.deliveries({ limit: 2 }))).toHaveLength(2);
    expect((await ipn.deliveries()).map((d) => d.id)).toEqual(created.map((d) => d.id).reverse());
  });

  it('nothing is queued for changes that do not notify, or when no URL is configured', async () => {
    const { ipn } = service({ defaultUrls: ['http://127.0.0.1:9/never'] });
    expect(await commit(ipn, 'DEMO', { puts: [{ collection: 'checkoutSessions', id: 's', value: {} }], before: nothingBefore })).toEqual([]);
    const { ipn: silent } = service();
    expect(await commit(silent, 'DEMO', { puts: captured, before: nothingBefore })).toEqual([]);
    expect((await silent.deliveries())).toEqual([]);
  });

  it('never throws into the commit path', async () => {
    const { ipn } = service({ defaultUrls: ['http://127.0.0.1:9/'], publicUrl: () => { throw new Error('boom'); } });
    expect(await commit(ipn, 'DEMO', { puts: captured, before: nothingBefore })).toEqual([]);
  });
});

describe('IpnService outbox', () => {
  it('keeps the newest maxDeliveries, dropping the oldest finished ones first', async () => {
    const r = await receiver();
    const { ipn } = service({ defaultUrls: [r.url], maxDeliveries: 3 });
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      ids.push((await commit(ipn, 'DEMO', { puts: captured, before: nothingBefore }))[0]!.id);
      await ipn.flush();
    }
    expect((await ipn.deliveries()).map((d) => d.id)).toEqual(ids.slice(2).reverse());
  });

  it('filters by merchant and status, and clears per merchant (cancelling pending retries)', async () => {
    const ok = await receiver();
    const down = await receiver(() => 503);
    const { ipn } = service({ defaultUrls: [ok.url], retryDelaysMs: [60_000] });
    const other = await ipn.setConfig('OTHER', { urls: [down.url], signed: false });
    await commit(ipn, 'DEMO', { puts: captured, before: nothingBefore });
    await commit(ipn, 'OTHER', { puts: captured, before: settingsBefore(other) });
    await vi.waitFor(async () => expect((await ipn.deliveries()).every((d) => d.attempts.length === 1)).toBe(true));
    expect((await ipn.deliveries({ merchant: 'DEMO' })).map((d) => d.status)).toEqual(['delivered']);
    const [pending] = (await ipn.deliveries({ status: 'pending' }));
    expect(pending).toMatchObject({ merchant: 'OTHER', attempts: [{ status: 503 }], nextAttemptAt: expect.any(String) });
    expect(await ipn.clearDeliveries('OTHER')).toBe(1);
    await ipn.flush(); // resolves: the pending retry was cancelled
    expect((await ipn.deliveries()).map((d) => d.merchant)).toEqual(['DEMO']);
    expect(await ipn.clearDeliveries()).toBe(1);
    expect((await ipn.deliveries())).toEqual([]);
  });

  it('returns copies: callers cannot change the outbox', async () => {
    const r = await receiver();
    const { ipn } = service({ defaultUrls: [r.url] });
    await commit(ipn, 'DEMO', { puts: captured, before: nothingBefore });
    await ipn.flush();
    (await ipn.deliveries())[0]!.attempts.push({ at: 'x', durationMs: 0 });
    expect((await ipn.deliveries())[0]!.attempts).toHaveLength(1);
  });

  it('close() cancels timers and resolves flush(); the delivery stays pending in the store for the next run', async () => {
    const down = await receiver(() => 500);
    const { ipn } = service({ defaultUrls: [down.url], retryDelaysMs: [60_000] });
    await commit(ipn, 'DEMO', { puts: captured, before: nothingBefore });
    const flushed = ipn.flush();
    await vi.waitFor(async () => expect((await ipn.deliveries())[0]!.nextAttemptAt).not.toBeNull());
    ipn.close();
    await flushed;
    expect((await ipn.deliveries())[0]).toMatchObject({ status: 'pending', nextAttemptAt: expect.any(String), attempts: [{ status: 500 }] });
    expect(await commit(ipn, 'DEMO', { puts: captured, before: nothingBefore })).toEqual([]);
  });
});

describe('IpnService per-merchant config', () => {
  it('merchant URLs override the defaults; unsigned mode per merchant', async () => {
    const fallback = await receiver();
    const own = await receiver();
    const { ipn } = service({ defaultUrls: [fallback.url] });
    expect(await ipn.config('SHOP')).toEqual({ urls: [fallback.url], signed: true, source: 'default' });
    const stored = await ipn.setConfig('SHOP', { urls: [own.url], signed: false });
    await commit(ipn, 'SHOP', { puts: captured, before: settingsBefore(stored) });
    await commit(ipn, 'DEMO', { puts: captured, before: nothingBefore });
    await ipn.flush();
    expect(own.received).toHaveLength(1);
    expect(fallback.received).toHaveLength(1);
    const unsigned = JSON.parse(own.received[0]!.body) as SnsEnvelope;
    expect(unsigned).toMatchObject({ Signature: '', SigningCertURL: '' });
    expect(JSON.parse(unsigned.Message).MerchantID).toBe(merchantIdOf('SHOP'));
    expect((JSON.parse(fallback.received[0]!.body) as SnsEnvelope).Signature).not.toBe('');
  });

  it('an empty URL list turns a merchant off even when defaults exist', async () => {
    const fallback = await receiver();
    const { ipn } = service({ defaultUrls: [fallback.url] });
    const off = await ipn.setConfig('SHOP', { urls: [], signed: true });
    expect(await commit(ipn, 'SHOP', { puts: captured, before: settingsBefore(off) })).toEqual([]);
  });

  it('config lives in the store (settings/ipn) and is seen by a new service on the same store', async () => {
    const store = createStore('memory');
    const { ipn } = service({ store });
    await ipn.setConfig('SHOP', { urls: ['http://127.0.0.1:1/a'], signed: false });
    expect(await store.read('SHOP', 'settings', 'ipn')).toEqual({ urls: ['http://127.0.0.1:1/a'], signed: false });
    const { ipn: again } = service({ store });
    expect(await again.config('SHOP')).toEqual({ urls: ['http://127.0.0.1:1/a'], signed: false, source: 'merchant' });
    await store.reset('SHOP');
    expect((await again.config('SHOP')).source).toBe('default');
  });

  it('has endpoints for a merchant from its own URLs, else from the defaults, and none once closed', () => {
    const withDefaults = service({ defaultUrls: ['http://127.0.0.1:1/a'] }).ipn;
    const withoutDefaults = service().ipn;
    expect(withDefaults.hasEndpoints(undefined)).toBe(true);
    expect(withoutDefaults.hasEndpoints(undefined)).toBe(false);
    expect(withDefaults.hasEndpoints({ urls: [], signed: true })).toBe(false);
    expect(withoutDefaults.hasEndpoints({ urls: ['http://127.0.0.1:1/own'], signed: false })).toBe(true);
    withDefaults.close();
    expect(withDefaults.hasEndpoints(undefined)).toBe(false);
  });

  it('unsubscribe removes one URL or all of them', async () => {
    const { ipn } = service({ defaultUrls: ['http://127.0.0.1:1/a', 'http://127.0.0.1:1/b'] });
    expect(await ipn.unsubscribe('SHOP', 'http://127.0.0.1:1/a')).toEqual({ removed: ['http://127.0.0.1:1/a'], config: { urls: ['http://127.0.0.1:1/b'], signed: true, source: 'merchant' } });
    expect((await ipn.unsubscribe('SHOP')).config.urls).toEqual([]);
  });
});

describe('IpnService retention', () => {
  it('drops finished deliveries created before the cutoff and keeps the rest', async () => {
    const r = await receiver();
    const { ipn } = service({ defaultUrls: [r.url] });
    await commit(ipn, 'DEMO', { puts: captured, before: nothingBefore });
    await ipn.flush();
    const [delivered] = (await ipn.deliveries());
    expect(delivered!.status).toBe('delivered');
    expect(await ipn.dropDeliveriesBefore(Date.parse(delivered!.createdAt))).toBe(0);
    expect(await ipn.dropDeliveriesBefore(Date.parse(delivered!.createdAt) + 1)).toBe(1);
    expect((await ipn.deliveries())).toEqual([]);
  });
});
