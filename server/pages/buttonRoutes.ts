import type { FastifyInstance, FastifyRequest, onResponseHookHandler } from 'fastify';
import { transactWithIds } from '../transactWithIds.js';
import { buttonEnvironment, checkoutProductType, ledgerCurrencyOf, regionOfLedger } from '../domain/button/buttonOptions.js';
import { changeActions, changeShippingAddress, type ChangeAction } from '../domain/button/changeActions.js';
import { readSignInPayload, signInBuyerToken, signInScopes } from '../domain/button/signInButton.js';
import { startCheckoutFromButton } from '../domain/button/startCheckout.js';
import { simulatedCards } from '../domain/cards.js';
import { choosePayment } from '../domain/checkoutSession/approveSession.js';
import { demoBuyer } from '../domain/demoBuyer.js';
import { AmazonPayError, apiError } from '../domain/errors.js';
import type { OperationEnv } from '../domain/operation.js';
import { scopedView } from '../domain/scope.js';
import { validate } from '../domain/validation.js';
import type { JournalEntry } from '../journal/journal.js';
import { cutLongStrings, journalDuration, proxyOf, signatureOf } from '../journal/journalEntry.js';
import { verifyButtonSignature, type VerifiedButton } from '../signing/buttonSignature.js';
import { merchantNamespace, namesMerchant } from '../signing/keyRegistry.js';
import { amazonSigninPage, buttonRefused, changeAddressPage, changePaymentPage, type SignedFields } from './buttonPages.js';
import { checkoutScript } from './checkoutScript.js';
import type { SessionRecord } from '../domain/checkoutSession/sessionRecord.js';
import { refused } from '../html/errorPage.js';
import { FormError, parseForm, requireAction, requireSessionId } from '../html/forms.js';
import { page, pageErrorHandler, type PageReply } from './pageReply.js';
import { returnTo, withQueryParam } from '../html/returnUrls.js';
import { withOpenSession } from './sessionAccess.js';
import { readSigninValues } from './signinPage.js';
import type { MockContext } from '../context.js';

/**
 * The road to the hosted pages: /checkout.js (answered on any host, so the intercepting proxy can
 * serve it as static-*.payments-amazon.com), the button's POST that verifies the signed payload and
 * creates the session, Amazon Sign-in, and the change actions.
 */

/** The fields checkout.js posts for a button, as the merchant's page gave them. */
const buttonFieldNames = ['payloadJSON', 'signature', 'publicKeyId', 'algorithm', 'productType', 'merchantId', 'ledgerCurrency', 'placement', 'checkoutLanguage', 'sandbox', 'estimatedOrderAmount', 'origin'] as const;

function signedFieldsOf(fields: Map<string, string>): SignedFields {
  const out: SignedFields = {};
  for (const name of buttonFieldNames) {
    const value = fields.get(name);
    if (value !== undefined) out[name] = value;
  }
  return out;
}

function required(fields: SignedFields, name: string): string {
  const value = fields[name];
  if (value === undefined || value === '') throw apiError('MissingParameterValue', `The button's ${name} is missing.`);
  return value;
}

/** The merchant page the button was on (for the error page's way back), when it is a web URL. */
function backUrlOf(fields: SignedFields): string | null {
  const origin = fields.origin;
  return origin && /^https?:\/\/\S+$/.test(origin) && origin.length <= 2048 ? origin : null;
}

/** The signature check of a button, journaled either way (a failure with the string the mock signed). */
function verifyButton(deps: MockContext, fields: SignedFields): Promise<VerifiedButton> {
  return verifyButtonSignature(
    { payloadJSON: required(fields, 'payloadJSON'), signature: required(fields, 'signature'), publicKeyId: required(fields, 'publicKeyId'), algorithm: fields.algorithm },
    deps,
  );
}

function estimatedOrderAmount(fields: SignedFields): void {
  const text = fields.estimatedOrderAmount;
  if (text === undefined || text === '') return;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw apiError('InvalidParameterValue', "The button's estimatedOrderAmount is not valid JSON.");
  }
  validate(value, { type: 'price' }, 'estimatedOrderAmount');
}

/** The context of a button's merchant: namespace, region from the ledger, environment from key or option. */
function buttonEnv(deps: MockContext, fields: SignedFields, verified: VerifiedButton): Omit<OperationEnv, 'state' | 'ids'> {
  const ns = merchantNamespace(verified.publicKeyId);
  const region = regionOfLedger(ledgerCurrencyOf(fields.ledgerCurrency));
  const environment = buttonEnvironment(verified.keyEnvironment, fields.sandbox === 'true' ? 'sandbox' : 'live');
  return {
    ctx: { ns, publicKeyId: verified.publicKeyId, region, environment, now: deps.clocks.for(ns).now() },
    settings: deps.settings,
  };
}

