import type { FastifyInstance } from 'fastify';
import { apiError } from '../domain/errors.js';
import { parseScenarioDocument } from '../scenarios/rules.js';
import { parseJsonValue } from '../http/jsonBody.js';
import { merchantParam } from '../http/merchantParam.js';
import type { MockContext } from '../context.js';

/** /__admin/scenarios: list, add (one rule, an array, or {rules}) and clear scripted outcomes. */
export function scenarioRoutes(app: FastifyInstance, deps: MockContext): void {
  app.get('/__admin/scenarios', async (request) => ({ rules: await deps.scenarios.list(merchantParam(request.query)) }));
  app.post('/__admin/scenarios', async (request, reply) => {
    const doc = parseJsonValue(request.body);
    if (doc === null) throw apiError('MissingParameterValue', 'Send a rule, an array of rules, or {"rules": [...]}.');
    const rules = parseScenarioDocument(doc, 'body');
    const added = await deps.scenarios.add(rules, merchantParam(request.query) ?? null);
    return reply.code(201).send({ rules: added });
  });
  app.delete('/__admin/scenarios', async (request) => {
    const merchant = merchantParam(request.query);
    await deps.scenarios.reset(merchant);
    return { rules: await deps.scenarios.list(merchant) };
  });
}
