import type { FastifyInstance } from 'fastify';
import { parseJsonBody } from '../api/jsonBody.js';
import { apiError } from '../domain/errors.js';
import type { AdminDeps } from './adminDeps.js';

/** /__admin/publicKeys: register a merchant's public key at run time, and list what is registered. */
export function keyRoutes(app: FastifyInstance, deps: AdminDeps): void {
  app.get('/__admin/publicKeys', async () => ({ publicKeys: deps.keys.list() }));
  app.post('/__admin/publicKeys', async (request, reply) => {
    const body = parseJsonBody(request.body);
    for (const key of Object.keys(body)) if (key !== 'publicKeyId' && key !== 'publicKey') throw apiError('UnrecognizedField', `The field '${key}' is invalid for this API.`);
    if (typeof body.publicKeyId !== 'string' || body.publicKeyId === '') throw apiError('MissingParameterValue', "The parameter 'publicKeyId' is required but was not provided.");
    if (typeof body.publicKey !== 'string' || body.publicKey === '') throw apiError('MissingParameterValue', "The parameter 'publicKey' (PEM text) is required but was not provided.");
    const key = deps.keys.add(body.publicKeyId, body.publicKey);
    return reply.code(201).send({ publicKeyId: key.publicKeyId, fingerprint: key.fingerprint });
  });
}
