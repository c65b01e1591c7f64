import { readFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packagePath } from '../../server/config.js';
import { FileStore } from '../../server/store/index.js';
import { fillTheDisk, hasFullDisk } from '../store/fullDisk.js';
import { tempDirs } from '../store/tempDir.js';
import { MemoryStore } from '../../server/store/memoryStore.js';
import { StoreUnavailableError } from '../../server/store/errors.js';
import type { Put } from '../../server/store/store.js';
import { testApp, type TestApp } from '../helpers/testApp.js';
import { complete, createSession, getSession, inputValue, openPage, postRaw, submit, usd } from './pageTestKit.js';

let t: TestApp;
beforeAll(async () => {
  t = await testApp({ buyerApproval: 'manual' });
});
afterAll(async () => {
  await t.close();
});

const REVIEW = 'https://merchant.example/review';
const RESULT = 'https://merchant.example/result';
const hostile = '<script>alert("x")</script>';
const escapedHostile = '&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;';

/** Signs in through the page and returns the redirect. */
const signIn = (id: string, fields: Record<string, string> = {}) =>
  submit(t, '/checkout/signin', { amazonCheckoutSessionId: id, name: 'Ada Lovelace', email: 'ada@example.com', action: 'continue', ...fields });
const pay = (id: string, card: string) => submit(t, '/checkout/processing', { amazonCheckoutSessionId: id, card, action: 'pay' });

