import { afterEach, describe, expect, it } from 'vitest';
import { sessionWrite } from '../../../server/domain/checkoutSession/sessionState.js';
import type { SessionRecord } from '../../../server/domain/checkoutSession/sessionRecord.js';
import { SERVER_NAMESPACE } from '../../../server/store/serverState.js';
import { testApp, readySessionBody, type TestApp } from '../../helpers/testApp.js';

const form = (fields: Record<string, string>) => ({ payload: new URLSearchParams(fields).toString(), headers: { 'content-type': 'application/x-www-form-urlencoded' } });
const merchant = 'AMZNPAYMOCKDEMO000000001';

describe('/__admin/ui', () => {
  let t: TestApp;
  afterEach(() => t?.close());

  it('lists merchants and pages through thousands of sessions fifty at a time', async () => {
    t = await testApp({ buyerApproval: 'manual' });
    const first = await t.call('POST', '/v2/checkoutSessions', readySessionBody());
    const template = (await t.app.mock.store.read(merchant, 'checkoutSessions', first.body.checkoutSessionId)) as SessionRecord;
    const records = Array.from({ length: 2500 }, (_, i) => {
      const id = `bulk-${String(i).padStart(5, '0')}`;
      return sessionWrite({ ...template, session: { ...template.session, checkoutSessionId: id, creationTimestamp: `2030${String(i).padStart(10, '0')}Z` } });
    });
    await t.app.mock.store.transact(merchant, () => ({ puts: records, result: undefined }));

    const overview = await t.app.inject({ method: 'GET', url: '/__admin/ui' });
    expect(overview.statusCode).toBe(200);
    expect(overview.headers['content-security-policy']).toContain("script-src 'self'");
    expect(overview.payload).toContain(`href="/__admin/ui/merchants/${merchant}"`);
    expect(overview.payload).toMatch(/<td>2501<\/td>/);

    const page1 = await t.app.inject({ method: 'GET', url: `/__admin/ui/merchants/${merchant}` });
    expect(page1.statusCode).toBe(200);
    const rows = (body: string) => [...body.matchAll(/checkoutSessions\/(bulk-\d+)"/g)].map((m) => m[1]);
    expect(rows(page1.payload)).toHaveLength(50);
    expect(rows(page1.payload)[0]).toBe('bulk-02499'); // newest first
    expect(page1.payload).toContain('Page 1 of 51');
    const last = await t.app.inject({ method: 'GET', url: `/__admin/ui/merchants/${merchant}?collection=checkoutSessions&page=51` });
    expect(last.payload).toContain('Page 51 of 51');
    expect(last.payload).toContain(first.body.checkoutSessionId);
    const bad = await t.app.inject({ method: 'GET', url: `/__admin/ui/merchants/${merchant}?page=x` });
    expect(bad.statusCode).toBe(400);
    expect(bad.headers['content-type']).toMatch(/^text\/html/);
    expect((await t.app.inject({ method: 'GET', url: '/__admin/ui/merchants/nobody' })).statusCode).toBe(404);
  });

  it('shows a page number past the end as the last page, as the journal pages do', async () => {
    t = await testApp({ buyerApproval: 'manual' });
    const id = (await t.call('POST', '/v2/checkoutSessions', readySessionBody())).body.checkoutSessionId;
    const past = await t.app.inject({ method: 'GET', url: `/__admin/ui/merchants/${merchant}?page=99` });
    expect(past.statusCode).toBe(200);
    expect(past.payload).toContain(id);
    expect(past.payload).toContain('Page 1 of 1');
    expect(past.payload).not.toContain('rel="prev"');
  });

  it('lists a merchant the journal knows but the store does not (every call refused), and opens its journal', async () => {
    t = await testApp();
    const otherKey = 'SANDBOX-NOOBJECTSYET0000000001';
    const refused = await t.call('GET', '/v2/checkoutSessions/abc', undefined, { publicKeyId: otherKey });
    expect(refused.status).toBeGreaterThanOrEqual(400);
    const ns = 'NOOBJECTSYET0000000001';
    expect((await t.raw({ method: 'GET', url: `/__admin/requests?merchant=${ns}` })).body.requests).toHaveLength(1);
    const overview = await t.app.inject({ method: 'GET', url: '/__admin/ui' });
    expect(overview.payload).toContain(`href="/__admin/ui/merchants/${ns}"`);
    const journal = await t.app.inject({ method: 'GET', url: `/__admin/ui/merchants/${ns}/journal` });
    expect(journal.statusCode).toBe(200);
    expect(journal.payload).toContain('(1 calls)');
    expect((await t.app.inject({ method: 'GET', url: `/__admin/ui/merchants/${ns}` })).statusCode).toBe(200);
    expect((await t.app.inject({ method: 'GET', url: '/__admin/ui/merchants/NOBODYATALL/journal' })).statusCode).toBe(404);
  });

  it('moves a merchant\'s clock from a form and the session expires (Canceled, Expired) on its timeline', async () => {
    t = await testApp({ buyerApproval: 'manual' });
    const created = await t.call('POST', '/v2/checkoutSessions', readySessionBody());
    const id = created.body.checkoutSessionId;
    await t.call('GET', `/v2/checkoutSessions/${id}`);
    const moved = await t.app.inject({ method: 'POST', url: '/__admin/ui/clock', ...form({ merchant, advanceSeconds: '86400', back: `/__admin/ui/merchants/${merchant}` }) });
    expect(moved.statusCode).toBe(303);
    expect(moved.headers.location).toBe(`/__admin/ui/merchants/${merchant}`);
    const detail = await t.app.inject({ method: 'GET', url: `/__admin/ui/merchants/${merchant}/checkoutSessions/${id}` });
    const timeline = /<ol class="timeline"[^>]*>([\s\S]*?)<\/ol>/.exec(detail.payload)![1]!;
    expect([...timeline.matchAll(/<span class="state">(\w+)<\/span>( \((\w+)\))?/g)].map((m) => m[1] + (m[3] ? `:${m[3]}` : ''))).toEqual(['Open', 'Canceled:Expired']);
    // Only this merchant's clock moved.
    expect(t.app.mock.clocks.control().state().offsetMs).toBe(0);
    // Out of the supported range: refused, nothing moved.
    const offset = t.app.mock.clocks.control(merchant).state().offsetMs;
    const far = await t.app.inject({ method: 'POST', url: '/__admin/ui/clock', ...form({ merchant, advanceSeconds: 'custom', customSeconds: '-9999999999' }) });
    expect(far.statusCode).toBe(400);
    expect(t.app.mock.clocks.control(merchant).state().offsetMs).toBe(offset);
  });

  it('approves and cancels as the buyer from the session page', async () => {
    t = await testApp({ buyerApproval: 'manual' });
    const a = (await t.call('POST', '/v2/checkoutSessions', readySessionBody())).body.checkoutSessionId;
    const b = (await t.call('POST', '/v2/checkoutSessions', readySessionBody())).body.checkoutSessionId;
    const approved = await t.app.inject({ method: 'POST', url: `/__admin/ui/checkoutSessions/${a}/approve`, ...form({ merchant, card: '0005' }) });
    expect(approved.statusCode).toBe(303);
    const session = (await t.call('GET', `/v2/checkoutSessions/${a}`)).body;
    expect(session.paymentPreferences).toEqual([{ paymentDescriptor: 'Amex ****0005 (Amazon Pay)' }]);
    expect(session.buyer).not.toBeNull();
    await t.app.inject({ method: 'POST', url: `/__admin/ui/checkoutSessions/${b}/cancel`, ...form({ merchant }) });
    expect((await t.call('GET', `/v2/checkoutSessions/${b}`)).body.statusDetails).toMatchObject({ state: 'Canceled', reasonCode: 'BuyerCanceled' });
    const again = await t.app.inject({ method: 'POST', url: `/__admin/ui/checkoutSessions/${b}/cancel`, ...form({ merchant }) });
    expect(again.statusCode).toBe(422);
    expect(again.payload).toContain('InvalidCheckoutSessionStatus');
  });

  it('shows the server\'s own state (keys, the saved server clock) as no merchant, and its clock form cannot move it', async () => {
    t = await testApp();
    await t.call('POST', '/v2/checkoutSessions', readySessionBody());
    expect((await t.raw({ method: 'POST', url: '/__admin/clock', payload: { advanceSeconds: 3600 } })).status).toBe(200);
    const saved = async () => t.app.mock.store.readAll(SERVER_NAMESPACE, 'settings');
    const before = await saved();
    expect(before).not.toEqual([]);
    const overview = await t.app.inject({ method: 'GET', url: '/__admin/ui' });
    expect(overview.payload).toContain(`href="/__admin/ui/merchants/${merchant}"`);
    expect(overview.payload).not.toContain(SERVER_NAMESPACE);
    expect((await t.app.inject({ method: 'GET', url: `/__admin/ui/merchants/${SERVER_NAMESPACE}` })).statusCode).toBe(404);
    const moved = await t.app.inject({ method: 'POST', url: '/__admin/ui/clock', ...form({ merchant: SERVER_NAMESPACE, advanceSeconds: '86400' }) });
    expect(moved.statusCode).toBe(404);
    expect(moved.headers['content-type']).toMatch(/^text\/html/);
    expect(await saved()).toEqual(before);
    expect(t.app.mock.clocks.control().state().offsetMs).toBe(3_600_000);
  });

  it('refuses its forms from another site', async () => {
    t = await testApp({ buyerApproval: 'manual' });
    await t.call('POST', '/v2/checkoutSessions', readySessionBody());
    const foreign = await t.app.inject({ method: 'POST', url: '/__admin/ui/clock', payload: 'advanceSeconds=86400', headers: { 'content-type': 'application/x-www-form-urlencoded', 'sec-fetch-site': 'cross-site' } });
    expect(foreign.statusCode).toBe(403);
    const otherOrigin = await t.app.inject({ method: 'POST', url: '/__admin/ui/clock', payload: 'advanceSeconds=86400', headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'https://evil.example', host: '127.0.0.1:8080' } });
    expect(otherOrigin.statusCode).toBe(403);
    expect(t.app.mock.clocks.control().state().offsetMs).toBe(0);
  });

  it('with an admin token answers a browser 401 with a link to the login page, and the login cookie opens the dashboard', async () => {
    t = await testApp({ adminToken: 'let-me-in' });
    // A browser (Accept: text/html) gets a page linking to the sign-in form; a tool the control API's JSON.
    expect((await t.app.inject({ method: 'GET', url: '/__admin/ui' })).json().reasonCode).toBe('UnauthorizedAccess');
    const anonymous = await t.app.inject({ method: 'GET', url: '/__admin/ui', headers: { accept: 'text/html,application/xhtml+xml' } });
    expect(anonymous.statusCode).toBe(401);
    expect(anonymous.headers['content-type']).toMatch(/^text\/html/);
    expect(anonymous.payload).toContain('href="/__admin/ui/login"');
    expect((await t.app.inject({ method: 'GET', url: '/__admin/ui/login' })).statusCode).toBe(200);
    expect((await t.app.inject({ method: 'POST', url: '/__admin/ui/login', ...form({ token: 'wrong' }) })).statusCode).toBe(401);
    const login = await t.app.inject({ method: 'POST', url: '/__admin/ui/login', ...form({ token: 'let-me-in' }) });
    expect(login.statusCode).toBe(303);
    const cookie = String(login.headers['set-cookie']);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    expect(cookie).toMatch(/Path=\/__admin\/ui/);
    const signedIn = await t.app.inject({ method: 'GET', url: '/__admin/ui', headers: { cookie: cookie.split(';')[0]! } });
    expect(signedIn.statusCode).toBe(200);
    // The cookie opens the dashboard only, not the JSON control API.
    expect((await t.app.inject({ method: 'GET', url: '/__admin/clock', headers: { cookie: cookie.split(';')[0]! } })).statusCode).toBe(401);
    expect((await t.app.inject({ method: 'GET', url: '/__admin/ui', headers: { authorization: 'Bearer let-me-in' } })).statusCode).toBe(200);
    expect((await t.app.inject({ method: 'POST', url: '/__admin/ui/clock', ...form({ advanceSeconds: '3600' }) })).statusCode).toBe(401);
    expect(t.app.mock.clocks.control().state().offsetMs).toBe(0);
  });
});