/** One POST of a button step: the request, the step's name in the journal, and the signed fields it carried. */
interface ButtonPress {
  request: FastifyRequest;
  operation: string;
  fields: SignedFields;
}

/** A button POST's journal entry, once its step is done, waiting for the answer to go out to be stamped and timed. */
const pendingEntries = new WeakMap<FastifyRequest, Omit<JournalEntry, 'id'>>();

/**
 * One journal entry per button POST: what was sent, what came of it, and on a bad signature what
 * the mock signed; long values cut as the journal cuts API bodies (a payload or signature can be
 * as long as the body limit, and a refusal repeats them). Recorded by recordButtonStep when the
 * answer has gone out.
 */
function journalButton({ request, operation, fields }: ButtonPress, outcome: { status: number; error?: AmazonPayError; objectIds?: string[]; response?: unknown }): void {
  // A value that is no key id names no merchant (it could be megabytes long, or '~server'); the body keeps it, cut.
  const publicKeyId = fields.publicKeyId && namesMerchant(fields.publicKeyId) ? fields.publicKeyId : null;
  pendingEntries.set(request, {
    time: '', // set with durationMs by recordButtonStep (the keys stay in the API journal's order)
    merchant: publicKeyId ? merchantNamespace(publicKeyId) : null,
    publicKeyId,
    operation,
    method: request.method,
    path: request.raw.url ?? '/',
    status: outcome.status,
    durationMs: 0,
    reasonCode: outcome.error?.reasonCode ?? null,
    scenario: null,
    replayed: false,
    objectIds: outcome.objectIds ?? [],
    request: { headers: {}, body: cutLongStrings(fields) },
    response: { body: cutLongStrings(outcome.error ? outcome.error.toBody() : (outcome.response ?? null)) },
    proxy: proxyOf(request),
    signature: cutLongStrings(signatureOf(outcome.error?.diagnostics)) as JournalEntry['signature'],
  });
}

/**
 * The button routes' onResponse hook: records the step's entry timed as the API journal times a
 * call (recordCalls), from the request's start to its answer going out, and stamped with its start.
 */
function recordButtonStep(deps: MockContext): onResponseHookHandler {
  return (request, reply, done) => {
    const entry = pendingEntries.get(request);
    if (entry) {
      pendingEntries.delete(request);
      const elapsedMs = reply.elapsedTime;
      entry.time = new Date(deps.wallTime() - elapsedMs).toISOString();
      entry.durationMs = journalDuration(elapsedMs);
      deps.journal.record(entry);
    }
    done();
  };
}

/** Runs a button step; an Amazon-shaped refusal becomes the buyer's error page and a journal entry. */
async function buttonStep({ request, operation }: Omit<ButtonPress, 'fields'>, step: (fields: SignedFields) => Promise<PageReply & { objectIds?: string[] }>): Promise<PageReply> {
  const fields = signedFieldsOf(parseForm(request.headers['content-type'], request.body));
  const press = { request, operation, fields };
  try {
    const result = await step(fields);
    const status = 'redirect' in result ? 303 : result.status;
    journalButton(press, { status, objectIds: result.objectIds, response: 'redirect' in result ? { location: result.redirect } : null });
    return result;
  } catch (err) {
    if (!(err instanceof AmazonPayError) || err.status >= 500) throw err;
    journalButton(press, { status: err.status, error: err });
    throw buttonRefused(err, backUrlOf(fields));
  }
}

function checkoutStart(app: FastifyInstance, deps: MockContext): void {
  app.post('/checkout/start', { errorHandler: pageErrorHandler, onResponse: recordButtonStep(deps) }, page((request) =>
    buttonStep({ request, operation: 'checkoutButton' }, async (fields) => {
      const verified = await verifyButton(deps, fields);
      const productType = checkoutProductType(fields.productType);
      estimatedOrderAmount(fields);
      const env = buttonEnv(deps, fields, verified);
      const created = await transactWithIds(deps, env.ctx.ns, (state, ids) => {
        // Scoped like an API call: a chargePermissionId in the payload names only this environment's and region's permissions.
        const result = startCheckoutFromButton({ ...env, state: scopedView(state, env.ctx), ids }, fields.payloadJSON!, productType);
        return { puts: result.writes, result };
      });
      const id = created.body.checkoutSessionId;
      // On the host the buyer is on (the mock's own, or a proxied Amazon name).
      return { redirect: `${request.protocol}://${request.host}/checkout/signin?amazonCheckoutSessionId=${encodeURIComponent(id)}`, objectIds: [id] };
    }),
  ));
}

