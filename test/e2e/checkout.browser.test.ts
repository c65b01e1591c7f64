import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { liveServer, type LiveServer } from '../helpers/runningServer.js';
import { startMerchantSite, STORE_NAME, type MerchantSite } from './merchantSite.js';

/**
 * The whole buyer journey in a real browser: merchant page -> the mock's sign-in -> merchant
 * review -> the mock's payment page (amazonPayRedirectUrl) -> merchant result -> complete.
 * Uses Debian's Chromium (never a downloaded browser); skipped where it is not installed.
 */

const CHROMIUM = '/usr/bin/chromium';
const haveChromium = existsSync(CHROMIUM);
const title = haveChromium
  ? 'checkout in a real browser (Chromium)'
  : `checkout in a real browser: SKIPPED, ${CHROMIUM} not found (apt-get install chromium)`;
if (!haveChromium) console.warn(`browser tests skipped: ${CHROMIUM} not found; install Debian's chromium (apt-get install -y --no-install-recommends chromium)`);

/** Where the payment page screenshot goes, for a person to look at; never committed. */
const SCREENSHOT = path.join(os.tmpdir(), 'amazon-pay-mock-payment-page.png');

describe.skipIf(!haveChromium)(title, () => {
  let live: LiveServer;
  let merchant: MerchantSite;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let consoleErrors: string[];
  let foreignRequests: string[];

  beforeAll(async () => {
    live = await liveServer({ buyerApproval: 'manual' });
    merchant = await startMerchantSite(live);
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await merchant?.close();
    await live?.close();
  });

  beforeEach(async () => {
    // The mock's pages are served with its self-signed certificate, as amazonPayRedirectUrl names them.
    context = await browser.newContext({ ignoreHTTPSErrors: true, viewport: { width: 800, height: 900 } });
    page = await context.newPage();
    consoleErrors = [];
    foreignRequests = [];
    page.on('console', (message) => {
      if (message.type() === 'error') consoleErrors.push(message.text());
    });
    page.on('response', (response) => {
      if (response.status() >= 400) consoleErrors.push(`${response.status()} ${response.url()}`);
    });
    page.on('request', (request) => {
      if (!/^https?:\/\/127\.0\.0\.1:\d+\//.test(request.url())) foreignRequests.push(request.url());
    });
  });

  afterEach(async () => {
    await context?.close();
  });

  const heading = () => page.getByRole('heading', { level: 1 }).textContent();
  const sessionIdOf = (url: string) => new URL(url).searchParams.get('amazonCheckoutSessionId')!;
  const focusedName = () => page.evaluate('document.activeElement.id || document.activeElement.textContent') as Promise<string>;

  /** Merchant home -> Pay with Amazon -> the mock's sign-in page. */
  async function startCheckout(): Promise<void> {
    await page.goto(`${merchant.url}/`);
    await page.getByRole('button', { name: 'Pay with Amazon' }).click();
    await page.waitForURL(/\/checkout\/signin\?amazonCheckoutSessionId=/);
    expect(page.url().startsWith(live.server.https!.url)).toBe(true);
    expect(await heading()).toBe(`Sign in to pay ${STORE_NAME}`);
  }

  it('pays with a chosen card and ends on the merchant\'s confirmation, the session Completed', async () => {
    await startCheckout();
    // Keyboard order on the sign-in page: name, email, Continue, Cancel.
    const order: string[] = [];
    for (let i = 0; i < 4; i++) {
      await page.keyboard.press('Tab');
      order.push((await focusedName()).trim());
    }
    expect(order).toEqual(['name', 'email', 'Continue', 'Cancel']);
    await page.getByLabel('Name').fill('Ada Browser');
    await page.getByRole('button', { name: 'Continue' }).click();

    // The merchant's review page updated the session and followed amazonPayRedirectUrl.
    await page.waitForURL(/\/checkout\/processing\?amazonCheckoutSessionId=/);
    expect(await heading()).toBe(`Pay ${STORE_NAME}`);
    const body = await page.locator('main').innerText();
    expect(body).toContain('$25.00 (USD)');
    expect(body).toContain('Ada Browser (test.buyer@example.com)');
    expect(body).toContain('410 Terry Ave N');
    expect(await page.getByLabel('Visa •••• 1111').isChecked()).toBe(true);
    await page.screenshot({ path: SCREENSHOT, fullPage: true });

    await page.getByLabel('Amex •••• 0005').check();
    await page.getByRole('button', { name: 'Pay now' }).click();
    await page.waitForURL((url) => url.href.startsWith(`${merchant.url}/result?`));
    const confirmed = await heading();
    expect(confirmed).toMatch(/^Order confirmed: S01-\d{7}-\d{7}-C\d+$/);

    const id = sessionIdOf(page.url());
    const session = (await live.sdk().getCheckoutSession(id)).data;
    expect(session.statusDetails.state).toBe('Completed');
    expect(session.chargeId).toBe(confirmed!.replace('Order confirmed: ', ''));
    expect(session.buyer.name).toBe('Ada Browser');
    expect(session.paymentPreferences).toEqual([{ paymentDescriptor: 'Amex ****0005 (Amazon Pay)' }]);
    expect(consoleErrors).toEqual([]);
    expect(foreignRequests).toEqual([]);
  }, 60_000);

  it('with card 3434 ends on the merchant\'s "payment declined" message (complete answered 422)', async () => {
    await startCheckout();
    // Enter in a field submits with the form's first button: Continue.
    await page.getByLabel('Email address').fill('declined.buyer@example.com');
    await page.getByLabel('Email address').press('Enter');
    await page.waitForURL(/\/checkout\/processing\?/);
    await page.getByLabel('Visa •••• 3434').check();
    await page.getByRole('button', { name: 'Pay now' }).click();
    await page.waitForURL((url) => url.href.startsWith(`${merchant.url}/result?`));
    expect(await heading()).toBe('Sorry, your payment was declined');

    const session = (await live.sdk().getCheckoutSession(sessionIdOf(page.url()))).data;
    expect(session.statusDetails).toMatchObject({ state: 'Canceled', reasonCode: 'Declined' });
    expect(session.buyer.email).toBe('declined.buyer@example.com');
    expect(consoleErrors).toEqual([]);
    expect(foreignRequests).toEqual([]);
  }, 60_000);

  it('cancels from the payment page back to the merchant\'s cancel URL', async () => {
    await startCheckout();
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.waitForURL(/\/checkout\/processing\?/);
    await page.getByRole('button', { name: 'Cancel' }).click();
    await page.waitForURL((url) => url.href.startsWith(`${merchant.url}/cancel?`));
    const session = (await live.sdk().getCheckoutSession(sessionIdOf(page.url()))).data;
    expect(session.statusDetails).toMatchObject({ state: 'Canceled', reasonCode: 'BuyerCanceled' });

    // Going back to the payment page now shows why it cannot be used, with a way back.
    await page.goBack();
    await page.reload();
    expect(await heading()).toBe('This checkout is already Canceled');
    await page.getByRole('link', { name: `Return to ${STORE_NAME}` }).click();
    await page.waitForURL((url) => url.href.startsWith(`${merchant.url}/cancel?`));
  }, 60_000);
});
