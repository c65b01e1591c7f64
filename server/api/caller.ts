import type { FastifyRequest } from 'fastify';
import { parseRegion, resolveEnvironment } from '../domain/environment.js';
import { echo } from '../domain/echo.js';
import { apiError } from '../domain/errors.js';
import type { Environment, RequestContext } from '../domain/types.js';
import { peekPublicKeyId } from '../signing/authorizationHeader.js';
import { headerText } from '../signing/headers.js';
import { environmentFromKeyId, merchantNamespace, namesMerchant } from '../signing/keyRegistry.js';
import { verifyRequest } from '../signing/verifyRequest.js';
import type { MockContext } from '../context.js';
import { splitTarget } from './rawUrl.js';
import type { OperationRequest } from './operationRoute.js';

/** Namespace used when signature checking is off and the caller sent no key id. */
export const ANONYMOUS_NAMESPACE = 'anonymous';

/** Who is calling, and which of Amazon's systems (environment, region) the call is for. */
export type Caller = Omit<RequestContext, 'now'>;

/**
 * Identifies the caller of an emulated operation, once: the key id of the Authorization header
 * (verified, unless `--signature off`), its merchant namespace, the environment (key prefix and
 * the URL's `/sandbox` or `/live` segment) and the region header. Throws the Amazon-shaped refusal
 * of a bad signature or an unknown environment segment.
 */
export async function identifyCaller(request: OperationRequest, raw: Buffer, deps: MockContext): Promise<Caller> {
  const pathEnv = environmentSegment(request);
  // The key id the header claims; verification (unless `--signature off`) confirms it or refuses.
  let publicKeyId = peekPublicKeyId(headerText(request.headers, 'authorization'));
  // A claimed id that names no merchant is never anyone's namespace: verification refuses it as an
  // unknown key, and without verification it is refused here (it could reach the server's own state).
  if (publicKeyId !== null && !namesMerchant(publicKeyId)) {
    if (deps.config.signature === 'off') {
      throw apiError('InvalidHeaderValue', `The PublicKeyId '${echo(publicKeyId)}' in the header 'authorization' is not a key id (1 to 64 characters from A-Z a-z 0-9 _ -, more than a SANDBOX- or LIVE- prefix).`);
    }
    publicKeyId = null;
  }
  try {
    if (deps.config.signature !== 'off') publicKeyId = await verifySignature(request, raw, deps);
  } finally {
    // Known even when the signature is refused, so the refusal lands in its merchant's journal
    // (a signed call always names a key; only with --signature off may it stay anonymous).
    if (publicKeyId !== null || deps.config.signature === 'off') request.trace.caller = { publicKeyId, ns: namespaceOf(publicKeyId) };
  }
  const keyEnv = publicKeyId ? environmentFromKeyId(publicKeyId) : null;
  const environment = resolveEnvironment({ publicKeyId, keyEnv, pathEnv }, deps.config.envConflict);
  return { ns: namespaceOf(publicKeyId), publicKeyId, environment, region: regionOf(request) };
}

/**
 * The region of a call: the Amazon API host it was addressed to (through the proxy, or a hosts-file
 * redirection), as at Amazon, where each region is its own host; else x-amz-pay-region. The header
 * is checked either way.
 */
function regionOf(request: OperationRequest): Caller['region'] {
  const fromHeader = parseRegion(headerText(request.headers, 'x-amz-pay-region'));
  const served = request.servedHost;
  return served !== null && served.serves === 'api' ? served.region : fromHeader;
}

const namespaceOf = (publicKeyId: string | null) => (publicKeyId ? merchantNamespace(publicKeyId) : ANONYMOUS_NAMESPACE);

/** Verifies the request's signature; the verified key id, or the Amazon-shaped refusal. */
async function verifySignature(request: OperationRequest, raw: Buffer, deps: MockContext): Promise<string> {
  const { path, query } = splitTarget(request.raw.url ?? '/');
  const signed = { method: request.method, path, query, headers: request.headers, body: raw };
  return (await verifyRequest(signed, { keys: deps.keys, verifier: deps.verifier, wallTime: deps.wallTime, skewSeconds: deps.config.clockSkewSeconds })).publicKeyId;
}

/** The environment named by the URL (`/sandbox/v2/...`, `/live/v2/...`), or null for `/v2/...`. */
function environmentSegment(request: OperationRequest): Environment | null {
  const segment = request.params.environment;
  if (segment === undefined) return null;
  if (segment !== 'sandbox' && segment !== 'live') {
    throw apiError('ResourceNotFound', `Unknown environment segment '/${segment}/'. Use /v2/..., /sandbox/v2/... or /live/v2/....`);
  }
  return segment;
}
