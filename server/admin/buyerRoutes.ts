import type { FastifyInstance } from 'fastify';
import { issueBuyerToken } from '../domain/buyer/buyerOperations.js';
import { parseRegion } from '../domain/environment.js';
import { apiError } from '../domain/errors.js';
import { parseJsonBody } from '../http/jsonBody.js';
import { merchantParam } from '../http/merchantParam.js';
import type { MockContext } from '../context.js';

/**
 * POST /__admin/buyers?merchant=id[&region=eu]: what Amazon Sign-In gives the merchant's page,
 * a buyer token that GET /v2/buyers/{buyerToken} then resolves (for that merchant only).
 */
export function buyerRoutes(app: FastifyInstance, deps: MockContext): void {
  app.post('/__admin/buyers', async (request, reply) => {
    const merchant = merchantParam(request.query);
    if (merchant === undefined) throw apiError('MissingParameterValue', "The query parameter 'merchant' (the public key id the token is for) is required.");
    const regionParam = (request.query as Record<string, unknown>).region;
    if (regionParam !== undefined && typeof regionParam !== 'string') throw apiError('InvalidParameterValue', 'The region parameter must be given once.');
    const region = parseRegion(regionParam);
    const record = issueBuyerToken(parseJsonBody(request.body), deps.ids, region);
    await deps.store.transact(merchant, () => ({ puts: [{ collection: 'buyers', id: record.buyerToken, value: record }], result: undefined }));
    return reply.code(201).send(record);
  });
}