describe('sign-in page', () => {
  it('shows the store, the test buyer to sign in as, and accessible Continue and Cancel controls', async () => {
    const id = await createSession(t);
    const page = await openPage(t, `/checkout/signin?amazonCheckoutSessionId=${id}`);
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page.headers['content-security-policy']).toContain("default-src 'none'");
    expect(page.html).toMatch(/^<!doctype html><html lang="en">/);
    expect(page.html).toContain('<h1>Sign in to pay Demo Store</h1>');
    expect(page.html).toContain('<legend>Test buyer</legend>');
    expect(page.html).toContain('<label for="name">Name</label>');
    expect(page.html).toContain('<label for="email">Email address</label>');
    expect(inputValue(page.html, 'name')).toBe('Test Buyer');
    expect(inputValue(page.html, 'email')).toBe('test.buyer@example.com');
    expect(page.html).toContain(`<input type="hidden" name="amazonCheckoutSessionId" value="${id}">`);
    expect(page.html).toContain('<button type="submit" class="primary" name="action" value="continue">Continue</button>');
    expect(page.html).toContain('value="cancel" formnovalidate>Cancel</button>');
    // Nothing to fetch: no script, no stylesheet or image file, an empty data: icon (no /favicon.ico request).
    expect(page.html).not.toMatch(/<script|<img|src=|rel="stylesheet"/i);
    expect(page.html).toContain('<link rel="icon" href="data:,">');
  });

  it('says "the merchant" when the session names no store', async () => {
    const id = await createSession(t, { merchantMetadata: { merchantReferenceId: 'order-2' } });
    const page = await openPage(t, `/checkout/signin?amazonCheckoutSessionId=${id}`);
    expect(page.html).toContain('<h1>Sign in to pay the merchant</h1>');
  });

  it('escapes merchant-provided strings', async () => {
    const id = await createSession(t, { merchantMetadata: { merchantStoreName: hostile } });
    const page = await openPage(t, `/checkout/signin?amazonCheckoutSessionId=${id}`);
    expect(page.status).toBe(200);
    expect(page.html).toContain(`<h1>Sign in to pay ${escapedHostile}</h1>`);
    expect(page.html).not.toContain('<script');
  });

  it('attaches the buyer as entered and sends the browser to the review URL with the session id', async () => {
    const id = await createSession(t);
    const res = await signIn(id);
    expect(res.status).toBe(303);
    expect(res.location).toBe(`${REVIEW}?amazonCheckoutSessionId=${id}`);
    const session = await getSession(t, id);
    expect(session.statusDetails.state).toBe('Open');
    expect(session.buyer).toMatchObject({ name: 'Ada Lovelace', email: 'ada@example.com', buyerId: expect.stringMatching(/^amzn1\.account\./) });
    expect(session.shippingAddress).toMatchObject({ addressLine1: '410 Terry Ave N', countryCode: 'US' });
    expect(session.constraints).toEqual([]);
    expect(session.webCheckoutDetails.amazonPayRedirectUrl).toMatch(new RegExp(`/checkout/processing\\?amazonCheckoutSessionId=${id}$`));
  });

  it('keeps the query string of a review URL that has one', async () => {
    const id = await createSession(t, { webCheckoutDetails: { checkoutReviewReturnUrl: `${REVIEW}?step=2&lang=en%2DUS`, checkoutResultReturnUrl: RESULT } });
    const res = await signIn(id);
    expect(res.location).toBe(`${REVIEW}?step=2&lang=en%2DUS&amazonCheckoutSessionId=${id}`);
  });

  it('answers an empty name or a bad email with the form again (400), messages linked to the fields', async () => {
    const id = await createSession(t);
    const res = await signIn(id, { name: '  ', email: 'not-an-email' });
    expect(res.status).toBe(400);
    expect(res.html).toContain('role="alert"');
    expect(res.html).toContain('<a href="#name">Enter the buyer’s name.</a>');
    expect(res.html).toMatch(/id="email"[^>]*aria-invalid="true" aria-describedby="email-error"/);
    expect(inputValue(res.html, 'email')).toBe('not-an-email');
    expect((await getSession(t, id)).buyer).toBeNull();
  });

  it('cancels to the cancel URL, leaving the session Canceled/BuyerCanceled', async () => {
    const id = await createSession(t, { webCheckoutDetails: { checkoutReviewReturnUrl: REVIEW, checkoutResultReturnUrl: RESULT, checkoutCancelUrl: 'https://merchant.example/cart#top' } });
    const res = await submit(t, '/checkout/signin', { amazonCheckoutSessionId: id, name: '', email: '', action: 'cancel' });
    expect(res.status).toBe(303);
    expect(res.location).toBe(`https://merchant.example/cart?amazonCheckoutSessionId=${id}#top`);
    expect((await getSession(t, id)).statusDetails).toMatchObject({ state: 'Canceled', reasonCode: 'BuyerCanceled' });
    expect((await complete(t, id)).body.reasonCode).toBe('CheckoutSessionCanceled');
  });

  it('cancels to the review URL when the session has no cancel URL', async () => {
    const id = await createSession(t);
    const res = await submit(t, '/checkout/signin', { amazonCheckoutSessionId: id, action: 'cancel' });
    expect(res.location).toBe(`${REVIEW}?amazonCheckoutSessionId=${id}`);
  });

  it('in ProcessOrder mode keeps the merchant\'s address and goes straight on to the payment page', async () => {
    const id = await createSession(t, {
      webCheckoutDetails: { checkoutMode: 'ProcessOrder', checkoutResultReturnUrl: RESULT },
      addressDetails: { name: 'Grace Hopper', addressLine1: '1 Navy Way', city: 'Arlington', stateOrRegion: 'VA', postalCode: '22202', countryCode: 'US' },
    });
    const res = await signIn(id);
    expect(res.status).toBe(303);
    expect(res.location).toMatch(new RegExp(`/checkout/processing\\?amazonCheckoutSessionId=${id}$`));
    expect((await getSession(t, id)).shippingAddress).toMatchObject({ name: 'Grace Hopper', addressLine1: '1 Navy Way' });
  });
});

