import type { FastifyInstance } from 'fastify';
import { approveSession, type ApproveInput } from '../domain/checkoutSession/approveSession.js';
import { findSession } from '../domain/checkoutSession/findSession.js';
import { sessionWrite } from '../domain/checkoutSession/sessionState.js';
import { parseJsonBody } from '../http/jsonBody.js';
import { findNamespace } from '../merchantState.js';
import { merchantParam } from '../http/merchantParam.js';
import type { MockContext } from '../context.js';
import { transactWithIds } from '../transactWithIds.js';

/** POST /__admin/checkoutSessions/{id}/approve: the buyer signs in, picks a card and returns. */
export function checkoutSessionRoutes(app: FastifyInstance, deps: MockContext): void {
  app.post('/__admin/checkoutSessions/:checkoutSessionId/approve', async (request) => {
    const { checkoutSessionId } = request.params as { checkoutSessionId: string };
    const input = parseJsonBody(request.body) as ApproveInput;
    const ns = await findNamespace(deps, { collection: 'checkoutSessions', id: checkoutSessionId, what: 'Checkout Session' }, merchantParam(request.query));
    const now = deps.clocks.for(ns).now();
    return transactWithIds(deps, ns, (state, ids) => {
      const tools = { now, publicUrl: deps.settings.publicUrl, ids };
      const { record } = findSession(state, checkoutSessionId, tools);
      const approved = approveSession(record, input, tools);
      return { puts: [sessionWrite(approved)], result: approved.session };
    });
  });
}
