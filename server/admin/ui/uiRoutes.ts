import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { transactWithIds } from '../../transactWithIds.js';
import { approveSession } from '../../domain/checkoutSession/approveSession.js';
import { findSession } from '../../domain/checkoutSession/findSession.js';
import { cancelSession, sessionWrite } from '../../domain/checkoutSession/sessionState.js';
import { AmazonPayError, apiError } from '../../domain/errors.js';
import { FormError, parseForm } from '../../html/forms.js';
import { html } from '../../html/html.js';
import { EARLIEST_CLOCK, LATEST_CLOCK } from '../clockRoutes.js';
import { storeUnavailable, StoreUnavailableError } from '../../store/errors.js';
import { saveClock } from '../../store/serverState.js';
import { journalEntryPage, journalListPage } from './journalPages.js';
import { merchantPage } from './merchantPage.js';
import { objectPage } from './objectPage.js';
import { overviewPage } from './overviewPage.js';
import { isCrossSite, LOGIN_PATH, uiCookie } from './uiAuth.js';
import { journalEntry, journalPage, kindOf, merchantNamespaces, merchants, objectDetail, objectKinds, objectPage as loadObjectPage } from './uiData.js';
import { uiHeaders, uiLayout } from './uiLayout.js';
import { uiScript } from './uiScript.js';
import { findNamespace } from '../../merchantState.js';
import type { MockContext } from '../../context.js';

/**
 * The dashboard at /__admin/ui: server-rendered pages over the control API's data, and a few
 * forms (clock, buyer steps) that act as the control API does. Registered with the control API,
 * so the same admin-token rule guards it (a browser signs in once through /__admin/ui/login).
 */

class UiProblem extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

function query(request: FastifyRequest): Record<string, unknown> {
  return (request.query ?? {}) as Record<string, unknown>;
}

function text(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? value : null;
}

function pageNumber(value: unknown): number {
  const t = text(value);
  if (t === null) return 1;
  if (!/^\d{1,6}$/.test(t) || Number(t) < 1) throw new UiProblem(400, `The page number '${t.slice(0, 20)}' is not a whole number from 1.`);
  return Number(t);
}

async function known(deps: MockContext, ns: string): Promise<string> {
  if (!(await merchantNamespaces(deps)).includes(ns)) throw new UiProblem(404, `No merchant '${ns}' has any objects or recorded calls.`);
  return ns;
}

function sendPage(reply: FastifyReply, status: number, body: string): FastifyReply {
  return reply.code(status).headers(uiHeaders).send(body);
}

function problemPage(status: number, message: string): string {
  if (status === 401) {
    return uiLayout('Sign in needed', html`<h1>Sign in needed</h1><p role="alert">The dashboard needs the admin token (the --admin-token setting).</p><p><a href="${LOGIN_PATH}">Sign in</a></p>`);
  }
  return uiLayout('Problem', html`<h1>That did not work</h1><p role="alert">${message}</p><p><a href="/__admin/ui">Back to the merchants</a></p>`);
}

/** Any failure of a dashboard route as an HTML page with its status. */
function uiErrorHandler(this: unknown, error: FastifyError | Error, request: FastifyRequest, reply: FastifyReply) {
  if (error instanceof UiProblem) return sendPage(reply, error.status, problemPage(error.status, error.message));
  if (error instanceof FormError) return sendPage(reply, 400, problemPage(400, error.message));
  // The token check's 401 is the control API's JSON, unless a browser asked for a page.
  if (error instanceof AmazonPayError && error.status === 401 && !/text\/html/.test(String(request.headers.accept ?? ''))) return reply.code(401).send(error.toBody());
  if (error instanceof AmazonPayError && error.status < 500) return sendPage(reply, error.status, problemPage(error.status, `${error.reasonCode}: ${error.message}`));
  // A store that cannot write (a full disk) is the control API's 503, not a crash of the page.
  if (error instanceof StoreUnavailableError) {
    const unavailable = storeUnavailable();
    return sendPage(reply, unavailable.status, problemPage(unavailable.status, `${unavailable.reasonCode}: ${unavailable.message}`));
  }
  const status = (error as FastifyError).statusCode;
  if (typeof status === 'number' && status >= 400 && status < 500) return sendPage(reply, status, problemPage(status, error.message));
  request.log.error({ err: error }, 'dashboard page failed');
  return sendPage(reply, 500, problemPage(500, 'The dashboard could not show this page; the log has the details.'));
}

