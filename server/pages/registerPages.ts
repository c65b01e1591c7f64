import type { FastifyInstance, FastifyRequest } from 'fastify';
import { simulatedCards } from '../domain/cards.js';
import { choosePayment, signInBuyer } from '../domain/checkoutSession/approveSession.js';
import type { SessionRecord } from '../domain/checkoutSession/sessionRecord.js';
import { cancelSession } from '../domain/checkoutSession/sessionState.js';
import { buttonRoutes } from './buttonRoutes.js';
import { canceledPage, sessionNotReady } from '../html/errorPage.js';
import { parseForm, requireAction, requireSessionId } from '../html/forms.js';
import { paymentBlockers, paymentPage, selectedCardOf } from './paymentPage.js';
import { cancelUrlOf, returnTo } from '../html/returnUrls.js';
import { page, pageErrorHandler, type PageReply } from './pageReply.js';
import { withOpenSession, type LocatedSession, type SessionDecision } from './sessionAccess.js';
import { readSigninValues, signinDefaults, signinPage } from './signinPage.js';
import type { MockContext } from '../context.js';

/**
 * The Amazon-hosted buyer pages a browser visits during checkout: sign-in (the review step) and
 * the payment page behind amazonPayRedirectUrl. Plain HTML forms, no script; every decision is
 * the checkout-session domain's (signInBuyer, choosePayment, cancelSession).
 */

/** The buyer pressed Cancel: the session ends as BuyerCanceled and the buyer goes back to the merchant. */
function cancelCheckout(deps: MockContext, { record, now }: LocatedSession, step: 'signin' | 'payment'): SessionDecision<PageReply> {
  const canceled = cancelSession(record, 'BuyerCanceled', { now, publicUrl: deps.settings.publicUrl });
  const url = cancelUrlOf(canceled.session, step);
  return { save: canceled, reply: url ? { redirect: returnTo(url, canceled.session) } : { status: 200, body: canceledPage(canceled.session) } };
}

/** Sign-in keeps an address the merchant already gave (ProcessOrder's addressDetails). */
function keptAddress(record: SessionRecord) {
  return { shippingAddress: record.session.shippingAddress };
}

function queryId(request: FastifyRequest): string {
  return requireSessionId((request.query as Record<string, unknown> | undefined)?.amazonCheckoutSessionId);
}

function formOf(request: FastifyRequest): Map<string, string> {
  return parseForm(request.headers['content-type'], request.body);
}

function signinRoutes(app: FastifyInstance, deps: MockContext): void {
  app.get('/checkout/signin', { errorHandler: pageErrorHandler }, page(async (request) =>
    withOpenSession(deps, queryId(request), ({ record }) => ({ reply: { status: 200, body: signinPage(record, signinDefaults(record)) } })),
  ));

  app.post('/checkout/signin', { errorHandler: pageErrorHandler }, page(async (request) => {
    const fields = formOf(request);
    const id = requireSessionId(fields.get('amazonCheckoutSessionId'));
    const action = requireAction(fields.get('action'), ['continue', 'cancel']);
    return withOpenSession<PageReply>(deps, id, (found, ids) => {
      if (action === 'cancel') return cancelCheckout(deps, found, 'signin');
      const { values, errors } = readSigninValues(fields);
      if (Object.keys(errors).length) return { reply: { status: 400, body: signinPage(found.record, values, errors) } };
      const signedIn = signInBuyer(found.record, { buyer: { name: values.name, email: values.email }, ...keptAddress(found.record) }, { ids, now: found.now, publicUrl: deps.settings.publicUrl });
      // Back to the merchant's review page; a session made without one (ProcessOrder) goes straight to payment.
      const details = signedIn.session.webCheckoutDetails;
      const next = details?.checkoutReviewReturnUrl ? returnTo(details.checkoutReviewReturnUrl, signedIn.session) : details?.amazonPayRedirectUrl;
      if (!next) throw sessionNotReady(signedIn.session, paymentBlockers(signedIn));
      return { save: signedIn, reply: { redirect: next } };
    });
  }));
}

function paymentRoutes(app: FastifyInstance, deps: MockContext): void {
  app.get('/checkout/processing', { errorHandler: pageErrorHandler }, page(async (request) =>
    withOpenSession<PageReply>(deps, queryId(request), ({ record }) => {
      const blockers = paymentBlockers(record);
      if (blockers.length) throw sessionNotReady(record.session, blockers);
      return { reply: { status: 200, body: paymentPage(record, selectedCardOf(record)) } };
    }),
  ));

  app.post('/checkout/processing', { errorHandler: pageErrorHandler }, page(async (request) => {
    const fields = formOf(request);
    const id = requireSessionId(fields.get('amazonCheckoutSessionId'));
    const action = requireAction(fields.get('action'), ['pay', 'cancel']);
    return withOpenSession<PageReply>(deps, id, (found, ids) => {
      if (action === 'cancel') return cancelCheckout(deps, found, 'payment');
      const card = fields.get('card');
      if (card === undefined || !Object.hasOwn(simulatedCards, card)) {
        return { reply: { status: 400, body: paymentPage(found.record, selectedCardOf(found.record), card === undefined ? 'Choose a payment method.' : 'Choose one of the listed payment methods.') } };
      }
      // Straight to the payment page without signing in: the test buyer signs in first.
      const signedIn = found.record.session.buyer ? found.record : signInBuyer(found.record, keptAddress(found.record), { ids, now: found.now, publicUrl: deps.settings.publicUrl });
      const blockers = paymentBlockers(signedIn);
      if (blockers.length) throw sessionNotReady(signedIn.session, blockers);
      // Cards 3064 and 3434 leave the session Canceled; Amazon still returns the buyer to the result URL.
      const paid = choosePayment(signedIn, card, { now: found.now, publicUrl: deps.settings.publicUrl });
      return { save: paid, reply: { redirect: returnTo(paid.session.webCheckoutDetails!.checkoutResultReturnUrl!, paid.session) } };
    });
  }));
}

/** Registers the hosted buyer pages. */
export function registerPages(app: FastifyInstance, deps: MockContext): void {
  signinRoutes(app, deps);
  paymentRoutes(app, deps);
  buttonRoutes(app, deps);
}