function amazonSignin(app: FastifyInstance, deps: MockContext): void {
  app.post('/checkout/amazon-signin', { errorHandler: pageErrorHandler, onResponse: recordButtonStep(deps) }, page((request) => {
    const form = parseForm(request.headers['content-type'], request.body);
    const action = form.get('action') === undefined ? 'show' : requireAction(form.get('action'), ['continue', 'cancel']);
    return buttonStep({ request, operation: 'signInButton' }, async (fields) => {
      const verified = await verifyButton(deps, fields);
      const payload = readSignInPayload(fields.payloadJSON!);
      const env = buttonEnv(deps, fields, verified);
      if (action === 'cancel') return { redirect: payload.signInCancelUrl ?? payload.signInReturnUrl };
      const scopes = payload.signInScopes ?? [...signInScopes];
      if (action === 'show') {
        const buyer = demoBuyer('', env.ctx.region);
        return { status: 200, body: amazonSigninPage(fields, scopes, { values: { name: buyer.name ?? '', email: buyer.email ?? '' } }) };
      }
      const { values, errors } = readSigninValues(form);
      if (Object.keys(errors).length) return { status: 400, body: amazonSigninPage(fields, scopes, { values, errors }) };
      const record = signInBuyerToken(payload, values, { ids: deps.ids, region: env.ctx.region });
      await deps.store.transact(env.ctx.ns, () => ({ puts: [{ collection: 'buyers', id: record.buyerToken, value: record }], result: undefined }));
      return { redirect: withQueryParam(payload.signInReturnUrl, 'buyerToken', record.buyerToken), objectIds: [record.buyerToken] };
    });
  }));
}

function changeAction(value: unknown): ChangeAction {
  if (typeof value !== 'string' || !(changeActions as readonly string[]).includes(value)) throw new FormError(`changeAction must be ${changeActions.join(' or ')}.`);
  return value as ChangeAction;
}

/** Back to the merchant's review page (or, in ProcessOrder mode, on to the payment page). */
function backToMerchant(record: { session: { checkoutSessionId: string; webCheckoutDetails: { checkoutReviewReturnUrl: string | null; amazonPayRedirectUrl: string | null } | null } }): PageReply {
  const details = record.session.webCheckoutDetails;
  const review = details?.checkoutReviewReturnUrl;
  if (review) return { redirect: returnTo(review, record.session as never) };
  return { redirect: details?.amazonPayRedirectUrl ?? '/' };
}

/** 409 page: changing needs a buyer who signed in. */
function requireBuyer(record: SessionRecord): void {
  if (!record.session.buyer) throw refused(409, 'The buyer has not signed in to this checkout yet, so there is nothing to change. Start the checkout from the Amazon Pay button.');
}

function changeRoutes(app: FastifyInstance, deps: MockContext): void {
  app.get('/checkout/change', { errorHandler: pageErrorHandler }, page(async (request) => {
    const query = (request.query ?? {}) as Record<string, unknown>;
    const action = changeAction(query.changeAction);
    return withOpenSession<PageReply>(deps, requireSessionId(query.amazonCheckoutSessionId), ({ record }) => {
      requireBuyer(record);
      return { reply: { status: 200, body: action === 'changeAddress' ? changeAddressPage(record) : changePaymentPage(record) } };
    });
  }));

  app.post('/checkout/change', { errorHandler: pageErrorHandler }, page(async (request) => {
    const form = parseForm(request.headers['content-type'], request.body);
    const action = changeAction(form.get('changeAction'));
    const step = requireAction(form.get('action'), ['save', 'back']);
    return withOpenSession<PageReply>(deps, requireSessionId(form.get('amazonCheckoutSessionId')), (found) => {
      requireBuyer(found.record);
      if (step === 'back') return { reply: backToMerchant(found.record) };
      let changed;
      if (action === 'changeAddress') {
        const index = Number(form.get('address'));
        if (!/^\d+$/.test(form.get('address') ?? '')) throw new FormError('Choose one of the listed addresses.');
        changed = changeShippingAddress(found.record, index, deps.settings.publicUrl);
      } else {
        const card = form.get('card');
        if (card === undefined || !Object.hasOwn(simulatedCards, card)) throw new FormError('Choose one of the listed payment methods.');
        changed = choosePayment(found.record, card, { now: found.now, publicUrl: deps.settings.publicUrl });
      }
      return { save: changed, reply: backToMerchant(changed) };
    });
  }));
}

/** Registers /checkout.js and the button routes. */
export function buttonRoutes(app: FastifyInstance, deps: MockContext): void {
  app.get('/checkout.js', async (_request, reply) =>
    reply.type('application/javascript; charset=utf-8').header('cache-control', 'no-cache').header('x-content-type-options', 'nosniff').send(checkoutScript),
  );
  checkoutStart(app, deps);
  amazonSignin(app, deps);
  changeRoutes(app, deps);
}
