import type { LightMyRequestResponse } from 'fastify';
import { describe, expect, it } from 'vitest';
import { buildApp } from '../../server/app.js';
import { simulatedCards } from '../../server/domain/cards.js';
import { MemoryStore } from '../../server/store/memoryStore.js';
import { StoreUnavailableError } from '../../server/store/errors.js';
import type { Put } from '../../server/store/store.js';
import { demoKeyIds, demoPrivateKey } from '../helpers/demoKeys.js';
import { AmazonPay } from '../helpers/runningServer.js';
import { testConfig } from '../helpers/testApp.js';
import { deref, documentedOperations, operationById, component, type Json } from '../helpers/openapiDocument.js';
import { useDocumentedApp, checker, storeId, sessionBody, send, usd, expectDocumented } from './documentedApp.js';

useDocumentedApp();

/**
 * Checks page answers of one openapi.yaml tag: `page` expects a status, checks the answer against
 * the document and notes it; `expectEveryStatusSeen` then requires every documented status but 500
 * (a crash) and 503 (a store that cannot write: the last test) to have been produced.
 */
function pageChecks(tag: string) {
  const seen = new Map<string, Set<string>>();
  return {
    async page(operationId: string, res: LightMyRequestResponse, status: number) {
      expect(res.statusCode, `${operationId}: ${res.payload.slice(0, 300)}`).toBe(status);
      seen.set(operationId, (seen.get(operationId) ?? new Set()).add(String(status)));
      await expectDocumented(operationId, res);
      return res;
    },
    expectEveryStatusSeen() {
      for (const { operation } of documentedOperations().filter((o) => o.operation.tags.includes(tag))) {
        const documented = Object.keys(operation.responses).filter((s) => s !== '500' && s !== '503').sort();
        expect([...(seen.get(operation.operationId) ?? [])].sort(), operation.operationId).toEqual(documented);
      }
    },
  };
}