describe('payment page', () => {
  /** A session whose buyer has signed in, as after the review step. */
  async function reviewedSession(overrides: Record<string, unknown> = {}) {
    const id = await createSession(t, overrides);
    expect((await signIn(id)).status).toBe(303);
    return id;
  }

  it('shows the order, the buyer, the address and every simulated card, 1111 chosen', async () => {
    const id = await reviewedSession({ merchantMetadata: { merchantStoreName: 'Demo Store', merchantReferenceId: 'order-77', noteToBuyer: 'Thanks!' } });
    const page = await openPage(t, `/checkout/processing?amazonCheckoutSessionId=${id}`);
    expect(page.status).toBe(200);
    expect(page.html).toContain('<h1>Pay Demo Store</h1>');
    expect(page.html).toContain('<dt>Amount</dt><dd>$50.00 (USD)</dd>');
    expect(page.html).toContain('<dd>order-77</dd>');
    expect(page.html).toContain('<dd>Thanks!</dd>');
    expect(page.html).toContain('<p>Ada Lovelace (ada@example.com)</p>');
    expect(page.html).toContain('<address>Test Buyer<br>410 Terry Ave N<br>Seattle, WA 98109<br>US</address>');
    expect(page.html).toContain('<legend>Payment method</legend>');
    for (const card of ['1111', '0005', '4444', '9424', '0000', '3064', '3434', '0701', '4354']) {
      expect(page.html).toContain(`<label class="card" for="card-${card}"><input type="radio" name="card" id="card-${card}" value="${card}"`);
    }
    expect(page.html).toContain('id="card-1111" value="1111" checked>');
    // The default first, then the other approvals, then the cards that cancel, then the pending ones.
    const at = (card: string) => page.html.indexOf(`id="card-${card}"`);
    expect(at('1111')).toBeLessThan(at('0005'));
    expect(at('0005')).toBeLessThan(at('3064'));
    expect(at('3434')).toBeLessThan(at('0701'));
    expect(page.html.match(/ checked>/g)).toHaveLength(1);
    expect(page.html).toContain('<strong>Visa •••• 1111</strong> <span class="effect">Approved: the payment goes through</span>');
    expect(page.html).toContain('<strong>Amex •••• 0005</strong>');
    expect(page.html).toContain('Declined: the checkout is canceled (Declined) when you return');
    expect(page.html).toContain('Pending, then authorized; needs canHandlePendingAuthorization');
    expect(page.html).toContain('Pending, then declined (HardDeclined); needs canHandlePendingAuthorization');
    expect(page.html).toContain('value="pay">Pay now</button>');
    expect(page.html).toContain('value="cancel">Cancel</button>');
  });

  it('escapes merchant-provided strings', async () => {
    const id = await reviewedSession({ merchantMetadata: { merchantStoreName: hostile, merchantReferenceId: '"><img src=x onerror=alert(1)>', noteToBuyer: '<b>bold</b>' } });
    const page = await openPage(t, `/checkout/processing?amazonCheckoutSessionId=${id}`);
    expect(page.status).toBe(200);
    expect(page.html).toContain(`<h1>Pay ${escapedHostile}</h1>`);
    expect(page.html).toContain('<dd>&quot;&gt;&lt;img src=x onerror=alert(1)&gt;</dd>');
    expect(page.html).toContain('<dd>&lt;b&gt;bold&lt;/b&gt;</dd>');
    expect(page.html).not.toMatch(/<script|<img|<b>/);
  });

  it('escapes the buyer\'s own name and email', async () => {
    const id = await createSession(t);
    await signIn(id, { name: '<i>Eve</i>', email: 'eve+"x"@example.com' });
    const page = await openPage(t, `/checkout/processing?amazonCheckoutSessionId=${id}`);
    expect(page.html).toContain('<p>&lt;i&gt;Eve&lt;/i&gt; (eve+&quot;x&quot;@example.com)</p>');
  });

  it('pays with 1111: back to the result URL, and Complete answers 200 with an Authorized charge', async () => {
    const id = await reviewedSession();
    const res = await pay(id, '1111');
    expect(res.status).toBe(303);
    expect(res.location).toBe(`${RESULT}?amazonCheckoutSessionId=${id}`);
    expect((await getSession(t, id)).paymentPreferences).toEqual([{ paymentDescriptor: 'Visa ****1111 (Amazon Pay)' }]);
    const done = await complete(t, id);
    expect(done.status).toBe(200);
    expect(done.body.statusDetails.state).toBe('Completed');
    const charge = (await t.call('GET', `/v2/charges/${done.body.chargeId}`)).body;
    expect(charge.statusDetails.state).toBe('Authorized');
  });

  it('with 3064 the session is Canceled/BuyerCanceled on return and Complete answers 422 CheckoutSessionCanceled', async () => {
    const id = await reviewedSession();
    const res = await pay(id, '3064');
    expect(res.location).toBe(`${RESULT}?amazonCheckoutSessionId=${id}`);
    expect((await getSession(t, id)).statusDetails).toMatchObject({ state: 'Canceled', reasonCode: 'BuyerCanceled' });
    const done = await complete(t, id);
    expect(done.status).toBe(422);
    expect(done.body.reasonCode).toBe('CheckoutSessionCanceled');
  });

  it('with 3434 the session is Canceled/Declined on return', async () => {
    const id = await reviewedSession();
    expect((await pay(id, '3434')).location).toBe(`${RESULT}?amazonCheckoutSessionId=${id}`);
    expect((await getSession(t, id)).statusDetails).toMatchObject({ state: 'Canceled', reasonCode: 'Declined' });
    expect((await complete(t, id)).status).toBe(422);
  });

  it('with 0701 and canHandlePendingAuthorization, Complete answers 202 with a pending charge', async () => {
    const id = await reviewedSession({ paymentDetails: { paymentIntent: 'Authorize', canHandlePendingAuthorization: true, chargeAmount: usd('50.00') } });
    expect((await pay(id, '0701')).status).toBe(303);
    const done = await complete(t, id);
    expect(done.status).toBe(202);
    const charge = (await t.call('GET', `/v2/charges/${done.body.chargeId}`)).body;
    expect(charge.statusDetails.state).toBe('AuthorizationInitiated');
  });

  it('signs in the test buyer first when the browser arrives without the sign-in step', async () => {
    const id = await createSession(t);
    const page = await openPage(t, `/checkout/processing?amazonCheckoutSessionId=${id}`);
    expect(page.status).toBe(200);
    expect(page.html).toContain('<p>Test Buyer (test.buyer@example.com)</p>');
    expect((await pay(id, '4444')).location).toBe(`${RESULT}?amazonCheckoutSessionId=${id}`);
    const session = await getSession(t, id);
    expect(session.buyer).toMatchObject({ name: 'Test Buyer' });
    expect(session.paymentPreferences).toEqual([{ paymentDescriptor: 'MasterCard ****4444 (Amazon Pay)' }]);
    expect((await complete(t, id)).status).toBe(200);
  });

  it('cancels to the cancel URL, or to the result URL when there is none', async () => {
    const withCancel = await reviewedSession({ webCheckoutDetails: { checkoutReviewReturnUrl: REVIEW, checkoutResultReturnUrl: RESULT, checkoutCancelUrl: 'https://merchant.example/cancel?why=buyer' } });
    const res = await submit(t, '/checkout/processing', { amazonCheckoutSessionId: withCancel, card: '1111', action: 'cancel' });
    expect(res.status).toBe(303);
    expect(res.location).toBe(`https://merchant.example/cancel?why=buyer&amazonCheckoutSessionId=${withCancel}`);
    expect((await getSession(t, withCancel)).statusDetails).toMatchObject({ state: 'Canceled', reasonCode: 'BuyerCanceled' });

    const without = await reviewedSession();
    expect((await submit(t, '/checkout/processing', { amazonCheckoutSessionId: without, action: 'cancel' })).location).toBe(`${RESULT}?amazonCheckoutSessionId=${without}`);
  });

  it('answers an unknown or missing card with the page again (400) and leaves the session alone', async () => {
    const id = await reviewedSession();
    for (const fields of [{ card: '1234' }, {}] as Record<string, string>[]) {
      const res = await submit(t, '/checkout/processing', { amazonCheckoutSessionId: id, action: 'pay', ...fields });
      expect(res.status).toBe(400);
      expect(res.html).toContain('role="alert"');
      expect(res.html).toContain('<legend>Payment method</legend>');
    }
    expect((await getSession(t, id)).statusDetails.state).toBe('Open');
  });

  it('refuses with 409 while the merchant has not set the amount and intent, naming what is missing', async () => {
    const id = await createSession(t, { paymentDetails: null });
    const page = await openPage(t, `/checkout/processing?amazonCheckoutSessionId=${id}`);
    expect(page.status).toBe(409);
    expect(page.html).toContain('This checkout is not ready for payment');
    expect(page.html).toContain('<strong>ChargeAmountNotSet</strong>');
    expect(page.html).toContain('<strong>PaymentIntentNotSet</strong>');
    expect(page.html).not.toContain('BuyerNotAssociated');
    expect((await pay(id, '1111')).status).toBe(409);
    expect((await getSession(t, id)).buyer).toBeNull();
  });
});

