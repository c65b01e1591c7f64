import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Agent, request } from 'undici';
import { sendSigned, tally } from '../helpers/signedSend.js';
import { liveServer, type LiveServer } from '../helpers/runningServer.js';
import { readySessionBody } from '../helpers/testApp.js';
import { DEMO_NS, DAY_SECONDS, idem, newKey, readySession, usd } from '../sdk/flows.js';
import { describeSkippedWithoutRedis, hasRedis, redisForFile } from './redisTestServer.js';

/**
 * Two mock processes' worth of servers (each with its own listeners, clocks, key registry and
 * Redis connection) on one Redis: whatever one does, the other sees, and a request both receive
 * at once happens once.
 */

const PARALLEL = 100;
const redis = redisForFile();

let a: LiveServer;
let b: LiveServer;
let agent: Agent;

/** Sends one signed request to one of the instances over a real socket. */
const send = (live: LiveServer, method: string, path: string, body: unknown, headers: Record<string, string> = {}) => sendSigned(live.server.http!.url, agent, method, path, body, headers);

if (!hasRedis) describeSkippedWithoutRedis('two mock instances on one Redis');
else
  describe('two mock instances on one Redis', () => {
    beforeAll(async () => {
      agent = new Agent({ connections: PARALLEL, pipelining: 0 });
      const config = { store: 'redis' as const, redisUrl: redis.server().url, pendingDelaySeconds: 30 };
      a = await liveServer(config);
      b = await liveServer(config);
    });
    afterAll(async () => {
      await a?.close();
      await b?.close();
      await agent?.close();
    });

    it('completes on one instance a session created on the other, and both read the result', async () => {
      const id = await readySession(a.sdk(), { intent: 'Authorize', amount: '25.00' });
      const completed = await b.sdk().completeCheckoutSession(id, { chargeAmount: usd('25.00') });
      expect(completed.status).toBe(200);
      const seenByA = (await a.sdk().getCheckoutSession(id)).data;
      expect(seenByA.statusDetails.state).toBe('Completed');
      expect(seenByA.chargeId).toBe(completed.data.chargeId);
      expect((await a.sdk().getCharge(completed.data.chargeId)).data.statusDetails.state).toBe('Authorized');
    });

    it(`gives exactly one charge for ${PARALLEL} parallel completes of one session spread over both`, async () => {
      const id = await readySession(a.sdk(), { intent: 'Authorize', amount: '40.00' });
      const chargesBefore = (await a.server.app.mock.store.readAll<any>(DEMO_NS, 'charges')).length;
      const results = await Promise.all(
        Array.from({ length: PARALLEL }, (_, i) => send(i % 2 ? a : b, 'POST', `/v2/checkoutSessions/${id}/complete`, { chargeAmount: usd('40.00') }, { 'x-amz-pay-idempotency-key': newKey() })),
      );
      expect(tally(results)).toEqual({ '200': 1, '422 InvalidCheckoutSessionStatus': PARALLEL - 1 });
      const winner = results.find((r) => r.status === 200)!;
      const charges = await b.server.app.mock.store.readAll<any>(DEMO_NS, 'charges');
      expect(charges.length).toBe(chargesBefore + 1);
      expect((await b.sdk().getCheckoutSession(id)).data.chargeId).toBe(winner.body.chargeId);
    });

    it('creates one object for one idempotency key sent to both instances at once, and both answer with it', async () => {
      const before = (await a.server.app.mock.store.readAll<any>(DEMO_NS, 'checkoutSessions')).length;
      const key = newKey();
      const body = readySessionBody({ merchantMetadata: { merchantReferenceId: `idem-${key}`, merchantStoreName: 'Demo Store' } });
      const results = await Promise.all(Array.from({ length: 20 }, (_, i) => send(i % 2 ? a : b, 'POST', '/v2/checkoutSessions', body, { 'x-amz-pay-idempotency-key': key })));
      expect(tally(results)).toEqual({ '201': 20 });
      expect(new Set(results.map((r) => r.body.checkoutSessionId)).size).toBe(1);
      const sessions = await a.server.app.mock.store.readAll<any>(DEMO_NS, 'checkoutSessions');
      expect(sessions.length).toBe(before + 1);
    });

    it('sees on one instance the clock moved through the other, and expires sessions by it', async () => {
      const id = await readySession(b.sdk(), { intent: 'Authorize', amount: '10.00' });
      const before = (await b.admin('GET', '/__admin/clock')).body;
      const moved = await a.admin('POST', '/__admin/clock', { advanceSeconds: DAY_SECONDS + 3600 });
      expect(moved.status).toBe(200);
      const seen = (await b.admin('GET', '/__admin/clock')).body;
      expect(seen.offsetSeconds - before.offsetSeconds).toBe(DAY_SECONDS + 3600);
      // An open session lives 24 hours on the server clock: B answers with it expired.
      const session = (await b.sdk().getCheckoutSession(id)).data;
      expect(session.statusDetails.state).toBe('Canceled');
      expect(session.statusDetails.reasonCode).toBe('Expired');
      // A merchant's own clock (an offset to the server's), moved through B, is seen by A too.
      expect((await b.admin('POST', `/__admin/clock?merchant=${DEMO_NS}`, { advanceSeconds: 60 })).status).toBe(200);
      expect((await a.admin('GET', `/__admin/clock?merchant=${DEMO_NS}`)).body.offsetSeconds).toBe(60);
      // Pages that name no merchant in the query (the dashboard) see a move through the other instance too.
      expect((await b.admin('POST', `/__admin/clock?merchant=${DEMO_NS}`, { advanceSeconds: 60 })).status).toBe(200);
      const page = await request(`${a.server.http!.url}/__admin/ui/merchants/${DEMO_NS}`);
      expect(await page.body.text()).toContain('offset 120 s');
      // Reset through A: B's clocks are back to real time as well.
      expect((await a.admin('POST', '/__admin/reset')).status).toBe(200);
      expect((await b.admin('GET', '/__admin/clock')).body.offsetSeconds).toBe(0);
      expect((await b.admin('GET', `/__admin/clock?merchant=${DEMO_NS}`)).body.offsetSeconds).toBe(0);
    });

    it('shows in one instance’s request journal the calls the other served', async () => {
      const id = await readySession(a.sdk(), { intent: 'Authorize', amount: '12.00' });
      await b.sdk().getCheckoutSession(id);
      const entries = async () => (await b.admin('GET', `/__admin/requests?objectId=${id}`)).body.requests as any[];
      await expect.poll(async () => (await entries()).map((e) => e.operation)).toEqual(['getCheckoutSession', 'createCheckoutSession']);
      const seenByA = (await a.admin('GET', `/__admin/requests?merchant=${DEMO_NS}&limit=2`)).body.requests as any[];
      expect(seenByA.map((e) => e.operation)).toEqual(['getCheckoutSession', 'createCheckoutSession']);
      expect(seenByA[0].id).toBeGreaterThan(seenByA[1].id);
      expect((await a.admin('DELETE', `/__admin/requests?merchant=${DEMO_NS}`)).status).toBe(200);
      expect(await entries()).toEqual([]);
    });

    it('accepts and lists on one instance a key registered through the other', async () => {
      const { generateKeyPairSync } = await import('node:crypto');
      const pair = generateKeyPairSync('rsa', { modulusLength: 2048 });
      const publicKeyId = `SANDBOX-REDIS${newKey().slice(0, 12).toUpperCase()}`;
      const registered = await a.admin('POST', '/__admin/publicKeys', { publicKeyId, publicKey: pair.publicKey.export({ type: 'spki', format: 'pem' }) });
      expect(registered.status).toBeLessThan(300);
      const client = b.sdk({ publicKeyId, privateKey: pair.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string });
      const created = await client.createCheckoutSession(readySessionBody(), idem());
      expect(created.status).toBe(201);
      // Listed by both, though the second never saw a call signed with it before.
      const otherPair = generateKeyPairSync('rsa', { modulusLength: 2048 });
      const listedOnly = `SANDBOX-LISTED${newKey().slice(0, 12).toUpperCase()}`;
      expect((await b.admin('POST', '/__admin/publicKeys', { publicKeyId: listedOnly, publicKey: otherPair.publicKey.export({ type: 'spki', format: 'pem' }) })).status).toBeLessThan(300);
      const ids = (await a.admin('GET', '/__admin/publicKeys')).body.publicKeys.map((k: any) => k.publicKeyId);
      expect(ids).toEqual(expect.arrayContaining([publicKeyId, listedOnly]));
    });

    it('refuses through one instance a different key for a merchant whose key was registered through the other (409 PublicKeyIdInUse)', async () => {
      const { generateKeyPairSync } = await import('node:crypto');
      const pem = () => generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey.export({ type: 'spki', format: 'pem' });
      const owner = generateKeyPairSync('rsa', { modulusLength: 2048 });
      const merchant = `TAKEN${newKey().slice(0, 12).toUpperCase()}`;
      const publicKeyId = `SANDBOX-${merchant}`;
      const ownerPem = owner.publicKey.export({ type: 'spki', format: 'pem' });
      expect((await a.admin('POST', '/__admin/publicKeys', { publicKeyId, publicKey: ownerPem })).status).toBe(201);
      // B has not served a call for this merchant yet: it must still see the key A stored.
      const sameId = await b.admin('POST', '/__admin/publicKeys', { publicKeyId, publicKey: pem() });
      expect([sameId.status, sameId.body.reasonCode]).toEqual([409, 'PublicKeyIdInUse']);
      const otherForm = await b.admin('POST', '/__admin/publicKeys', { publicKeyId: `LIVE-${merchant}`, publicKey: pem() });
      expect([otherForm.status, otherForm.body.reasonCode]).toEqual([409, 'PublicKeyIdInUse']);
      // The same key again is no change, whichever instance is asked.
      expect((await b.admin('POST', '/__admin/publicKeys', { publicKeyId, publicKey: ownerPem })).status).toBe(200);
      // The owner's key still works on both.
      const privateKey = owner.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
      for (const live of [a, b]) expect((await live.sdk({ publicKeyId, privateKey }).createCheckoutSession(readySessionBody(), idem())).status).toBe(201);
    });

    it('accepts on one instance an Amazon Pay button signed with a key registered through the other', async () => {
      const { generateKeyPairSync } = await import('node:crypto');
      const pair = generateKeyPairSync('rsa', { modulusLength: 2048 });
      const publicKeyId = `SANDBOX-BUTTON${newKey().slice(0, 12).toUpperCase()}`;
      expect((await a.admin('POST', '/__admin/publicKeys', { publicKeyId, publicKey: pair.publicKey.export({ type: 'spki', format: 'pem' }) })).status).toBe(201);
      // What checkout.js posts when the buyer clicks the button: B has never seen a call signed with this key.
      const client = b.sdk({ publicKeyId, privateKey: pair.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string });
      const payloadJSON = JSON.stringify({ storeId: readySessionBody().storeId, webCheckoutDetails: { checkoutReviewReturnUrl: 'https://merchant.example/review' } });
      const fields = { payloadJSON, signature: client.generateButtonSignature(payloadJSON), publicKeyId, algorithm: 'AMZN-PAY-RSASSA-PSS-V2', ledgerCurrency: 'USD' };
      const res = await request(`${b.server.http!.url}/checkout/start`, { method: 'POST', body: new URLSearchParams(fields).toString(), headers: { 'content-type': 'application/x-www-form-urlencoded' } });
      await res.body.dump();
      expect(res.statusCode).toBe(303);
    });

    it('shares faults and scripted rules: added through one instance, used up once across both', async () => {
      const id = await readySession(a.sdk(), { intent: 'Authorize', amount: '11.00' });
      const fault = await a.admin('POST', `/__admin/faults?merchant=${DEMO_NS}`, { operation: 'getCheckoutSession', status: 503, times: 1 });
      expect(fault.status).toBe(201);
      expect((await b.admin('GET', `/__admin/faults?merchant=${DEMO_NS}`)).body.faults.map((f: any) => [f.name, f.times])).toEqual([['fault:getCheckoutSession:503', 1]]);
      const first = await send(b, 'GET', `/v2/checkoutSessions/${id}`, undefined);
      expect([first.status, first.body.reasonCode]).toEqual([503, 'ServiceUnavailable']);
      expect((await send(a, 'GET', `/v2/checkoutSessions/${id}`, undefined)).status).toBe(200);
      expect((await send(b, 'GET', `/v2/checkoutSessions/${id}`, undefined)).status).toBe(200);
      // A rule with several uses, hit by both at once, answers exactly that many times.
      await b.admin('POST', `/__admin/scenarios?merchant=${DEMO_NS}`, { name: 'three', match: { operation: 'getCheckoutSession' }, outcome: { kind: 'error', reasonCode: 'TooManyRequests' }, times: 3 });
      const results = await Promise.all(Array.from({ length: 20 }, (_, i) => send(i % 2 ? a : b, 'GET', `/v2/checkoutSessions/${id}`, undefined)));
      expect(tally(results)).toEqual({ '200': 17, '429 TooManyRequests': 3 });
      expect((await a.admin('DELETE', `/__admin/scenarios?merchant=${DEMO_NS}`)).status).toBe(200);
      expect((await b.admin('GET', `/__admin/scenarios?merchant=${DEMO_NS}`)).body.rules).toEqual([]);
    });

    it('lists on one instance the IPN deliveries the other sent, and clears them for both', async () => {
      const received: string[] = [];
      const receiver = createServer((req, res) => {
        req.resume();
        req.on('end', () => {
          received.push(String(req.headers['x-amz-sns-message-id']));
          res.end();
        });
      });
      await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
      const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/ipn`;
      try {
        expect((await a.admin('POST', `/__admin/ipn?merchant=${DEMO_NS}`, { urls: [url], signed: false })).status).toBe(200);
        const id = await readySession(b.sdk(), { intent: 'Authorize', amount: '13.00' });
        expect((await b.sdk().completeCheckoutSession(id, { chargeAmount: usd('13.00') })).status).toBe(200);
        const listedBy = async (live: LiveServer) => (await live.admin('GET', `/__admin/ipn/deliveries?merchant=${DEMO_NS}`)).body.deliveries as any[];
        await expect.poll(async () => (await listedBy(a)).filter((d) => d.status === 'delivered').length, { timeout: 10_000 }).toBeGreaterThan(0);
        const seenByA = await listedBy(a);
        expect(seenByA.every((d) => d.status === 'delivered' && d.url === url)).toBe(true);
        expect(seenByA.map((d) => d.envelope.MessageId).sort()).toEqual([...received].sort());
        expect((await a.admin('DELETE', `/__admin/ipn/deliveries?merchant=${DEMO_NS}`)).body.deleted).toBe(seenByA.length);
        expect(await listedBy(b)).toEqual([]);
      } finally {
        await a.admin('POST', `/__admin/ipn?merchant=${DEMO_NS}`, { urls: [] });
        await new Promise((resolve) => receiver.close(resolve));
      }
    });

    it('keeps the one IPN signing key in Redis through a full reset, so an instance started afterwards signs with it too', async () => {
      const stored = () => a.server.app.mock.store.read<{ keyPem: string }>('~server', 'settings', 'ipnSigningKey');
      const before = await stored();
      expect(before?.keyPem).toMatch(/BEGIN PRIVATE KEY/);
      expect((await b.admin('POST', '/__admin/reset')).status).toBe(200);
      // What an instance starting now adopts (without it, that instance would store and sign with a key of its own).
      expect(await stored()).toEqual(before);
    });

    it('runs the background sweeps in one instance only: exactly one holds the lease', async () => {
      await expect.poll(() => [a, b].filter((s) => s.server.app.mock.sweepLease.held).length).toBe(1);
    });
  });
