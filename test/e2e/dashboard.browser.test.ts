import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { liveServer, sdkError, type LiveServer } from '../helpers/runningServer.js';
import { readySessionBody } from '../helpers/testApp.js';
import { axeViolations, browserSuiteTitle, haveChromium, launchBrowser } from './chromium.js';

/**
 * The dashboard in a real browser, after real SDK calls: a session's timeline, a failed
 * signature's first differing line, the clock moved from the page. SCREENSHOT_DIR keeps a shot.
 */

const screenshots = process.env.SCREENSHOT_DIR ? path.resolve(process.env.SCREENSHOT_DIR) : null;
if (screenshots) mkdirSync(screenshots, { recursive: true });
const merchant = 'AMZNPAYMOCKDEMO000000001';
const idem = () => ({ 'x-amz-pay-idempotency-key': randomUUID().replace(/-/g, '') });

describe.skipIf(!haveChromium)(browserSuiteTitle('the dashboard in a real browser'), () => {
  let live: LiveServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let ui: string;

  beforeAll(async () => {
    live = await liveServer({ buyerApproval: 'manual' });
    ui = `${live.server.http!.url}/__admin/ui`;
    browser = await launchBrowser();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await live?.close();
  });

  beforeEach(async () => {
    // bypassCSP lets the axe-core checks inject their script; the pages' own script is same-origin anyway.
    context = await browser.newContext({ viewport: { width: 1100, height: 900 }, bypassCSP: true });
    page = await context.newPage();
  });

  afterEach(async () => {
    await context?.close();
  });

  const states = async () => page.locator('ol.timeline li .state').allTextContents();

  async function createSession(): Promise<string> {
    const created = await live.sdk().createCheckoutSession(readySessionBody(), idem());
    return created.data.checkoutSessionId;
  }

  it('after an SDK checkout, the session\'s timeline shows Open then Completed, and the charge its state', async () => {
    const client = live.sdk();
    const id = await createSession();
    await page.goto(`${ui}/merchants/${merchant}/checkoutSessions/${id}`);
    // The buyer step from the page: approve with a card.
    await page.getByLabel('Card').selectOption('1111');
    await page.getByRole('button', { name: 'Approve as the buyer' }).click();
    await page.waitForLoadState();
    await client.updateCheckoutSession(id, { paymentDetails: { paymentIntent: 'Authorize', chargeAmount: { amount: '50.00', currencyCode: 'USD' } } });
    const completed = await client.completeCheckoutSession(id, { chargeAmount: { amount: '50.00', currencyCode: 'USD' } });

    await page.goto(ui);
    await page.getByRole('link', { name: merchant }).click();
    await page.getByRole('link', { name: id }).click();
    expect(await states()).toEqual(['Open', 'Completed']);
    if (screenshots) await page.screenshot({ path: path.join(screenshots, 'dashboard-session.png'), clip: { x: 0, y: 0, width: 1000, height: 300 } });

    await page.goto(`${ui}/merchants/${merchant}?collection=charges`);
    await page.getByRole('link', { name: completed.data.chargeId }).click();
    expect(await states()).toEqual(['Authorized']);
    expect(await axeViolations(page)).toEqual([]);
  }, 60_000);

  it('shows a failed signature\'s first differing line, live as the text is pasted and on Compare', async () => {
    const otherKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
    const failed = await sdkError(live.sdk({ privateKey: otherKey }).getCheckoutSession('no-such-session'));
    expect(failed.status).toBe(403);
    const entry = (await live.admin('GET', `/__admin/requests?merchant=${merchant}&status=403`)).body.requests[0];
    expect(entry.signature).not.toBeNull();

    await page.goto(`${ui}/merchants/${merchant}/journal`);
    await page.getByRole('link', { name: '(signature diagnostics)' }).first().click();
    await page.getByRole('heading', { name: 'Signature diagnostics' }).waitFor();
    const server = (await page.locator('#server-signed').textContent())!;
    expect(server).toBe(`${entry.signature.canonicalRequest}\n\n${entry.signature.stringToSign}`);
    // What a client would have signed with a different x-amz-pay-host: only that line differs.
    const lines = server.split('\n');
    const hostLine = lines.findIndex((l) => l.startsWith('x-amz-pay-host:'));
    expect(hostLine).toBeGreaterThan(0);
    const client = lines.map((l, i) => (i === hostLine ? 'x-amz-pay-host:pay-api.amazon.com' : l)).join('\n');
    await page.getByLabel('What your client signed').fill(client);
    expect(await page.locator('#diff-summary').textContent()).toBe(`First differing line: ${hostLine + 1}`);
    expect(await page.locator('#signature-diff tr.first td').first().textContent()).toBe(String(hostLine + 1));
    expect(await page.locator('#signature-diff tr.first td.differs code').allTextContents()).toEqual(['x-amz-pay-host:pay-api.amazon.com', lines[hostLine]]);
    if (screenshots) await page.locator('#signature').evaluate((el) => el.scrollIntoView());
    if (screenshots) await page.screenshot({ path: path.join(screenshots, 'dashboard-signature.png'), clip: { x: 0, y: 0, width: 1000, height: 640 } });
    // Without the script the form does the same on the server.
    await page.getByRole('button', { name: 'Compare' }).click();
    await page.waitForURL(/signed=/);
    expect(await page.locator('#diff-summary').textContent()).toBe(`First differing line: ${hostLine + 1}`);
    expect(await page.locator('#signature-diff tr.first td').first().textContent()).toBe(String(hostLine + 1));
    expect(await axeViolations(page)).toEqual([]);
  }, 60_000);

  it('moving the clock from the page expires an Open session', async () => {
    const id = await createSession();
    await page.goto(`${ui}/merchants/${merchant}`);
    await page.getByRole('button', { name: 'Move 24 hours' }).click();
    await page.waitForLoadState();
    expect(await page.getByRole('heading', { name: 'This merchant’s clock' }).isVisible()).toBe(true);
    await page.goto(`${ui}/merchants/${merchant}/checkoutSessions/${id}`);
    expect(await states()).toEqual(['Open', 'Canceled']);
    expect(await page.locator('h1').textContent()).toContain('Canceled (Expired)');
    expect((await live.sdk().getCheckoutSession(id)).data.statusDetails).toMatchObject({ state: 'Canceled', reasonCode: 'Expired' });
    // The merchant page and the overview pass axe too.
    expect(await axeViolations(page)).toEqual([]);
    await page.goto(`${ui}/merchants/${merchant}`);
    expect(await axeViolations(page)).toEqual([]);
    if (screenshots) await page.screenshot({ path: path.join(screenshots, 'dashboard-merchant.png'), clip: { x: 0, y: 0, width: 1000, height: 560 } });
    await page.goto(ui);
    expect(await axeViolations(page)).toEqual([]);
  }, 60_000);
});