describe('errors are HTML pages', () => {
  const unknown = '0a1b2c3d-0000-4000-8000-000000000000';

  it.each(['/checkout/signin', '/checkout/processing'])('%s: an unknown session is a 404 page', async (path) => {
    const page = await openPage(t, `${path}?amazonCheckoutSessionId=${unknown}`);
    expect(page.status).toBe(404);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page.html).toContain('<h1>Checkout session not found</h1>');
    expect(page.html).toContain(`<code>${unknown}</code>`);
    const posted = await submit(t, path, { amazonCheckoutSessionId: unknown });
    expect(posted.status).toBe(404);
  });

  it('escapes the id it could not find', async () => {
    const page = await openPage(t, `/checkout/signin?amazonCheckoutSessionId=${encodeURIComponent(hostile)}`);
    expect(page.status).toBe(404);
    expect(page.html).toContain(`<code>${escapedHostile}</code>`);
    expect(page.html).not.toContain('<script');
  });

  it('a Completed session is a 409 page with its state and a link back to the merchant', async () => {
    const id = await createSession(t, { webCheckoutDetails: { checkoutReviewReturnUrl: REVIEW, checkoutResultReturnUrl: `${RESULT}?a="b"` } });
    await signIn(id);
    await pay(id, '1111');
    expect((await complete(t, id)).status).toBe(200);
    for (const path of ['/checkout/signin', '/checkout/processing']) {
      const page = await openPage(t, `${path}?amazonCheckoutSessionId=${id}`);
      expect(page.status).toBe(409);
      expect(page.html).toContain('<h1>This checkout is already Completed</h1>');
      expect(page.html).toContain(`<a href="${RESULT}?a=&quot;b&quot;&amp;amazonCheckoutSessionId=${id}">Return to Demo Store</a>`);
    }
    expect((await pay(id, '1111')).status).toBe(409);
    expect((await signIn(id)).status).toBe(409);
  });

  it('a Canceled session is a 409 page with its reason, linking to the cancel URL', async () => {
    const id = await createSession(t, { webCheckoutDetails: { checkoutReviewReturnUrl: REVIEW, checkoutResultReturnUrl: RESULT, checkoutCancelUrl: 'https://merchant.example/cancel' } });
    await submit(t, '/checkout/signin', { amazonCheckoutSessionId: id, action: 'cancel' });
    const page = await openPage(t, `/checkout/processing?amazonCheckoutSessionId=${id}`);
    expect(page.status).toBe(409);
    expect(page.html).toContain('<h1>This checkout is already Canceled</h1>');
    expect(page.html).toContain('(reason: BuyerCanceled – The buyer canceled the checkout.)');
    expect(page.html).toContain(`href="https://merchant.example/cancel?amazonCheckoutSessionId=${id}"`);
  });

  it.each([
    ['/checkout/signin', ''],
    ['/checkout/signin', '?amazonCheckoutSessionId='],
    ['/checkout/processing', '?amazonCheckoutSessionId=a&amazonCheckoutSessionId=b'],
  ])('%s%s: a missing or repeated id is a 400 page', async (path, query) => {
    const page = await openPage(t, `${path}${query}`);
    expect(page.status).toBe(400);
    expect(page.html).toContain('<h1>This checkout request is not valid</h1>');
  });

  it('refuses malformed form bodies with a 400 page and changes nothing', async () => {
    const id = await createSession(t);
    const cases: [string | Buffer, string][] = [
      [`amazonCheckoutSessionId=${id}&name=%ZZ&action=continue`, 'application/x-www-form-urlencoded'],
      [Buffer.concat([Buffer.from(`amazonCheckoutSessionId=${id}&name=`), Buffer.from([0xff, 0xfe])]), 'application/x-www-form-urlencoded'],
      [`amazonCheckoutSessionId=${id}&amazonCheckoutSessionId=${id}`, 'application/x-www-form-urlencoded'],
      [`amazonCheckoutSessionId=${id}&action=delete`, 'application/x-www-form-urlencoded'],
      [`amazonCheckoutSessionId=${id}`, 'application/x-www-form-urlencoded; charset=iso-8859-1'],
      [JSON.stringify({ amazonCheckoutSessionId: id }), 'application/json'],
      ['name=x&action=continue', 'application/x-www-form-urlencoded'],
    ];
    for (const [body, type] of cases) {
      const res = await postRaw(t, '/checkout/signin', body, type);
      expect(res.status, String(body)).toBe(400);
      expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(res.html).toContain('<h1>This checkout request is not valid</h1>');
    }
    const session = await getSession(t, id);
    expect(session.buyer).toBeNull();
    expect(session.statusDetails.state).toBe('Open');
  });

  it('answers a body over the size limit with an HTML page, not JSON', async () => {
    const small = await testApp({ buyerApproval: 'manual', bodyLimit: 64 });
    try {
      const res = await postRaw(small, '/checkout/signin', `amazonCheckoutSessionId=${'x'.repeat(200)}`);
      expect(res.status).toBe(413);
      expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    } finally {
      await small.close();
    }
  });
});