describe('openapi.yaml: the hosted pages and the button pages', () => {
  it('serves the hosted pages as documented', async () => {
    const pages = await buildApp(testConfig({ signature: 'off', buyerApproval: 'manual' }), { store: new MemoryStore() });
    const { page, expectEveryStatusSeen } = pageChecks('Hosted pages');
    const get = (url: string) => pages.inject({ method: 'GET', url });
    const post = (url: string, fields: Record<string, string> | string, contentType = 'application/x-www-form-urlencoded') =>
      pages.inject({ method: 'POST', url, payload: typeof fields === 'string' ? fields : new URLSearchParams(fields).toString(), headers: { 'content-type': contentType } });
    const create = async (body: Json = sessionBody()) => {
      const res = await send(pages, 'POST', '/sandbox/v2/checkoutSessions', body);
      expect(res.statusCode, res.payload).toBe(201);
      return res.json().checkoutSessionId as string;
    };
    const stateOf = async (id: string) => (await send(pages, 'GET', `/sandbox/v2/checkoutSessions/${id}`)).json();
    /** The fields a page's form posts: every named control, and the values of the radio buttons and submit buttons. */
    const formOf = (html: string) => ({
      action: /<form method="post" action="([^"]+)">/.exec(html)?.[1],
      names: [...new Set([...html.matchAll(/<(?:input|button|select|textarea)\b[^>]*\sname="([^"]+)"/g)].map((m) => m[1]))].sort(),
      values: (name: string) => [...html.matchAll(new RegExp(`<(?:input|button)\\b[^>]*\\sname="${name}"[^>]*\\svalue="([^"]*)"`, 'g'))].map((m) => m[1]).sort(),
    });
    const formSchema = (name: string) => deref(component(name));
    const endpointOf = (id: string) => operationById(id).path;
    try {
      // Sign in: the page, a refused form, then back to the review URL.
      const id = await create();
      expect((await stateOf(id)).webCheckoutDetails.amazonPayRedirectUrl).toBeNull();
      const signin = await page('getSigninPage', await get(`/checkout/signin?amazonCheckoutSessionId=${id}`), 200);
      const signinForm = formOf(signin.payload);
      expect(signinForm.action).toBe(endpointOf('submitSignin'));
      expect(signinForm.names).toEqual(Object.keys(formSchema('SigninForm').properties).sort());
      expect(signinForm.values('action')).toEqual([...formSchema('SigninForm').properties.action.enum].sort());
      expect(deref(operationById('submitSignin').operation.requestBody).content['application/x-www-form-urlencoded'].schema).toEqual(component('SigninForm'));
      const signinFields = { amazonCheckoutSessionId: id, name: 'Erika Mustermann', email: 'erika@example.com', action: 'continue' };
      expect(await checker.check(component('SigninForm'), signinFields)).toBeNull();
      expect(await checker.check(component('SigninForm'), { ...signinFields, name: 'n'.repeat(51) })).not.toBeNull();
      expect(await checker.check(component('SigninForm'), { name: 'Erika' })).not.toBeNull();
      const refusedSignin = await page('submitSignin', await post('/checkout/signin', { ...signinFields, email: 'erika' }), 400);
      expect(refusedSignin.payload).toContain('There is a problem');
      await page('submitSignin', await post('/checkout/signin', { ...signinFields, name: 'n'.repeat(51) }), 400);
      const signedIn = await page('submitSignin', await post('/checkout/signin', signinFields), 303);
      expect(signedIn.headers.location).toBe(`https://merchant.example/review?amazonCheckoutSessionId=${id}`);
      const afterSignin = await stateOf(id);
      expect(afterSignin.buyer).toMatchObject({ name: 'Erika Mustermann', email: 'erika@example.com' });

      // Pay: the page behind amazonPayRedirectUrl, refused cards, then back to the result URL.
      const redirect = new URL(afterSignin.webCheckoutDetails.amazonPayRedirectUrl);
      expect(redirect.pathname).toBe(endpointOf('getPaymentPage'));
      expect(redirect.searchParams.get('amazonCheckoutSessionId')).toBe(id);
      const payment = await page('getPaymentPage', await get(`${redirect.pathname}${redirect.search}`), 200);
      const paymentForm = formOf(payment.payload);
      expect(paymentForm.action).toBe(endpointOf('submitPayment'));
      expect(paymentForm.names).toEqual(Object.keys(formSchema('PaymentForm').properties).sort());
      expect(paymentForm.values('card')).toEqual([...formSchema('PaymentForm').properties.card.enum].sort());
      expect(paymentForm.values('card')).toEqual(Object.keys(simulatedCards).sort());
      expect(paymentForm.values('action')).toEqual([...formSchema('PaymentForm').properties.action.enum].sort());
      expect(deref(operationById('submitPayment').operation.requestBody).content['application/x-www-form-urlencoded'].schema).toEqual(component('PaymentForm'));
      const payFields = { amazonCheckoutSessionId: id, card: '0005', action: 'pay' };
      expect(await checker.check(component('PaymentForm'), payFields)).toBeNull();
      expect(await checker.check(component('PaymentForm'), { ...payFields, card: '9999' })).not.toBeNull();
      await page('submitPayment', await post('/checkout/processing', { amazonCheckoutSessionId: id }), 400);
      await page('submitPayment', await post('/checkout/processing', { ...payFields, card: '9999' }), 400);
      const paid = await page('submitPayment', await post('/checkout/processing', payFields), 303);
      expect(paid.headers.location).toBe(`https://merchant.example/result?amazonCheckoutSessionId=${id}`);
      expect((await stateOf(id)).paymentPreferences[0].paymentDescriptor).toContain('0005');

      // Completed: every page refuses it with 409.
      const completed = await send(pages, 'POST', `/sandbox/v2/checkoutSessions/${id}/complete`, { chargeAmount: usd('50.00') });
      expect(completed.statusCode, completed.payload).toBe(200);
      await page('getSigninPage', await get(`/checkout/signin?amazonCheckoutSessionId=${id}`), 409);
      await page('getPaymentPage', await get(`/checkout/processing?amazonCheckoutSessionId=${id}`), 409);
      await page('submitSignin', await post('/checkout/signin', signinFields), 409);
      await page('submitPayment', await post('/checkout/processing', payFields), 409);

      // Cancel, from either page: the cancel URL (its own query kept), the session Canceled.
      const withCancel = { ...sessionBody(), webCheckoutDetails: { ...sessionBody().webCheckoutDetails, checkoutCancelUrl: 'https://merchant.example/cancel?from=amazon' } };
      for (const [operationId, url] of [['submitSignin', '/checkout/signin'], ['submitPayment', '/checkout/processing']] as const) {
        const cancelId = await create(withCancel);
        const canceled = await page(operationId, await post(url, { amazonCheckoutSessionId: cancelId, action: 'cancel' }), 303);
        expect(canceled.headers.location).toBe(`https://merchant.example/cancel?from=amazon&amazonCheckoutSessionId=${cancelId}`);
        expect((await stateOf(cancelId)).statusDetails).toMatchObject({ state: 'Canceled', reasonCode: 'BuyerCanceled' });
      }

      // Not ready for payment (no amount yet): 409, while signing in still works.
      const unpriced = await create({ ...sessionBody(), paymentDetails: { paymentIntent: 'Authorize' } });
      await page('getPaymentPage', await get(`/checkout/processing?amazonCheckoutSessionId=${unpriced}`), 409);
      await page('submitPayment', await post('/checkout/processing', { amazonCheckoutSessionId: unpriced, card: '1111' }), 409);
      await page('getSigninPage', await get(`/checkout/signin?amazonCheckoutSessionId=${unpriced}`), 200);

      // Requests that cannot be read, and sessions nobody has.
      const open = await create();
      for (const operationId of ['getSigninPage', 'getPaymentPage']) {
        const path = endpointOf(operationId);
        await page(operationId, await get(path), 400);
        await page(operationId, await get(`${path}?amazonCheckoutSessionId=%20`), 400);
        await page(operationId, await get(`${path}?amazonCheckoutSessionId=${open}&amazonCheckoutSessionId=${open}`), 400);
        await page(operationId, await get(`${path}?amazonCheckoutSessionId=no-such-session`), 404);
      }
      for (const operationId of ['submitSignin', 'submitPayment']) {
        const path = endpointOf(operationId);
        await page(operationId, await post(path, JSON.stringify({ amazonCheckoutSessionId: open }), 'application/json'), 400);
        await page(operationId, await post(path, { amazonCheckoutSessionId: open }, 'application/x-www-form-urlencoded; charset=iso-8859-1'), 400);
        await page(operationId, await post(path, `amazonCheckoutSessionId=${open}&amazonCheckoutSessionId=${open}`), 400);
        await page(operationId, await post(path, `amazonCheckoutSessionId=${open}&name=%zz`), 400);
        await page(operationId, await post(path, { amazonCheckoutSessionId: open, action: 'later' }), 400);
        await page(operationId, await post(path, { action: 'cancel' }), 400);
        await page(operationId, await post(path, { amazonCheckoutSessionId: 'no-such-session', action: 'cancel' }), 404);
        await page(operationId, await post(path, `amazonCheckoutSessionId=${open}&name=${'x'.repeat(2_000_000)}`), 413);
      }
      expect((await stateOf(open)).statusDetails.state).toBe('Open');

      expectEveryStatusSeen();
    } finally {
      await pages.close();
    }
  });

  it('serves checkout.js and the button pages as documented', async () => {
    // Button signatures are verified even with --signature off; the API reads below rely on it being off.
    const pages = await buildApp(testConfig({ signature: 'off', buyerApproval: 'manual' }), { store: new MemoryStore() });
    const asDemo = { authorization: `AMZN-PAY-RSASSA-PSS PublicKeyId=${demoKeyIds.sandbox}, SignedHeaders=x-amz-pay-date, Signature=x` };
    const { page, expectEveryStatusSeen } = pageChecks('Buttons');
    const form = (url: string, fields: Record<string, string>) =>
      pages.inject({ method: 'POST', url, payload: new URLSearchParams(fields).toString(), headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    const signed = (payload: unknown, algorithm = 'AMZN-PAY-RSASSA-PSS-V2') => {
      const payloadJSON = JSON.stringify(payload);
      const client = new AmazonPay.WebStoreClient({ publicKeyId: demoKeyIds.sandbox, privateKey: demoPrivateKey, region: 'us', sandbox: true, algorithm });
      return { payloadJSON, signature: client.generateButtonSignature(payloadJSON), publicKeyId: demoKeyIds.sandbox, algorithm, ledgerCurrency: 'USD' };
    };
    const checkout = { storeId, webCheckoutDetails: { checkoutReviewReturnUrl: 'https://merchant.example/review' } };
    try {
      // The script answers on any host, so a proxy can serve it as static-na.payments-amazon.com.
      const script = await page('getCheckoutScript', await pages.inject({ method: 'GET', url: '/checkout.js', headers: { host: 'static-na.payments-amazon.com' } }), 200);
      expect(script.payload).toContain('amazon.Pay');

      const started = await page('startCheckoutFromButton', await form('/checkout/start', signed(checkout)), 303);
      const id = new URL(started.headers.location as string, 'https://x').searchParams.get('amazonCheckoutSessionId')!;
      expect((await send(pages, 'GET', `/v2/checkoutSessions/${id}`, undefined, asDemo)).json()).toMatchObject({ productType: 'PayAndShip', buyer: null, statusDetails: { state: 'Open' } });
      await page('startCheckoutFromButton', await form('/checkout/start', { ...signed(checkout), payloadJSON: JSON.stringify({ ...checkout, storeId: 'x' }) }), 403);
      await page('startCheckoutFromButton', await form('/checkout/start', { ...signed(checkout), publicKeyId: 'SANDBOX-UNKNOWN' }), 401);
      // Signed correctly, but Create Checkout Session would refuse it: the same reason code.
      const invalid = await page('startCheckoutFromButton', await form('/checkout/start', signed({ storeId })), 400);
      expect(invalid.payload).toContain('MissingParameterValue');
      await page('startCheckoutFromButton', await form('/checkout/start', { ...signed(checkout), productType: 'SignIn' }), 400);
      await page('startCheckoutFromButton', await pages.inject({ method: 'POST', url: '/checkout/start', payload: `payloadJSON=${'x'.repeat(2_000_000)}`, headers: { 'content-type': 'application/x-www-form-urlencoded' } }), 413);

      const signIn = signed({ signInReturnUrl: 'https://merchant.example/signed-in', storeId, signInScopes: ['name', 'email'] });
      await page('amazonSignin', await form('/checkout/amazon-signin', signIn), 200);
      await page('amazonSignin', await form('/checkout/amazon-signin', { ...signIn, action: 'continue', name: '', email: 'x@example.com' }), 400);
      const back = await page('amazonSignin', await form('/checkout/amazon-signin', { ...signIn, action: 'continue', name: 'Sam', email: 'sam@example.com' }), 303);
      const token = new URL(back.headers.location as string).searchParams.get('buyerToken')!;
      expect((await send(pages, 'GET', `/v2/buyers/${token}`, undefined, asDemo)).json()).toMatchObject({ name: 'Sam', email: 'sam@example.com', postalCode: null, shippingAddress: null });
      await page('amazonSignin', await form('/checkout/amazon-signin', { ...signIn, signature: signIn.signature.replace(/^./, (c: string) => (c === 'A' ? 'B' : 'A')) }), 403);
      await page('amazonSignin', await form('/checkout/amazon-signin', { ...signIn, publicKeyId: 'SANDBOX-UNKNOWN' }), 401);
      await page('amazonSignin', await pages.inject({ method: 'POST', url: '/checkout/amazon-signin', payload: `payloadJSON=${'x'.repeat(2_000_000)}`, headers: { 'content-type': 'application/x-www-form-urlencoded' } }), 413);

      // Change actions need a signed-in buyer on an Open session.
      await page('getChangePage', await pages.inject({ method: 'GET', url: `/checkout/change?amazonCheckoutSessionId=${id}&changeAction=changeAddress` }), 409);
      await pages.inject({ method: 'POST', url: `/__admin/checkoutSessions/${id}/approve`, payload: '{}', headers: { 'content-type': 'application/json' } });
      await page('getChangePage', await pages.inject({ method: 'GET', url: `/checkout/change?amazonCheckoutSessionId=${id}&changeAction=changeAddress` }), 200);
      await page('getChangePage', await pages.inject({ method: 'GET', url: `/checkout/change?amazonCheckoutSessionId=${id}&changeAction=changePayment` }), 200);
      await page('getChangePage', await pages.inject({ method: 'GET', url: `/checkout/change?amazonCheckoutSessionId=${id}&changeAction=changeAll` }), 400);
      await page('getChangePage', await pages.inject({ method: 'GET', url: '/checkout/change?amazonCheckoutSessionId=nope&changeAction=changePayment' }), 404);
      const moved = await page('submitChange', await form('/checkout/change', { amazonCheckoutSessionId: id, changeAction: 'changeAddress', action: 'save', address: '1' }), 303);
      expect(moved.headers.location).toBe(`https://merchant.example/review?amazonCheckoutSessionId=${id}`);
      expect((await send(pages, 'GET', `/v2/checkoutSessions/${id}`, undefined, asDemo)).json().shippingAddress.addressLine1).toBe('2 Second Street');
      await page('submitChange', await form('/checkout/change', { amazonCheckoutSessionId: id, changeAction: 'changePayment', action: 'save', card: '9999' }), 400);
      await page('submitChange', await form('/checkout/change', { amazonCheckoutSessionId: 'nope', changeAction: 'changePayment', action: 'back' }), 404);
      await page('submitChange', await pages.inject({ method: 'POST', url: '/checkout/change', payload: `card=${'x'.repeat(2_000_000)}`, headers: { 'content-type': 'application/x-www-form-urlencoded' } }), 413);
      await page('submitChange', await form('/checkout/change', { amazonCheckoutSessionId: id, changeAction: 'changePayment', action: 'save', card: '3434' }), 303);
      await page('submitChange', await form('/checkout/change', { amazonCheckoutSessionId: id, changeAction: 'changePayment', action: 'back' }), 409);
      await page('getChangePage', await pages.inject({ method: 'GET', url: `/checkout/change?amazonCheckoutSessionId=${id}&changeAction=changePayment` }), 409);

      expectEveryStatusSeen();
    } finally {
      await pages.close();
    }
  });
  it('answers every page that writes 503 as documented when the store cannot write', async () => {
    /** A memory store whose writes fail as a full disk's do, once told to. */
    class FullDiskStore extends MemoryStore {
      full = false;
      override commit(ns: string, puts: readonly Put[]): Promise<void> {
        return this.full ? Promise.reject(new StoreUnavailableError('ENOSPC: no space left on device')) : super.commit(ns, puts);
      }
    }
    const store = new FullDiskStore();
    const pages = await buildApp(testConfig({ signature: 'off', buyerApproval: 'manual' }), { store });
    const form = (url: string, fields: Record<string, string>) =>
      pages.inject({ method: 'POST', url, payload: new URLSearchParams(fields).toString(), headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    const signed = (payload: unknown) => {
      const payloadJSON = JSON.stringify(payload);
      const client = new AmazonPay.WebStoreClient({ publicKeyId: demoKeyIds.sandbox, privateKey: demoPrivateKey, region: 'us', sandbox: true, algorithm: 'AMZN-PAY-RSASSA-PSS-V2' });
      return { payloadJSON, signature: client.generateButtonSignature(payloadJSON), publicKeyId: demoKeyIds.sandbox, algorithm: 'AMZN-PAY-RSASSA-PSS-V2', ledgerCurrency: 'USD' };
    };
    try {
      const created = await send(pages, 'POST', '/sandbox/v2/checkoutSessions', sessionBody());
      const id = created.json().checkoutSessionId as string;
      await pages.inject({ method: 'POST', url: `/__admin/checkoutSessions/${id}/approve`, payload: '{}', headers: { 'content-type': 'application/json' } });
      store.full = true;
      const writes: [string, Promise<LightMyRequestResponse>][] = [
        ['submitSignin', form('/checkout/signin', { amazonCheckoutSessionId: id, name: 'Ada', email: 'ada@example.com' })],
        ['submitPayment', form('/checkout/processing', { amazonCheckoutSessionId: id, card: '1111' })],
        ['submitChange', form('/checkout/change', { amazonCheckoutSessionId: id, changeAction: 'changePayment', action: 'save', card: '0005' })],
        ['startCheckoutFromButton', form('/checkout/start', signed({ storeId, webCheckoutDetails: { checkoutReviewReturnUrl: 'https://merchant.example/review' } }))],
        ['amazonSignin', form('/checkout/amazon-signin', { ...signed({ signInReturnUrl: 'https://merchant.example/signed-in', storeId }), action: 'continue', name: 'Sam', email: 'sam@example.com' })],
      ];
      for (const [operationId, answer] of writes) {
        const res = await answer;
        expect(res.statusCode, `${operationId}: ${res.payload.slice(0, 300)}`).toBe(503);
        await expectDocumented(operationId, res);
      }
    } finally {
      await pages.close();
    }
  });
});
