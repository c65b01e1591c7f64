import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { liveServer, type LiveServer } from '../helpers/runningServer.js';
import { AMOUNT, SHOP_NAME, startButtonShop, type ButtonKind, type ButtonShop } from './buttonShop.js';
import { axeViolations, browserSuiteTitle, haveChromium, launchBrowser } from './chromium.js';

/**
 * checkout.js in a real browser: a shop page renders the button with a payload signed by the
 * official Node SDK, the buyer clicks, signs in on the mock, picks a card and the shop completes
 * the session through the SDK. Set SCREENSHOT_DIR to keep screenshots (the README's come from here).
 */

const screenshots = process.env.SCREENSHOT_DIR ? path.resolve(process.env.SCREENSHOT_DIR) : null;
if (screenshots) mkdirSync(screenshots, { recursive: true });

describe.skipIf(!haveChromium)(browserSuiteTitle('checkout.js buttons in a real browser'), () => {
  let live: LiveServer;
  let shop: ButtonShop;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let pageErrors: string[];
  let foreignRequests: string[];

  beforeAll(async () => {
    live = await liveServer({ buyerApproval: 'manual' });
    shop = await startButtonShop(live);
    browser = await launchBrowser();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await shop?.close();
    await live?.close();
  });

  beforeEach(async () => {
    context = await browser.newContext({ ignoreHTTPSErrors: true, viewport: { width: 800, height: 900 } });
    page = await context.newPage();
    pageErrors = [];
    foreignRequests = [];
    page.on('pageerror', (err) => pageErrors.push(err.message));
    page.on('request', (request) => {
      if (!/^https?:\/\/127\.0\.0\.1:\d+\//.test(request.url())) foreignRequests.push(request.url());
    });
  });

  afterEach(async () => {
    await context?.close();
  });

  const heading = () => page.getByRole('heading', { level: 1 }).textContent();
  const sessionIdOf = (url: string) => new URL(url).searchParams.get('amazonCheckoutSessionId')!;
  const amazonButton = () => page.getByRole('button', { name: /^(amazon pay|Sign in with amazon)$/ });

  async function openShop(kind: ButtonKind): Promise<void> {
    await page.goto(`${shop.url}/?button=${kind}`);
    await amazonButton().waitFor();
  }

  async function signIn(name?: string): Promise<void> {
    await page.waitForURL(/\/checkout\/signin\?amazonCheckoutSessionId=/);
    expect(await heading()).toBe(`Sign in to pay ${SHOP_NAME}`);
    if (name) await page.getByLabel('Name').fill(name);
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.waitForURL((url) => url.href.startsWith(`${shop.url}/review?`));
  }

  async function payAndConfirm(card = 'Visa •••• 1111'): Promise<string> {
    await page.getByRole('link', { name: 'Place your order' }).click();
    await page.waitForURL(/\/checkout\/processing\?/);
    await page.getByLabel(card).check();
    await page.getByRole('button', { name: 'Pay now' }).click();
    await page.waitForURL((url) => url.href.startsWith(`${shop.url}/result?`));
    expect(await heading()).toMatch(/^Order confirmed: S01-/);
    return sessionIdOf(page.url());
  }

  it('PayAndShip: button -> sign-in -> review -> payment -> result, the session Completed through the SDK', async () => {
    await openShop('PayAndShip');
    const button = amazonButton();
    expect(await button.getAttribute('data-button-color')).toBe('Gold');
    if (screenshots) await page.locator('#AmazonPayButton').screenshot({ path: path.join(screenshots, 'button-gold.png') });
    await button.click();
    await page.waitForURL(/\/checkout\/signin\?/);
    if (screenshots) await page.screenshot({ path: path.join(screenshots, 'signin-page.png') });
    await signIn('Ada Button');
    expect(await page.locator('#buyer').textContent()).toBe('Ada Button');
    expect(await page.locator('#address').textContent()).toContain('410 Terry Ave N');
    expect(await page.locator('#product').textContent()).toBe('PayAndShip');
    const id = await payAndConfirm('Amex •••• 0005');

    const session = (await live.sdk().getCheckoutSession(id)).data;
    expect(session.statusDetails.state).toBe('Completed');
    expect(session.productType).toBe('PayAndShip');
    expect(session.merchantMetadata.merchantStoreName).toBe(SHOP_NAME);
    expect(session.paymentDetails.chargeAmount).toEqual(AMOUNT);
    expect(session.paymentPreferences).toEqual([{ paymentDescriptor: 'Amex ****0005 (Amazon Pay)' }]);
    // The button's attempt is in the journal, verified, naming the session it created.
    const journal = await live.admin('GET', `/__admin/requests?operation=checkoutButton&objectId=${id}`);
    expect(journal.body.requests).toHaveLength(1);
    expect(journal.body.requests[0]).toMatchObject({ status: 303, publicKeyId: 'SANDBOX-AMZNPAYMOCKDEMO000000001', signature: null });
    expect(pageErrors).toEqual([]);
    expect(foreignRequests).toEqual([]);
  }, 60_000);

  it('PayOnly: the session shares no shipping address and completes', async () => {
    await openShop('PayOnly');
    await amazonButton().click();
    await signIn();
    expect(await page.locator('#product').textContent()).toBe('PayOnly');
    expect(await page.locator('#address').textContent()).toBe('Ship to: none');
    const id = await payAndConfirm();
    const session = (await live.sdk().getCheckoutSession(id)).data;
    expect(session).toMatchObject({ productType: 'PayOnly', shippingAddress: null, statusDetails: { state: 'Completed' } });
    expect(pageErrors).toEqual([]);
  }, 60_000);

  it('Sign-In: ends on signInReturnUrl with a buyerToken that getBuyer resolves to the signed-in buyer', async () => {
    await openShop('SignIn');
    await amazonButton().click();
    await page.waitForURL(/\/checkout\/amazon-signin$/);
    expect(await heading()).toBe('Sign in with Amazon');
    await page.getByLabel('Name').fill('Grace Signin');
    await page.getByLabel('Email address').fill('grace@example.com');
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.waitForURL((url) => url.href.startsWith(`${shop.url}/signed-in?buyerToken=`));
    expect(await heading()).toBe('Welcome, Grace Signin');
    expect(await page.locator('#email').textContent()).toBe('grace@example.com');
    expect(await page.locator('#postal').textContent()).toBe('98109');
    expect(pageErrors).toEqual([]);
  }, 60_000);

  it.each<[ButtonKind, string]>([
    ['initCheckout', 'initCheckout from onClick starts the checkout with the config given at click time'],
    ['endpoint', "the older createCheckoutSession {url} form: the shop's endpoint creates the session, the script takes the buyer to sign-in"],
  ])('%s: %s', async (mode) => {
    await openShop(mode);
    await amazonButton().click();
    await signIn();
    expect(await page.locator('#product').textContent()).toBe('PayAndShip');
    const id = await payAndConfirm();
    expect((await live.sdk().getCheckoutSession(id)).data.statusDetails.state).toBe('Completed');
    expect(pageErrors).toEqual([]);
  }, 60_000);

  it('bindChangeAction: changeAddress and changePayment go to the mock and back to the review page with the change', async () => {
    await openShop('PayAndShip');
    await amazonButton().click();
    await signIn();
    await page.getByRole('button', { name: 'Change address' }).click();
    await page.waitForURL(/\/checkout\/change\?amazonCheckoutSessionId=.*changeAction=changeAddress/);
    expect(await heading()).toBe('Change the shipping address');
    await page.getByLabel(/Test Buyer \(office\)/).check();
    await page.getByRole('button', { name: 'Use this address' }).click();
    await page.waitForURL((url) => url.href.startsWith(`${shop.url}/review?`));
    expect(await page.locator('#address').textContent()).toBe('Ship to: Test Buyer (office), 2 Second Street');

    await page.getByRole('button', { name: 'Change payment' }).click();
    await page.waitForURL(/changeAction=changePayment/);
    expect(await heading()).toBe('Change the payment method');
    await page.getByLabel('Mastercard •••• 4444').check();
    await page.getByRole('button', { name: 'Use this payment method' }).click();
    await page.waitForURL((url) => url.href.startsWith(`${shop.url}/review?`));
    expect(await page.locator('#payment').textContent()).toBe('Pay with: MasterCard ****4444 (Amazon Pay)');

    await page.getByRole('link', { name: 'Place your order' }).click();
    await page.waitForURL(/\/checkout\/processing\?/);
    expect(await page.getByLabel('Mastercard •••• 4444').isChecked()).toBe(true);
    await page.getByRole('button', { name: 'Pay now' }).click();
    await page.waitForURL((url) => url.href.startsWith(`${shop.url}/result?`));
    const session = (await live.sdk().getCheckoutSession(sessionIdOf(page.url()))).data;
    expect(session.shippingAddress).toMatchObject({ name: 'Test Buyer (office)', addressLine1: '2 Second Street' });
    expect(session.statusDetails.state).toBe('Completed');
    expect(pageErrors).toEqual([]);
  }, 60_000);

  for (const kind of ['tampered', 'wrongKey', 'otherSalt'] as const) {
    it(`a ${kind} button payload shows the buyer an error page and journals the string the mock signed`, async () => {
      await live.admin('DELETE', '/__admin/requests');
      await openShop(kind);
      const [response] = await Promise.all([page.waitForResponse((r) => r.url().endsWith('/checkout/start')), amazonButton().click()]);
      expect(response.status()).toBe(403);
      expect(await heading()).toBe('Amazon Pay cannot start this checkout');
      expect(await page.locator('main').innerText()).toContain('InvalidRequestSignature');
      await page.getByRole('link', { name: "Return to the merchant's page" }).click();
      await page.waitForURL((url) => url.href.startsWith(`${shop.url}/?button=${kind}`));
      const journal = (await live.admin('GET', '/__admin/requests?operation=checkoutButton')).body.requests;
      expect(journal).toHaveLength(1);
      expect(journal[0]).toMatchObject({ status: 403, reasonCode: 'InvalidRequestSignature' });
      expect(journal[0].signature.stringToSign).toMatch(/^AMZN-PAY-RSASSA-PSS-V2\n[0-9a-f]{64}$/);
      expect(journal[0].signature.canonicalRequest).toBe(journal[0].request.body.payloadJSON);
    }, 60_000);
  }

  it('throws in the console for unknown selectors and options of the wrong type, like Amazon\'s script', async () => {
    await openShop('PayAndShip');
    const errors = (await page.evaluate(`(() => {
      const base = { merchantId: 'A2', ledgerCurrency: 'USD', placement: 'Cart', createCheckoutSessionConfig: { payloadJSON: '{}', signature: 'x', publicKeyId: 'k' } };
      const attempts = [
        () => amazon.Pay.renderButton('#no-such-element', base),
        () => amazon.Pay.renderButton('#AmazonPayButton', { ...base, ledgerCurrency: 840 }),
        () => amazon.Pay.renderButton('#AmazonPayButton', { ...base, buttonColor: 'Pink' }),
        () => amazon.Pay.renderButton('#AmazonPayButton', { ...base, sandbox: 'yes' }),
        () => amazon.Pay.renderButton('#AmazonPayButton', { ...base, productType: 'SignIn' }),
        () => amazon.Pay.bindChangeAction('#AmazonPayButton', { amazonCheckoutSessionId: 'x', changeAction: 'changeEverything' }),
        () => amazon.Pay.renderButton('#AmazonPayButton', { ...base, createCheckoutSession: { url: 5 } }),
      ];
      return attempts.map((attempt) => { try { attempt(); return 'no error'; } catch (e) { return e.name + ': ' + e.message; } });
    })()`)) as string[];
    expect(errors[0]).toMatch(/^Error: .*no element matches '#no-such-element'/);
    expect(errors[1]).toMatch(/^TypeError: .*'ledgerCurrency' must be a string/);
    expect(errors[2]).toMatch(/^RangeError: .*'buttonColor' must be one of Gold, LightGray, DarkGray/);
    expect(errors[3]).toMatch(/^TypeError: .*'sandbox' must be a boolean/);
    expect(errors[4]).toMatch(/^TypeError: .*'signInConfig' is required/);
    expect(errors[5]).toMatch(/^RangeError: .*'changeAction' must be one of changeAddress, changePayment/);
    expect(errors[6]).toMatch(/^TypeError: .*'createCheckoutSession.url' must be a string/);
    // Called from a page script, the error reaches the console as an uncaught exception.
    await page.addScriptTag({ content: "amazon.Pay.renderButton('#missing', {})" });
    expect(pageErrors.join('\n')).toMatch(/no element matches '#missing'/);
  }, 60_000);

  it('draws the three documented colors with readable text', async () => {
    for (const kind of ['DarkGray', 'LightGray'] as const) {
      await openShop(kind);
      expect(await amazonButton().getAttribute('data-button-color')).toBe(kind);
      if (screenshots) await page.locator('#AmazonPayButton').screenshot({ path: path.join(screenshots, `button-${kind === 'DarkGray' ? 'darkgray' : 'lightgray'}.png`) });
      expect(await axeViolations(page)).toEqual([]);
    }
  }, 60_000);

  it('can be done with the keyboard alone, from the shop\'s button to the result page', async () => {
    await openShop('PayAndShip');
    await page.keyboard.press('Tab');
    expect(await page.evaluate('document.activeElement.textContent')).toBe('amazon pay');
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/checkout\/signin\?/);
    await page.keyboard.press('Tab'); // name
    await page.keyboard.press('Tab'); // email
    await page.keyboard.press('Tab'); // Continue
    expect(await page.evaluate('document.activeElement.textContent')).toBe('Continue');
    await page.keyboard.press('Enter');
    await page.waitForURL((url) => url.href.startsWith(`${shop.url}/review?`));
    await page.getByRole('link', { name: 'Place your order' }).focus();
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/checkout\/processing\?/);
    // Tab reaches the checked card; arrow keys move the choice; Tab leaves the group for Pay now.
    await page.keyboard.press('Tab');
    expect(await page.evaluate('document.activeElement.id')).toBe('card-1111');
    await page.keyboard.press('ArrowDown');
    const chosen = (await page.evaluate('document.activeElement.id')) as string;
    expect(chosen).not.toBe('card-1111');
    expect(await page.locator(`#${chosen}`).isChecked()).toBe(true);
    await page.keyboard.press('Tab');
    expect(await page.evaluate('document.activeElement.textContent')).toBe('Pay now');
    await page.keyboard.press('Enter');
    await page.waitForURL((url) => url.href.startsWith(`${shop.url}/result?`));
    expect(await heading()).toMatch(/^Order confirmed/);
  }, 60_000);

  it('passes axe-core\'s WCAG 2.1 A/AA checks on the button, the sign-in, payment, change and error pages', async () => {
    // axe is injected as a script, which the mock's pages forbid by their CSP: this context ignores it.
    await context.close();
    context = await browser.newContext({ ignoreHTTPSErrors: true, bypassCSP: true });
    page = await context.newPage();
    await openShop('PayAndShip');
    expect(await axeViolations(page)).toEqual([]);
    await amazonButton().click();
    await page.waitForURL(/\/checkout\/signin\?/);
    expect(await axeViolations(page)).toEqual([]);
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.waitForURL((url) => url.href.startsWith(`${shop.url}/review?`));
    await page.getByRole('button', { name: 'Change address' }).click();
    await page.waitForURL(/changeAction=changeAddress/);
    expect(await axeViolations(page)).toEqual([]);
    await page.goBack();
    await page.getByRole('button', { name: 'Change payment' }).click();
    await page.waitForURL(/changeAction=changePayment/);
    expect(await axeViolations(page)).toEqual([]);
    await page.goBack();
    await page.getByRole('link', { name: 'Place your order' }).click();
    await page.waitForURL(/\/checkout\/processing\?/);
    expect(await axeViolations(page)).toEqual([]);
    await openShop('tampered');
    await amazonButton().click();
    await page.waitForURL(/\/checkout\/start$/);
    expect(await axeViolations(page)).toEqual([]);
    await openShop('SignIn');
    await amazonButton().click();
    await page.waitForURL(/\/checkout\/amazon-signin$/);
    expect(await axeViolations(page)).toEqual([]);
  }, 90_000);
});