describe.skipIf(!hasFullDisk)('pages on a store that cannot write (a full disk)', () => {
  const temp = tempDirs();
  afterAll(() => temp.cleanup());

  it('answers the buyer\'s step with a 503 page (the store is unavailable, nothing changed), not a 500, and works once the disk has room', async () => {
    const file = path.join(await temp.make(), 'db.json');
    const store = new FileStore(file);
    const full = await testApp({ buyerApproval: 'manual' }, { store });
    try {
      const id = await createSession(full);
      const fullLog = await fillTheDisk(store, file);
      const form = { amazonCheckoutSessionId: id, name: 'Ada Lovelace', email: 'ada@example.com', action: 'continue' };
      const refused = await submit(full, '/checkout/signin', form);
      expect(refused.status).toBe(503);
      expect(refused.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(refused.html).toContain('ServiceUnavailable');
      expect((await getSession(full, id)).buyer).toBeNull();
      await rm(fullLog);
      expect((await submit(full, '/checkout/signin', form)).status).toBe(303);
    } finally {
      await rm(`${file}.2.log`, { force: true });
      await full.close();
    }
  });
});

describe('sessions of any merchant, on that merchant\'s clock', () => {
  it('finds another merchant\'s session, and shows it expired once that merchant\'s clock passes 24 hours', async () => {
    const other = 'SANDBOX-PAGESTESTMERCHANT0001';
    const publicKey = readFileSync(packagePath('fixtures/keys/AMZNPAYMOCKDEMO000000001.pem'), 'utf8');
    expect((await t.raw({ method: 'POST', url: '/__admin/publicKeys', payload: { publicKeyId: other, publicKey } })).status).toBe(201);
    const id = await createSession(t, {}, { publicKeyId: other });
    expect((await openPage(t, `/checkout/signin?amazonCheckoutSessionId=${id}`)).status).toBe(200);

    await t.raw({ method: 'POST', url: '/__admin/clock?merchant=PAGESTESTMERCHANT0001', payload: { advanceSeconds: 25 * 3600 } });
    const page = await openPage(t, `/checkout/signin?amazonCheckoutSessionId=${id}`);
    expect(page.status).toBe(409);
    expect(page.html).toContain('<h1>This checkout is already Canceled</h1>');
    expect(page.html).toContain('reason: Expired');
    // The demo merchant's clock did not move: its sessions are still open.
    const mine = await createSession(t);
    expect((await openPage(t, `/checkout/signin?amazonCheckoutSessionId=${mine}`)).status).toBe(200);
  });
});

describe('a store that cannot write', () => {
  /** A memory store whose writes fail as a full disk's do, when told to. */
  class FullDiskStore extends MemoryStore {
    full = false;
    override commit(ns: string, puts: readonly Put[]): Promise<void> {
      return this.full ? Promise.reject(new StoreUnavailableError('ENOSPC: no space left on device')) : super.commit(ns, puts);
    }
  }

  it('answers the buyer 503 (retry later, nothing changed) as the API does, not a 500', async () => {
    const store = new FullDiskStore();
    const full = await testApp({ buyerApproval: 'manual' }, { store });
    try {
      const id = await createSession(full);
      store.full = true;
      const signIn = await submit(full, '/checkout/signin', { amazonCheckoutSessionId: id, name: 'Ada Lovelace', email: 'ada@example.com', action: 'continue' });
      expect(signIn.status).toBe(503);
      expect(signIn.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(signIn.html).toContain('nothing was changed');
      const cancel = await submit(full, '/checkout/processing', { amazonCheckoutSessionId: id, action: 'cancel' });
      expect(cancel.status).toBe(503);
      store.full = false;
      expect((await getSession(full, id)).statusDetails.state).toBe('Open');
    } finally {
      await full.close();
    }
  });
});
