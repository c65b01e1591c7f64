import { randomUUID } from 'node:crypto';
import http from 'node:http';
import { serveOnLoopback, type LoopbackSite } from './loopbackSite.js';
import { escapeHtml } from '../../server/html/html.js';
import type { LiveServer } from '../helpers/runningServer.js';
import { storeId } from '../helpers/testApp.js';

/**
 * A tiny merchant shop for browser tests, written the way integrators write theirs against the
 * official Node SDK: the button creates a Checkout Session and sends the buyer to Amazon's
 * sign-in; the review page sets amount and intent and follows amazonPayRedirectUrl; the result
 * page completes the checkout.
 */

export type MerchantSite = LoopbackSite;

export const ORDER_AMOUNT = { amount: '25.00', currencyCode: 'USD' };
export const STORE_NAME = 'Pages Test Shop';

const idem = () => ({ 'x-amz-pay-idempotency-key': randomUUID().replace(/-/g, '') });

function page(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title><link rel="icon" href="data:,"></head><body>${body}</body></html>`;
}

export async function startMerchantSite(live: LiveServer): Promise<MerchantSite> {
  const client = live.sdk();
  const amazon = live.server.https!.url;
  let base = '';

  async function route(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', base);
    const id = url.searchParams.get('amazonCheckoutSessionId') ?? '';
    const send = (status: number, title: string, body: string): void => {
      res.writeHead(status, { 'content-type': 'text/html; charset=utf-8' }).end(page(title, body));
    };
    const redirect = (location: string): void => {
      res.writeHead(303, { location }).end();
    };

    if (req.method === 'GET' && url.pathname === '/') {
      return send(200, STORE_NAME, `<h1>${STORE_NAME}</h1><p>One teapot: $25.00</p>
<form method="post" action="/checkout"><button type="submit">Pay with Amazon</button></form>`);
    }
    if (req.method === 'POST' && url.pathname === '/checkout') {
      const created = await client.createCheckoutSession(
        {
          storeId,
          webCheckoutDetails: { checkoutReviewReturnUrl: `${base}/review`, checkoutResultReturnUrl: `${base}/result`, checkoutCancelUrl: `${base}/cancel` },
          merchantMetadata: { merchantStoreName: STORE_NAME, merchantReferenceId: `order-${Date.now()}` },
        },
        idem(),
      );
      return redirect(`${amazon}/checkout/signin?amazonCheckoutSessionId=${encodeURIComponent(created.data.checkoutSessionId)}`);
    }
    if (req.method === 'GET' && url.pathname === '/review') {
      const updated = await client.updateCheckoutSession(id, {
        webCheckoutDetails: { checkoutResultReturnUrl: `${base}/result` },
        paymentDetails: { paymentIntent: 'Authorize', chargeAmount: ORDER_AMOUNT },
      });
      const next = updated.data.webCheckoutDetails.amazonPayRedirectUrl;
      if (!next) return send(500, 'Not ready', `<h1>Checkout not ready</h1><pre>${escapeHtml(JSON.stringify(updated.data.constraints))}</pre>`);
      return redirect(next);
    }
    if (req.method === 'GET' && url.pathname === '/result') {
      try {
        const completed = await client.completeCheckoutSession(id, { chargeAmount: ORDER_AMOUNT });
        return send(200, 'Thank you', `<h1>Order confirmed: ${escapeHtml(completed.data.chargeId)}</h1>`);
      } catch (err: any) {
        const status = err.response?.status ?? err.status;
        const reasonCode = err.response?.data?.reasonCode ?? err.data?.reasonCode;
        if (status !== 422 || reasonCode !== 'CheckoutSessionCanceled') throw err;
        const session = await client.getCheckoutSession(id);
        const why = session.data.statusDetails.reasonCode;
        const heading = why === 'Declined' ? 'Sorry, your payment was declined' : 'Your checkout was canceled';
        return send(200, 'Payment not completed', `<h1>${heading}</h1><p>Reason: ${escapeHtml(why)}</p>`);
      }
    }
    if (req.method === 'GET' && url.pathname === '/cancel') return send(200, 'Canceled', '<h1>Checkout canceled</h1>');
    send(404, 'Not found', '<h1>Not found</h1>');
  }

  return serveOnLoopback(route, { describe: (err: any) => `merchant site failed: ${err?.stack ?? err}`, onUrl: (url) => (base = url) });
}
