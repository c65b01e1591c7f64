import type { FastifyInstance } from 'fastify';
import { apiError } from '../domain/errors.js';
import { saveKey } from './registeredKeys.js';
import { parseJsonBody } from '../http/jsonBody.js';
import type { MockContext } from '../context.js';

const fields = new Set(['publicKeyId', 'publicKey', 'replace']);

/**
 * /__admin/publicKeys: register a merchant's public key at run time, and list what is registered.
 * Registering the same key again is 200; a new id 201; an id (or another form of the merchant's
 * id) with a different key 409 PublicKeyIdInUse unless `"replace": true`. Registered keys are
 * stored, so they survive a restart.
 */
export function keyRoutes(app: FastifyInstance, deps: MockContext): void {
  app.get('/__admin/publicKeys', async () => ({ publicKeys: deps.keys.list() }));
  app.post('/__admin/publicKeys', async (request, reply) => {
    const body = parseJsonBody(request.body);
    for (const key of Object.keys(body)) if (!fields.has(key)) throw apiError('UnrecognizedField', `The field '${key.slice(0, 100)}' is invalid for this API.`);
    if (typeof body.publicKeyId !== 'string' || body.publicKeyId === '') throw apiError('MissingParameterValue', "The parameter 'publicKeyId' is required but was not provided.");
    if (typeof body.publicKey !== 'string' || body.publicKey === '') throw apiError('MissingParameterValue', "The parameter 'publicKey' (PEM text) is required but was not provided.");
    if (body.replace !== undefined && body.replace !== null && typeof body.replace !== 'boolean') throw apiError('InvalidParameterValue', "The value provided for 'replace' is invalid. Expected true or false.");
    const replace = body.replace === true;
    const key = deps.keys.prepare(body.publicKeyId, body.publicKey, { replace });
    // Checked again against the store, which other instances on it register through, and durable
    // before it takes effect: a key that answers 201 is still there after a restart.
    const saved = await saveKey(deps.store, key, { replace, knownHere: deps.keys.get(key.publicKeyId)?.fingerprint === key.fingerprint });
    deps.keys.set(key);
    return reply.code(saved ? 201 : 200).send({ publicKeyId: key.publicKeyId, fingerprint: key.fingerprint });
  });
}