/** The dashboard path to go back to after a form, never anywhere else. */
function backTo(value: string | undefined): string {
  return value && /^\/__admin\/ui(?:[/?#]|$)/.test(value) && !value.startsWith('//') ? value : '/__admin/ui';
}

function formOf(request: FastifyRequest): Map<string, string> {
  if (isCrossSite(request)) throw new UiProblem(403, 'This form was sent from another site; the dashboard only accepts its own forms.');
  return parseForm(request.headers['content-type'], request.body);
}

function readRoutes(app: FastifyInstance, deps: MockContext): void {
  app.get('/__admin/ui', async (_request, reply) => sendPage(reply, 200, overviewPage(await merchants(deps), deps.clocks.view().state())));

  app.get('/__admin/ui/app.js', async (_request, reply) => reply.type('application/javascript; charset=utf-8').header('cache-control', 'no-cache').send(uiScript));

  app.get('/__admin/ui/merchants/:merchant', async (request, reply) => {
    const ns = await known(deps, (request.params as { merchant: string }).merchant);
    const q = query(request);
    const collection = text(q.collection) ?? 'checkoutSessions';
    const kind = kindOf(collection);
    if (!kind) throw new UiProblem(400, `Unknown object kind '${collection.slice(0, 40)}'; use ${objectKinds.map((k) => k.collection).join(', ')}.`);
    const page = pageNumber(q.page);
    const state = text(q.state);
    const objects = await loadObjectPage(deps, { ns, kind, page, state });
    return sendPage(
      reply,
      200,
      merchantPage({
        ns,
        kind,
        state,
        // A page past the end shows the last one (loadObjectPage's rows), and says so.
        page: Math.min(page, objects.pages),
        objects,
        clock: deps.clocks.view(ns).state(),
        rules: await deps.scenarios.list(ns),
        deliveries: await deps.ipn.deliveries({ merchant: ns, limit: 20 }),
        journal: await deps.journal.query({ merchant: ns, limit: 20 }),
      }),
    );
  });

  app.get('/__admin/ui/merchants/:merchant/journal', async (request, reply) => {
    const ns = await known(deps, (request.params as { merchant: string }).merchant);
    const page = pageNumber(query(request).page);
    const { entries, pages, total } = await journalPage(deps, ns, page);
    return sendPage(reply, 200, journalListPage(ns, { entries, page: Math.min(page, pages), pages, total }));
  });

  app.get('/__admin/ui/merchants/:merchant/:collection/:id', async (request, reply) => {
    const { merchant, collection, id } = request.params as { merchant: string; collection: string; id: string };
    const ns = await known(deps, merchant);
    const kind = kindOf(collection);
    if (!kind) throw new UiProblem(404, `Unknown object kind '${collection.slice(0, 40)}'.`);
    const detail = await objectDetail(deps, { ns, kind, id });
    if (!detail) throw new UiProblem(404, `Merchant ${ns} has no ${kind.label} object '${id.slice(0, 80)}'.`);
    return sendPage(reply, 200, objectPage(ns, kind, detail));
  });

  app.get('/__admin/ui/requests/:entryId', async (request, reply) => {
    const raw = (request.params as { entryId: string }).entryId;
    if (!/^\d{1,15}$/.test(raw)) throw new UiProblem(404, `There is no call '${raw.slice(0, 20)}' in the journal.`);
    const entry = await journalEntry(deps, Number(raw));
    if (!entry) throw new UiProblem(404, `Call ${raw} is not in the journal (it keeps the most recent calls only).`);
    const signed = query(request).signed;
    return sendPage(reply, 200, journalEntryPage(entry, typeof signed === 'string' ? signed : null));
  });
}

const clockSteps = new Set(['3600', '86400', '604800', '2592000']);

function actionRoutes(app: FastifyInstance, deps: MockContext): void {
  app.post('/__admin/ui/clock', async (request, reply) => {
    const form = formOf(request);
    const merchant = form.get('merchant') || undefined;
    let seconds: number | null = null;
    const step = form.get('advanceSeconds');
    if (step === 'custom') {
      const custom = form.get('customSeconds') ?? '';
      if (!/^-?\d{1,10}$/.test(custom.trim())) throw new UiProblem(400, 'Enter the seconds to move the clock as a whole number (negative moves it back).');
      seconds = Number(custom.trim());
    } else if (step !== undefined) {
      if (!clockSteps.has(step)) throw new UiProblem(400, `Unknown clock step '${step.slice(0, 20)}'.`);
      seconds = Number(step);
    }
    const frozen = form.get('frozen');
    if (frozen !== undefined && frozen !== 'true' && frozen !== 'false') throw new UiProblem(400, 'frozen must be true or false.');
    if (merchant !== undefined) await known(deps, merchant);
    const clock = deps.clocks.control(merchant);
    const before = clock.setting();
    if (frozen === 'true') clock.freeze();
    if (frozen === 'false') clock.thaw();
    if (seconds !== null) clock.advance(seconds * 1000);
    // The control API's rules: every clock stays in range, and a move survives a restart.
    if (!deps.clocks.allWithin(EARLIEST_CLOCK, LATEST_CLOCK)) {
      clock.restore(before);
      throw new UiProblem(400, 'The clock would leave the supported range (1970-01-01 to 9000-01-01); it was not moved.');
    }
    await saveClock(deps.store, deps.clocks, merchant, before);
    await deps.settler.settleAll();
    return reply.redirect(backTo(form.get('back')), 303);
  });

  const sessionAction = (name: 'approve' | 'cancel') =>
    app.post(`/__admin/ui/checkoutSessions/:checkoutSessionId/${name}`, async (request, reply) => {
      const form = formOf(request);
      const { checkoutSessionId } = request.params as { checkoutSessionId: string };
      const ns = await findNamespace(deps, { collection: 'checkoutSessions', id: checkoutSessionId, what: 'Checkout Session' }, form.get('merchant') || undefined);
      const now = deps.clocks.for(ns).now();
      await transactWithIds(deps, ns, (state, ids) => {
        const tools = { now, publicUrl: deps.settings.publicUrl, ids };
        const { record } = findSession(state, checkoutSessionId, tools);
        if (record.session.statusDetails.state !== 'Open') throw apiError('InvalidCheckoutSessionStatus', `The Checkout Session is ${record.session.statusDetails.state}; only an Open session can be ${name === 'approve' ? 'approved' : 'canceled'}.`);
        const changed = name === 'approve' ? approveSession(record, { card: form.get('card') ?? null }, tools) : cancelSession(record, 'BuyerCanceled', tools);
        return { puts: [sessionWrite(changed)], result: undefined };
      });
      return reply.redirect(`/__admin/ui/merchants/${encodeURIComponent(ns)}/checkoutSessions/${encodeURIComponent(checkoutSessionId)}`, 303);
    });
  sessionAction('approve');
  sessionAction('cancel');
}

const digest = (value: string) => createHash('sha256').update(value).digest();

function loginRoutes(app: FastifyInstance, deps: MockContext): void {
  const loginPage = (message: string | null) =>
    uiLayout(
      'Sign in',
      html`<h1>Sign in to the dashboard</h1>
${message ? html`<p role="alert">${message}</p>` : ''}
<form method="post" action="${LOGIN_PATH}">
<label for="token">Admin token (the --admin-token setting)</label>
<input type="password" id="token" name="token" autocomplete="current-password" required>
<button type="submit" class="primary">Sign in</button>
</form>`,
    );
  app.get(LOGIN_PATH, async (_request, reply) => (deps.config.adminToken === null ? reply.redirect('/__admin/ui', 303) : sendPage(reply, 200, loginPage(null))));
  app.post(LOGIN_PATH, async (request, reply) => {
    const form = formOf(request);
    const token = deps.config.adminToken;
    if (token === null) return reply.redirect('/__admin/ui', 303);
    const given = form.get('token') ?? '';
    if (!timingSafeEqual(digest(given), digest(token))) return sendPage(reply, 401, loginPage('That is not the admin token.'));
    return reply.header('set-cookie', uiCookie(token, request.protocol)).redirect('/__admin/ui', 303);
  });
}

/** Registers the dashboard routes with their HTML error pages. */
export function uiRoutes(app: FastifyInstance, deps: MockContext): void {
  app.register(async (ui) => {
    ui.setErrorHandler(uiErrorHandler);
    readRoutes(ui, deps);
    actionRoutes(ui, deps);
    loginRoutes(ui, deps);
  });
}
