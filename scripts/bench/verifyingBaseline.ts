import Fastify, { type FastifyInstance, type FastifyRequest } from 'fastify';
import { constants, createPublicKey, verify } from 'node:crypto';
import { saltLengthOf } from '../../server/signing/algorithms.js';
import { parseAuthorization } from '../../server/signing/authorizationHeader.js';
import { buildCanonicalRequest, stringToSign } from '../../server/signing/canonicalRequest.js';
import { decodeSignature } from '../../server/signing/decodeSignature.js';
import { RegisteredKey } from '../../server/signing/keyRegistry.js';
import { baselinePayload } from './baselinePayload.js';

/** The canonical form Java, .NET and PHP sign, and the one the mock tries first. */
const FIRST_VARIANT = { query: 'rfc3986', headerValues: 'trim' } as const;

/**
 * True when the request's signature verifies against `key` (its modulus fixes the signature's length): its authorization header parsed, its
 * canonical request built and hashed into the string to sign, and one RSASSA-PSS check with
 * node:crypto, synchronously. Whatever fails to parse counts as not verified.
 */
export function signatureVerifies(request: FastifyRequest, key: RegisteredKey): boolean {
  try {
    const auth = parseAuthorization(request.headers.authorization);
    const signature = decodeSignature(auth.signature, key.modulusBytes);
    if (signature === null) return false;
    const at = request.url.indexOf('?');
    const canonical = buildCanonicalRequest(
      {
        method: request.method,
        path: at === -1 ? request.url : request.url.slice(0, at),
        query: at === -1 ? '' : request.url.slice(at + 1),
        headers: request.headers,
        body: Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0),
        signedHeaderNames: auth.signedHeaderNames,
        signedHeaders: auth.signedHeaders,
      },
      FIRST_VARIANT,
    );
    const options = { key: key.keyObject, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: saltLengthOf(auth.algorithm) };
    return verify('sha256', Buffer.from(stringToSign(auth.algorithm, canonical), 'utf8'), options, signature);
  } catch {
    return false;
  }
}

/**
 * The bench's second reference: bare Fastify plus one RSA-PSS signature check per request, what
 * issue #8 called the stack's ceiling ("Fastify + one RSA-PSS verify"). It serves the baseline's
 * routes and fixed answer, and checks each request's own signature on the event loop before
 * answering (403 when it does not verify), with nothing else the mock does: no worker thread, no
 * store, no journal. The request body is kept as bytes, as the signature covers them.
 */
export function verifyingBaseline(publicKeyId: string, publicKeyPem: string): FastifyInstance {
  const key = new RegisteredKey(publicKeyId, publicKeyPem, createPublicKey(publicKeyPem));
  const app = Fastify({ logger: false });
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));
  const answer = async (request: FastifyRequest, reply: { code(status: number): unknown }) => {
    if (signatureVerifies(request, key)) return baselinePayload;
    reply.code(403);
    return { reasonCode: 'InvalidRequestSignature', message: 'The signature does not verify.' };
  };
  app.post('/v2/checkoutSessions/:checkoutSessionId/complete', answer);
  app.get('/v2/checkoutSessions/:checkoutSessionId', answer);
  app.get('/__admin/health', async () => ({ status: 'ok' }));
  return app;
}
