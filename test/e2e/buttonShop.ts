import { generateKeyPairSync } from 'node:crypto';
import http from 'node:http';
import { serveOnLoopback, type LoopbackSite } from './loopbackSite.js';
import { escapeHtml } from '../../server/html/html.js';
import { AmazonPay, type LiveServer } from '../helpers/runningServer.js';
import { demoKeyIds, demoPrivateKey } from '../helpers/demoKeys.js';
import { storeId } from '../helpers/testApp.js';

/**
 * A small shop the way Amazon's "Add the Amazon Pay button" pages build one: the server signs the
 * Create Checkout Session payload with the official Node SDK's generateButtonSignature, the page
 * loads checkout.js from the mock and calls amazon.Pay.renderButton; the review page updates the
 * session through the SDK and offers bindChangeAction; the result page completes it.
 *
 * GET /?button=<kind> picks the button: PayAndShip, PayOnly, SignIn, initCheckout, or a broken
 * one (tampered, wrongKey, otherSalt) for the error page.
 */

export const SHOP_NAME = 'Button Test Shop';
export const AMOUNT = { amount: '42.00', currencyCode: 'USD' };

export type ButtonKind = 'PayAndShip' | 'PayOnly' | 'SignIn' | 'initCheckout' | 'endpoint' | 'tampered' | 'wrongKey' | 'otherSalt' | 'DarkGray' | 'LightGray';

export type ButtonShop = LoopbackSite;


function page(title: string, body: string, head = ''): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title><link rel="icon" href="data:,">${head}</head><body><main>${body}</main></body></html>`;
}

/** A string safe inside a <script> block as a JS literal. */
const js = (value: unknown) => JSON.stringify(value).replace(/</g, '\\u003c');

export async function startButtonShop(live: LiveServer): Promise<ButtonShop> {
  const client = live.sdk();
  const mock = live.server.https!.url;
  const signer = (algorithm: string, privateKey = demoPrivateKey) =>
    new AmazonPay.WebStoreClient({ publicKeyId: demoKeyIds.sandbox, privateKey, region: 'us', sandbox: true, algorithm });
  const otherKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
  let base = '';

  function checkoutPayload(productType: 'PayAndShip' | 'PayOnly') {
    return JSON.stringify({
      storeId,
      webCheckoutDetails: { checkoutReviewReturnUrl: `${base}/review`, checkoutResultReturnUrl: `${base}/result`, checkoutCancelUrl: `${base}/cancel` },
      merchantMetadata: { merchantStoreName: SHOP_NAME, merchantReferenceId: `order-${productType}` },
      ...(productType === 'PayOnly' ? { scopes: ['name', 'email'] } : {}),
    });
  }

  /** The createCheckoutSessionConfig of a button, correct or broken in one way. */
  function config(kind: ButtonKind, productType: 'PayAndShip' | 'PayOnly') {
    const payloadJSON = checkoutPayload(productType);
    const algorithm = 'AMZN-PAY-RSASSA-PSS-V2';
    if (kind === 'wrongKey') return { payloadJSON, signature: signer(algorithm, otherKey).generateButtonSignature(payloadJSON), publicKeyId: demoKeyIds.sandbox, algorithm };
    // Signed with the original algorithm's 20-byte salt but declared as V2.
    if (kind === 'otherSalt') return { payloadJSON, signature: signer('AMZN-PAY-RSASSA-PSS').generateButtonSignature(payloadJSON), publicKeyId: demoKeyIds.sandbox, algorithm };
    const signature = signer(algorithm).generateButtonSignature(payloadJSON);
    if (kind === 'tampered') return { payloadJSON: payloadJSON.replace('/review', '/elsewhere'), signature, publicKeyId: demoKeyIds.sandbox, algorithm };
    return { payloadJSON, signature, publicKeyId: demoKeyIds.sandbox, algorithm };
  }

  function home(kind: ButtonKind): string {
    const common = { merchantId: 'A2MOCKMERCHANT', ledgerCurrency: 'USD', checkoutLanguage: 'en_US', placement: 'Cart', sandbox: true };
    let script: string;
    if (kind === 'SignIn') {
      const payloadJSON = JSON.stringify({ signInReturnUrl: `${base}/signed-in`, storeId, signInScopes: ['name', 'email', 'postalCode'] });
      const signInConfig = { payloadJSON, signature: signer('AMZN-PAY-RSASSA-PSS-V2').generateButtonSignature(payloadJSON), publicKeyId: demoKeyIds.sandbox, algorithm: 'AMZN-PAY-RSASSA-PSS-V2' };
      script = `amazon.Pay.renderButton('#AmazonPayButton', Object.assign(${js(common)}, { productType: 'SignIn', buttonColor: 'Gold', signInConfig: ${js(signInConfig)} }));`;
    } else if (kind === 'endpoint') {
      // The older form: the shop's own endpoint creates the session (through the SDK) and answers JSON.
      script = `amazon.Pay.renderButton('#AmazonPayButton', Object.assign(${js(common)}, { productType: 'PayAndShip', createCheckoutSession: { url: '/create-session', method: 'POST', extractAmazonCheckoutSessionId: 'sessionId' } }));`;
    } else if (kind === 'initCheckout') {
      // The decoupled form: render without a config, start checkout from onClick.
      script = `var button = amazon.Pay.renderButton('#AmazonPayButton', Object.assign(${js(common)}, { productType: 'PayAndShip', buttonColor: 'Gold' }));
