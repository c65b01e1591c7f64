import type { FastifyInstance } from 'fastify';
import { approveSession, type ApproveInput } from '../domain/checkoutSession/approveSession.js';
import { findSession } from '../domain/checkoutSession/findSession.js';
import { sessionWrite } from '../domain/checkoutSession/sessionState.js';
import { parseJsonBody } from '../http/jsonBody.js';
import { stateView, findNamespace } from '../merchantState.js';
import { merchantParam } from '../http/merchantParam.js';
import type { MockContext } from '../context.js';

/** POST /__admin/checkoutSessions/{id}/approve: the buyer signs in, picks a card and returns. */
export function checkoutSessionRoutes(app: FastifyInstance, deps: MockContext): void {
  app.post('/__admin/checkoutSessions/:checkoutSessionId/approve', async (request) => {
    const { checkoutSessionId } = request.params as { checkoutSessionId: string };
    const input = parseJsonBody(request.body) as ApproveInput;
    const ns = findNamespace(deps, 'checkoutSessions', checkoutSessionId, merchantParam(request.query), 'Checkout Session');
    const now = deps.clocks.for(ns).now();
    const { record } = findSession(stateView(deps, ns), checkoutSessionId, now, deps.settings.publicUrl);
    const approved = approveSession(record, input, deps.ids, now, deps.settings.publicUrl);
    await deps.store.commit(ns, [sessionWrite(approved)]);
    return approved.session;
  });
}
