import type { FastifyInstance } from 'fastify';
import type { MockContext } from '../context.js';
import { parseJsonBody } from '../http/jsonBody.js';
import { merchantParam } from '../http/merchantParam.js';
import { FAULTS, parseFault } from '../scenarios/faults.js';

/**
 * /__admin/faults[?merchant=id]: fault injection per operation — added latency, 429/500/503 for
 * the next N calls (then recovery), or a dropped connection. Each fault is a scenario rule of
 * source "faults", so scenario files can say the same thing.
 */
export function faultRoutes(app: FastifyInstance, deps: MockContext): void {
  app.get('/__admin/faults', async (request) => ({ faults: (await deps.scenarios.list(merchantParam(request.query))).filter((r) => r.source === FAULTS) }));

  app.post('/__admin/faults', async (request, reply) => {
    const merchant = merchantParam(request.query) ?? null;
    const [added] = await deps.scenarios.add([parseFault(parseJsonBody(request.body))], merchant, FAULTS);
    return reply.code(201).send(added);
  });

  app.delete('/__admin/faults', async (request) => ({ cleared: await deps.scenarios.removeSource(FAULTS, merchantParam(request.query)) }));
}