button.onClick(function () {
  document.getElementById('clicked').textContent = 'Starting checkout';
  button.initCheckout({ estimatedOrderAmount: ${js(AMOUNT)}, productType: 'PayAndShip', createCheckoutSessionConfig: ${js(config('PayAndShip', 'PayAndShip'))} });
});`;
    } else {
      const productType = kind === 'PayOnly' ? 'PayOnly' : 'PayAndShip';
      const color = kind === 'DarkGray' || kind === 'LightGray' ? kind : 'Gold';
      script = `amazon.Pay.renderButton('#AmazonPayButton', Object.assign(${js(common)}, { productType: ${js(productType)}, buttonColor: ${js(color)}, estimatedOrderAmount: ${js(AMOUNT)}, createCheckoutSessionConfig: ${js(config(kind, productType))} }));`;
    }
    return page(
      SHOP_NAME,
      `<h1>${SHOP_NAME}</h1><p>One kettle: $42.00</p><div id="AmazonPayButton" style="width:300px"></div><p id="clicked"></p>`,
      `<script src="${mock}/checkout.js"></script>`,
    ).replace('</main>', `</main><script>${script}</script>`);
  }

  async function review(id: string): Promise<string> {
    const updated = await client.updateCheckoutSession(id, {
      webCheckoutDetails: { checkoutResultReturnUrl: `${base}/result` },
      paymentDetails: { paymentIntent: 'Authorize', chargeAmount: AMOUNT },
    });
    const s = updated.data;
    const address = s.shippingAddress ? `${s.shippingAddress.name}, ${s.shippingAddress.addressLine1}` : 'none';
    return page(
      'Review your order',
      `<h1>Review your order</h1>
<p id="buyer">${escapeHtml(s.buyer?.name ?? '')}</p>
<p id="address">Ship to: ${escapeHtml(address)}</p>
<p id="payment">Pay with: ${escapeHtml(s.paymentPreferences?.[0]?.paymentDescriptor ?? '')}</p>
<p id="product">${escapeHtml(s.productType ?? '')}</p>
<button type="button" id="change-address">Change address</button>
<button type="button" id="change-payment">Change payment</button>
<p><a id="place-order" href="${escapeHtml(s.webCheckoutDetails.amazonPayRedirectUrl ?? '#')}">Place your order</a></p>`,
      `<script src="${mock}/checkout.js"></script>`,
    ).replace(
      '</main>',
      `</main><script>amazon.Pay.bindChangeAction('#change-address', { amazonCheckoutSessionId: ${js(id)}, changeAction: 'changeAddress' });
amazon.Pay.bindChangeAction('#change-payment', { amazonCheckoutSessionId: ${js(id)}, changeAction: 'changePayment' });</script>`,
    );
  }

  async function route(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', base);
    const id = url.searchParams.get('amazonCheckoutSessionId') ?? '';
    const send = (status: number, body: string): void => void res.writeHead(status, { 'content-type': 'text/html; charset=utf-8' }).end(body);
    if (url.pathname === '/') return send(200, home((url.searchParams.get('button') ?? 'PayAndShip') as ButtonKind));
    if (url.pathname === '/review') return send(200, await review(id));
    if (url.pathname === '/create-session' && req.method === 'POST') {
      const created = await client.createCheckoutSession(JSON.parse(checkoutPayload('PayAndShip')), { 'x-amz-pay-idempotency-key': `shop${Date.now()}${Math.random().toString(36).slice(2)}` });
      return void res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ sessionId: created.data.checkoutSessionId }));
    }
    if (url.pathname === '/result') {
      const completed = await client.completeCheckoutSession(id, { chargeAmount: AMOUNT });
      return send(200, page('Thank you', `<h1>Order confirmed: ${escapeHtml(completed.data.chargeId)}</h1>`));
    }
    if (url.pathname === '/signed-in') {
      const buyer = (await client.getBuyer(url.searchParams.get('buyerToken'))).data;
      return send(200, page('Welcome', `<h1>Welcome, ${escapeHtml(buyer.name)}</h1><p id="email">${escapeHtml(buyer.email)}</p><p id="postal">${escapeHtml(buyer.postalCode ?? '')}</p>`));
    }
    if (url.pathname === '/cancel') return send(200, page('Canceled', '<h1>Checkout canceled</h1>'));
    send(404, page('Not found', '<h1>Not found</h1>'));
  }

  return serveOnLoopback(route, {
    describe: (err: any) => `shop failed: ${err?.response?.data ? JSON.stringify(err.response.data) : (err?.stack ?? err)}`,
    onUrl: (url) => (base = url),
  });
}

