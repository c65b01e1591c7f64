import { generateKeyPairSync, verify, X509Certificate } from 'node:crypto';
import { rmSync } from 'node:fs';
import { loadOrCreateAuthority } from '../../server/tls/certificateAuthority.js';
import { describe, expect, it, vi } from 'vitest';
import { buildApp } from '../../server/app.js';
import { formatTimestamp } from '../../server/domain/time.js';
import { snsStringToSign } from '../../server/ipn/snsEnvelope.js';
import { MemoryStore } from '../../server/store/memoryStore.js';
import { closedPortUrl, startReceiver } from '../ipn/receiver.js';
import { testConfig } from '../helpers/testApp.js';
import { doc, documentedOperations, operationById, same, type Json } from '../helpers/openapiDocument.js';
import { useDocumentedApp, app, sessionBody, send, usd, completeOn, expectDocumented } from './documentedApp.js';

useDocumentedApp();

describe('openapi.yaml: answers of the control API (admin token, journal, faults, IPN)', () => {
  it('answers the control API with documented statuses and bodies', async () => {
    await expectDocumented('getHealth', await send(app, 'GET', '/__admin/health'));
    await expectDocumented('getClock', await send(app, 'GET', '/__admin/clock'));
    await expectDocumented('setClock', await send(app, 'POST', '/__admin/clock', { frozen: true, advanceSeconds: 1.5 }));
    await expectDocumented('setClock', await send(app, 'POST', '/__admin/clock', { frozen: false, set: '2030-01-01T00:00:00Z' }));
    await expectDocumented('setClock', await send(app, 'POST', '/__admin/clock'));
    await expectDocumented('setClock', await send(app, 'POST', '/__admin/clock?merchant=SANDBOX-OPENAPITEST', { advanceSeconds: 60 }));
    await expectDocumented('getClock', await send(app, 'GET', '/__admin/clock?merchant=OPENAPITEST'));

    const rules = [
      { name: 'normal', match: { operation: 'getCheckoutSession', header: { name: 'X-Amz-Pay-Simulation-Code', value: 'X' } }, outcome: { kind: 'normal' }, times: 0 },
      { name: 'pending', description: 'settles declined', match: { operation: 'completeCheckoutSession', amount: 12 }, outcome: { kind: 'pending', settleTo: 'Declined' }, times: '0' },
      { name: 'cancel', match: { operation: 'completeCheckoutSession', currency: 'USD' }, outcome: { kind: 'cancel', reasonCode: 'BuyerCanceled' }, times: 0 },
      { name: 'error', match: { operation: '*', publicKeyId: 'SANDBOX-NOBODY' }, outcome: { kind: 'error', reasonCode: 'SoftDeclined', status: 402 }, delayMs: 0, times: 0 },
      { name: 'simulate', match: { operation: 'captureCharge', amount: '5.00' }, outcome: { kind: 'simulate', code: 'CaptureInitiated' }, times: 0 },
      { name: 'drop', match: { operation: 'getCharge', currency: 'EUR' }, outcome: { kind: 'drop' }, times: 0 },
    ];
    const added = await send(app, 'POST', '/__admin/scenarios?merchant=SANDBOX-OPENAPITEST', { rules });
    expect(added.statusCode, added.payload).toBe(201);
    await expectDocumented('addScenarios', added);
    await expectDocumented('addScenarios', await send(app, 'POST', '/__admin/scenarios', rules[0]));
    await expectDocumented('listScenarios', await send(app, 'GET', '/__admin/scenarios'));
    await expectDocumented('listScenarios', await send(app, 'GET', '/__admin/scenarios?merchant=OPENAPITEST'));
    await expectDocumented('clearScenarios', await send(app, 'DELETE', '/__admin/scenarios'));

    await expectDocumented('listPublicKeys', await send(app, 'GET', '/__admin/publicKeys'));
    const { publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const pem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
    const registered = await send(app, 'POST', '/__admin/publicKeys', { publicKeyId: 'SANDBOX-OPENAPITEST', publicKey: pem });
    expect(registered.statusCode, registered.payload).toBe(201);
    await expectDocumented('registerPublicKey', registered);

    await expectDocumented('reset', await send(app, 'POST', '/__admin/reset?merchant=SANDBOX-OPENAPITEST'));
    await expectDocumented('reset', await send(app, 'POST', '/__admin/reset'));
  });

  it('guards the control API with the admin token, as documented', async () => {
    const control = documentedOperations().filter((o) => o.path.startsWith('/__admin'));
    const open = control.filter((o) => same(o.operation.security, [])).map((o) => `${o.method} ${o.path}`);
    expect(open.sort()).toEqual(['GET /__admin/ca.pem', 'GET /__admin/health', 'GET /__admin/ipn/signing-cert.pem', 'GET /__admin/ipn/unsubscribe', 'GET /__admin/ui/login', 'POST /__admin/ui/login']);
    expect(doc.components.securitySchemes.AdminToken).toMatchObject({ type: 'http', scheme: 'bearer' });
    for (const { path, method, operation } of documentedOperations()) {
      const where = `${method} ${path}`;
      if (path.startsWith('/__admin') && !open.includes(where)) {
        expect(operation.security, where).toEqual([{ AdminToken: [] }]);
        expect(operation.responses['401'], where).toEqual({ $ref: '#/components/responses/AdminUnauthorized' });
      } else if (!path.startsWith('/__admin')) {
        expect(JSON.stringify(operation.security ?? []), `${where} does not name the admin token`).not.toContain('AdminToken');
      } else if (operation.operationId !== 'dashboardLogin') {
        expect(operation.responses['401'], where).toBeUndefined();
      }
    }
    for (const id of ['getSigninPage', 'submitSignin', 'getPaymentPage', 'submitPayment']) expect(operationById(id).operation.security, id).toEqual([]);

    const token = 'openapi-admin-token';
    const guarded = await buildApp(testConfig({ signature: 'off', adminToken: token }), { store: new MemoryStore() });
    try {
      for (const { path, method, operation } of control) {
        const where = `${method} ${path}`;
        const url = path.replace(/\{[^}]+\}/g, 'no-such-session');
        for (const authorization of [null, 'Bearer wrong-token', token, `Basic ${Buffer.from(`admin:${token}`).toString('base64')}`, `Bearer ${token} `]) {
          const res = await send(guarded, method, url, undefined, { authorization });
          if (open.includes(where)) {
            expect(res.statusCode, `${where} is open`).not.toBe(401);
            continue;
          }
          expect(res.statusCode, `${where} with ${authorization}`).toBe(401);
          expect(res.json().reasonCode).toBe('UnauthorizedAccess');
          await expectDocumented(operation.operationId, res);
        }
        const allowed = await send(guarded, method, url, undefined, { authorization: `Bearer ${token}` });
        expect(allowed.statusCode, `${where} with the token: ${allowed.payload.slice(0, 200)}`).not.toBe(401);
        await expectDocumented(operation.operationId, allowed);
      }
      // The emulated API, the documentation and the hosted pages never need it.
      const created = await send(guarded, 'POST', '/sandbox/v2/checkoutSessions', sessionBody());
      expect(created.statusCode, created.payload).toBe(201);
      expect((await send(guarded, 'GET', '/documentation/json')).statusCode).toBe(200);
      await expectDocumented('getSigninPage', await guarded.inject({ method: 'GET', url: `/checkout/signin?amazonCheckoutSessionId=${created.json().checkoutSessionId}` }));
    } finally {
      await guarded.close();
    }
  });

  it('answers GET /__admin/ca.pem with the documented 200 once a CA exists, and 404 before', async () => {
    const withoutCa = await buildApp(testConfig(), { store: new MemoryStore() });
    try {
      await expectDocumented('getLocalCa', await send(withoutCa, 'GET', '/__admin/ca.pem'));
      const ca = await loadOrCreateAuthority(withoutCa.mock.config.dataDir);
      const served = await send(withoutCa, 'GET', '/__admin/ca.pem');
      expect(served.statusCode).toBe(200);
      expect(served.payload).toBe(ca.certPem);
      await expectDocumented('getLocalCa', served);
    } finally {
      await withoutCa.close();
      rmSync(withoutCa.mock.config.dataDir, { recursive: true, force: true });
    }
  });

  it('answers the request journal and the fault routes with documented statuses and bodies', async () => {
    const merchant = 'SANDBOX-OPENAPIJOURNAL';
    const keyed = { authorization: `AMZN-PAY-RSASSA-PSS PublicKeyId=${merchant}, SignedHeaders=x-amz-pay-date, Signature=0123456789abcdefghijklmnopqrstuvwxyz` };
    const journal = (query = '') => send(app, 'GET', `/__admin/requests?merchant=${merchant}${query}`);

    // A few calls of one merchant: created, replayed, not found, completed, answered by a fault.
    const createKey = { ...keyed, 'x-amz-pay-idempotency-key': 'openapi-journal-key' };
    const created = await send(app, 'POST', '/v2/checkoutSessions', sessionBody(), createKey);
    expect(created.statusCode, created.payload).toBe(201);
    expect((await send(app, 'POST', '/v2/checkoutSessions', sessionBody(), createKey)).statusCode).toBe(201);
    const id = created.json().checkoutSessionId;
    expect((await send(app, 'GET', '/v2/checkoutSessions/no-such-session', undefined, keyed)).statusCode).toBe(404);
    const done = await send(app, 'POST', `/v2/checkoutSessions/${id}/complete`, { chargeAmount: usd('50.00') }, keyed);
    expect(done.statusCode, done.payload).toBe(200);
    const fault = await send(app, 'POST', `/__admin/faults?merchant=${merchant}`, { operation: 'getCharge', status: 503, times: 1 });
    expect(fault.statusCode, fault.payload).toBe(201);
    expect(fault.json()).toMatchObject({ name: 'fault:getCharge:503', outcome: { kind: 'error', reasonCode: 'ServiceUnavailable', status: 503 }, times: 1, source: 'faults', merchant: 'OPENAPIJOURNAL' });
    await expectDocumented('addFault', fault);
    const faulted = await send(app, 'GET', `/v2/charges/${done.json().chargeId}`, undefined, keyed);
    expect(faulted.statusCode).toBe(503);
    await expectDocumented('getCharge', faulted, { allowDefault: true });

    const listed = await journal();
    await expectDocumented('listRequests', listed);
    const entries = listed.json().requests as Json[];
    expect(entries.map((e) => `${e.operation} ${e.status}`)).toEqual([
      'getCharge 503', 'completeCheckoutSession 200', 'getCheckoutSession 404', 'createCheckoutSession 201', 'createCheckoutSession 201',
    ]);
    expect(entries[0]).toMatchObject({ merchant: 'OPENAPIJOURNAL', publicKeyId: merchant, reasonCode: 'ServiceUnavailable', scenario: 'fault:getCharge:503', replayed: false });
    expect(entries.map((e) => e.replayed)).toEqual([false, false, false, true, false]);
    expect(entries[1].objectIds).toEqual(expect.arrayContaining([id, done.json().chargePermissionId, done.json().chargeId]));
    expect(entries[1].request.body).toEqual({ chargeAmount: usd('50.00') });
    expect(entries[1].response.body).toEqual(done.json());
    expect(entries[1].request.headers.authorization).toMatch(/Signature=0123456789ab…$/);
    for (const [query, count] of [
      ['&operation=createCheckoutSession', 2], ['&status=404', 1], [`&publicKeyId=${merchant}`, 5], [`&objectId=${id}`, 3], ['&limit=2', 2], ['&limit=0', 0],
      ['&since=0', 5], [`&since=${new Date(Date.now() + 60_000).toISOString()}`, 0], ['&operation=&status=', 5],
    ] as const) {
      const filtered = await journal(query);
      expect(filtered.json().requests, query).toHaveLength(count);
      await expectDocumented('listRequests', filtered);
    }

    // A call no operation took, and a connection a fault dropped (status 0).
    expect((await send(app, 'GET', '/v2/nothing/here', undefined, keyed)).statusCode).toBe(404);
    const unknown = await send(app, 'GET', '/__admin/requests?limit=1');
    expect(unknown.json().requests[0]).toMatchObject({ operation: null, merchant: null, path: '/v2/nothing/here', status: 404, reasonCode: 'ResourceNotFound' });
    await expectDocumented('listRequests', unknown);
    expect((await send(app, 'POST', `/__admin/faults?merchant=${merchant}`, { operation: 'getRefund', drop: true, times: 1 })).statusCode).toBe(201);
    void send(app, 'GET', '/v2/refunds/S01-0000000-0000000-R000000', undefined, keyed); // never answered
    await vi.waitFor(async () => expect((await journal('&status=0')).json().requests).toHaveLength(1));
    const dropped = await journal('&status=0');
    expect(dropped.json().requests[0]).toMatchObject({ operation: 'getRefund', scenario: 'fault:getRefund:drop', response: { body: null } });
    await expectDocumented('listRequests', dropped);

    // A signature that does not verify: the journal shows what the emulator computed.
    const signed = await buildApp(testConfig(), { store: new MemoryStore() });
    try {
      const keys = (await send(signed, 'GET', '/__admin/publicKeys')).json().publicKeys as { publicKeyId: string }[];
      const keyId = keys.find((k) => k.publicKeyId.startsWith('SANDBOX-'))!.publicKeyId;
      const refused = await send(signed, 'GET', '/v2/checkoutSessions/x', undefined, {
        authorization: `AMZN-PAY-RSASSA-PSS PublicKeyId=${keyId}, SignedHeaders=x-amz-pay-date;x-amz-pay-host, Signature=AAAA`, 'x-amz-pay-date': formatTimestamp(Date.now()), 'x-amz-pay-host': 'pay-api.amazon.com',
      });
      expect(refused.json().reasonCode).toBe('InvalidRequestSignature');
      const withSignature = await send(signed, 'GET', '/__admin/requests?status=403');
      expect(withSignature.json().requests[0].signature).toMatchObject({ canonicalRequest: expect.stringContaining('GET\n/v2/checkoutSessions/x\n'), stringToSign: expect.stringMatching(/^AMZN-PAY-RSASSA-PSS\n/) });
      await expectDocumented('listRequests', withSignature);
    } finally {
      await signed.close();
    }

    // Faults: a latency fault for the merchant and a fault for everyone, listed with the scenario rules too.
    const latency = await send(app, 'POST', `/__admin/faults?merchant=${merchant}`, { operation: 'getRefund', latencyMs: '5', times: '2' });
    expect(latency.json()).toMatchObject({ name: 'fault:getRefund:latency', outcome: { kind: 'normal' }, delayMs: 5, times: 2 });
    await expectDocumented('addFault', latency);
    const everyone = await send(app, 'POST', '/__admin/faults', { operation: null, status: 429, times: 0 });
    expect(everyone.json()).toMatchObject({ name: 'fault:*:429', match: { operation: '*' }, outcome: { reasonCode: 'TooManyRequests', status: 429 }, merchant: null });
    await expectDocumented('addFault', everyone);
    const dropFault = await send(app, 'POST', '/__admin/faults', { operation: 'getRefund', drop: true, latencyMs: 0, times: 0 });
    expect(dropFault.json()).toMatchObject({ name: 'fault:getRefund:drop', outcome: { kind: 'drop' } });
    await expectDocumented('addFault', dropFault);
    const faults = await send(app, 'GET', `/__admin/faults?merchant=${merchant}`);
    expect(faults.json().faults.map((f: Json) => f.name)).toEqual(['fault:getRefund:drop', 'fault:*:429', 'fault:getRefund:latency', 'fault:getRefund:drop', 'fault:getCharge:503']);
    await expectDocumented('listFaults', faults);
    expect((await send(app, 'GET', '/__admin/faults?merchant=SANDBOX-SOMEONEELSE')).json().faults).toHaveLength(2);
    const rules = await send(app, 'GET', `/__admin/scenarios?merchant=${merchant}`);
    expect(rules.json().rules.filter((r: Json) => r.source === 'faults')).toHaveLength(5);
    await expectDocumented('listScenarios', rules);
    const clearedOne = await send(app, 'DELETE', `/__admin/faults?merchant=${merchant}`);
    expect(clearedOne.json()).toEqual({ cleared: 3 });
    await expectDocumented('clearFaults', clearedOne);
    const clearedAll = await send(app, 'DELETE', '/__admin/faults');
    expect(clearedAll.json()).toEqual({ cleared: 2 });
    await expectDocumented('clearFaults', clearedAll);
    await expectDocumented('listFaults', await send(app, 'GET', '/__admin/faults'));

    const cleared = await send(app, 'DELETE', `/__admin/requests?merchant=${merchant}`);
    expect(cleared.json()).toEqual({ cleared: 6 });
    await expectDocumented('clearRequests', cleared);
    expect((await journal()).json().requests).toEqual([]);
    await expectDocumented('clearRequests', await send(app, 'DELETE', '/__admin/requests'));
  });

  it('answers the IPN routes with documented statuses and bodies', async () => {
    const accepting = await startReceiver(() => 204);
    const refusing = await startReceiver(() => 500);
    const nobody = await closedPortUrl();
    const ipnApp = await buildApp(testConfig({ signature: 'off', ipnRetryDelaysMs: [], publicUrl: 'http://127.0.0.1:8080' }), { store: new MemoryStore() });
    try {
      const defaults = await send(ipnApp, 'GET', '/__admin/ipn');
      expect(defaults.json()).toEqual({ merchant: null, merchantId: null, topicArn: null, urls: [], signed: true, source: 'default' });
      await expectDocumented('getIpnConfig', defaults);
      const merchant = 'SANDBOX-OPENAPIIPN';
      const before = await send(ipnApp, 'GET', `/__admin/ipn?merchant=${merchant}`);
      expect(before.json()).toMatchObject({ merchant: 'OPENAPIIPN', source: 'default' });
      await expectDocumented('getIpnConfig', before);
      const set = await send(ipnApp, 'POST', `/__admin/ipn?merchant=${merchant}`, { urls: [accepting.url, refusing.url, nobody, accepting.url] });
      expect(set.json()).toMatchObject({ urls: [accepting.url, refusing.url, nobody], signed: true, source: 'merchant' });
      await expectDocumented('setIpnConfig', set);
      const unsignedMerchant = 'SANDBOX-OPENAPIIPNUNSIGNED';
      const unsigned = await send(ipnApp, 'POST', `/__admin/ipn?merchant=${unsignedMerchant}`, { urls: [accepting.url], signed: false });
      expect(unsigned.json()).toMatchObject({ merchant: 'OPENAPIIPNUNSIGNED', urls: [accepting.url], signed: false });
      await expectDocumented('setIpnConfig', unsigned);

      await completeOn(ipnApp, merchant);
      await completeOn(ipnApp, unsignedMerchant);
      await ipnApp.mock.ipn.flush();

      const listed = await send(ipnApp, 'GET', `/__admin/ipn/deliveries?merchant=${merchant}`);
      await expectDocumented('listIpnDeliveries', listed);
      const deliveries = listed.json().deliveries as Json[];
      const notifications = new Set(deliveries.map((d) => d.notification.NotificationId));
      expect(notifications.size).toBeGreaterThanOrEqual(2);
      expect(deliveries).toHaveLength(notifications.size * 3);
      const byUrl = (url: string) => deliveries.filter((d) => d.url === url);
      for (const d of byUrl(accepting.url)) expect(d).toMatchObject({ status: 'delivered', attempts: [{ status: 204 }], nextAttemptAt: null });
      for (const d of byUrl(refusing.url)) expect(d).toMatchObject({ status: 'failed', attempts: [{ status: 500, response: 'receiver says 500' }] });
      for (const d of byUrl(nobody)) expect(d).toMatchObject({ status: 'failed', attempts: [{ error: expect.stringContaining('ECONNREFUSED') }] });
      // The envelope is what was posted; its Message is the notification; its signature verifies against the served certificate.
      const certificate = await send(ipnApp, 'GET', '/__admin/ipn/signing-cert.pem');
      await expectDocumented('getIpnSigningCertificate', certificate);
      const publicKey = new X509Certificate(certificate.payload).publicKey;
      for (const d of deliveries) {
        expect(JSON.parse(d.envelope.Message)).toEqual(d.notification);
        expect(d.envelope.SigningCertURL).toBe('http://127.0.0.1:8080/__admin/ipn/signing-cert.pem');
        expect(verify('RSA-SHA1', Buffer.from(snsStringToSign(d.envelope)), publicKey, Buffer.from(d.envelope.Signature, 'base64'))).toBe(true);
      }
      const posted = accepting.received.map((r) => JSON.parse(r.body));
      for (const d of byUrl(accepting.url)) expect(posted).toContainEqual(d.envelope);

      for (const query of ['&status=failed&limit=2', '&status=delivered', '&status=pending', '&limit=1000']) {
        const filtered = await send(ipnApp, 'GET', `/__admin/ipn/deliveries?merchant=${merchant}${query}`);
        await expectDocumented('listIpnDeliveries', filtered);
        expect(filtered.json().deliveries.length, query).toBe({ '&status=failed&limit=2': 2, '&status=delivered': notifications.size, '&status=pending': 0, '&limit=1000': deliveries.length }[query]);
      }
      const unsignedDeliveries = await send(ipnApp, 'GET', `/__admin/ipn/deliveries?merchant=${unsignedMerchant}`);
      for (const d of unsignedDeliveries.json().deliveries) expect(d.envelope).toMatchObject({ Signature: '', SigningCertURL: '' });
      await expectDocumented('listIpnDeliveries', unsignedDeliveries);
      await expectDocumented('listIpnDeliveries', await send(ipnApp, 'GET', '/__admin/ipn/deliveries'));

      // The UnsubscribeURL of the envelope one endpoint got removes that endpoint; without url=, the rest.
      const unsubscribeUrl = new URL(byUrl(refusing.url)[0]!.envelope.UnsubscribeURL);
      expect(unsubscribeUrl.pathname).toBe('/__admin/ipn/unsubscribe');
      const one = await send(ipnApp, 'GET', `${unsubscribeUrl.pathname}${unsubscribeUrl.search}`);
      expect(one.json()).toMatchObject({ unsubscribed: [refusing.url], merchant: 'OPENAPIIPN', urls: [accepting.url, nobody], source: 'merchant' });
      await expectDocumented('unsubscribeIpn', one);
      unsubscribeUrl.searchParams.delete('url');
      const rest = await send(ipnApp, 'GET', `${unsubscribeUrl.pathname}${unsubscribeUrl.search}`);
      expect(rest.json()).toMatchObject({ unsubscribed: [accepting.url, nobody], urls: [] });
      await expectDocumented('unsubscribeIpn', rest);
      const nothingLeft = await send(ipnApp, 'GET', '/__admin/ipn/unsubscribe?merchant=SANDBOX-OPENAPINEVERSET');
      expect(nothingLeft.json()).toMatchObject({ unsubscribed: [], urls: [], source: 'merchant' });
      await expectDocumented('unsubscribeIpn', nothingLeft);

      const deleted = await send(ipnApp, 'DELETE', `/__admin/ipn/deliveries?merchant=${merchant}`);
      expect(deleted.json()).toEqual({ deleted: deliveries.length });
      await expectDocumented('clearIpnDeliveries', deleted);
      await expectDocumented('clearIpnDeliveries', await send(ipnApp, 'DELETE', '/__admin/ipn/deliveries'));
    } finally {
      await ipnApp.close();
      await accepting.close();
      await refusing.close();
    }

    // A delivery waiting for its retry: pending, with the time of the next attempt.
    const retrying = await buildApp(testConfig({ signature: 'off', ipnRetryDelaysMs: [60_000], ipnUrls: [nobody] }), { store: new MemoryStore() });
    try {
      await completeOn(retrying, 'SANDBOX-OPENAPIRETRY');
      const waiting = async () => (await send(retrying, 'GET', '/__admin/ipn/deliveries?status=pending')).json().deliveries as Json[];
      await vi.waitFor(async () => {
        const pending = await waiting();
        expect(pending.length).toBeGreaterThan(0);
        for (const d of pending) expect(d.attempts).toHaveLength(1);
      });
      const pending = await send(retrying, 'GET', '/__admin/ipn/deliveries?status=pending');
      for (const d of pending.json().deliveries) expect(Date.parse(d.nextAttemptAt)).toBeGreaterThan(Date.now() + 30_000);
      await expectDocumented('listIpnDeliveries', pending);
      const config = await send(retrying, 'GET', '/__admin/ipn?merchant=OPENAPIRETRY');
      expect(config.json()).toMatchObject({ urls: [nobody], source: 'default' });
      await expectDocumented('getIpnConfig', config);
    } finally {
      await retrying.close();
    }
  });
});
