import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { echo } from '../domain/echo.js';
import { apiError } from '../domain/errors.js';

/** The routes the viewer serves (openapi.yaml lists the same). */
export const documentationPaths = [
  '/documentation',
  '/documentation/json',
  '/documentation/yaml',
  '/documentation/static/index.html',
  '/documentation/static/swagger-initializer.js',
  '/documentation/static/*',
] as const;

/** The viewer's Content-Security-Policy: everything from the mock itself. */
const viewerPolicy = "default-src 'self'; img-src 'self' data:; script-src 'self'; style-src 'self' 'unsafe-inline'; object-src 'none'; base-uri 'self'; frame-ancestors 'self'";

/** Headers that belong to one connection, not to the answer being passed on. */
const hopByHop = new Set(['connection', 'keep-alive', 'transfer-encoding', 'date', 'upgrade']);

/**
 * The viewer itself: @fastify/swagger reading the document and @fastify/swagger-ui (its assets ship
 * in the package, so nothing is fetched from a CDN and it works offline), in a Fastify instance of
 * its own that never listens.
 */
async function buildViewer(specPath: string, baseDir: string): Promise<FastifyInstance> {
  const [{ default: Fastify }, { default: swagger }, { default: swaggerUi }] = await Promise.all([import('fastify'), import('@fastify/swagger'), import('@fastify/swagger-ui')]);
  const viewer = Fastify({ logger: false, routerOptions: { ignoreTrailingSlash: true } });
  await viewer.register(swagger, { mode: 'static', specification: { path: specPath, baseDir } });
  await viewer.register(async (docs) => {
    // swagger-ui answers YAML as application/x-yaml; application/yaml is the registered type (RFC 9512).
    docs.addHook('onSend', async (_request, reply, payload) => {
      if (String(reply.getHeader('content-type') ?? '').startsWith('application/x-yaml')) reply.type('application/yaml');
      return payload;
    });
    await docs.register(swaggerUi, {
      routePrefix: '/documentation',
      // No call to validator.swagger.io: the viewer must not leave the machine.
      validatorUrl: false,
      uiConfig: { deepLinking: true, tryItOutEnabled: false },
      // Swagger UI's default policy adds upgrade-insecure-requests, which breaks the viewer on the
      // plain-HTTP listener, and allows outside hosts; this one keeps everything on the mock.
      staticCSP: viewerPolicy,
    });
  });
  await viewer.ready();
  return viewer;
}

/**
 * /documentation: the OpenAPI document in the interactive viewer, with the raw document at
 * /documentation/json and /documentation/yaml. Nothing of it is loaded at start-up (parsing the
 * document and loading the viewer took most of a cold start): the first request builds the
 * viewer, and every request is passed to it in-process, so the app's own hooks (request id,
 * logging) still apply.
 */
export function documentationRoutes(app: FastifyInstance, specPath: string, baseDir: string): void {
  let viewer: Promise<FastifyInstance> | null = null;
  const forward = async (request: FastifyRequest, reply: FastifyReply) => {
    viewer ??= buildViewer(specPath, baseDir).catch((err: unknown) => {
      viewer = null; // a later request tries again
      throw err;
    });
    const headers: Record<string, string | string[]> = {};
    for (const [name, value] of Object.entries(request.headers)) if (value !== undefined && !hopByHop.has(name) && name !== 'host') headers[name] = value;
    const answer = await (await viewer).inject({ method: 'GET', url: request.url, headers });
    // The viewer's own refusals (`{"message","error","statusCode"}`) become Amazon's shape like every other error.
    if (answer.statusCode >= 400) {
      const path = request.url.split('?')[0]!;
      reply.header('content-security-policy', viewerPolicy);
      if (answer.statusCode === 404) throw apiError('ResourceNotFound', `The documentation has no file at ${echo(path)}.`);
      throw apiError(answer.statusCode < 500 ? 'InvalidRequest' : 'InternalServerError', `The documentation viewer could not answer GET ${echo(path)} (status ${answer.statusCode}).`);
    }
    reply.code(answer.statusCode);
    for (const [name, value] of Object.entries(answer.headers)) if (value !== undefined && !hopByHop.has(name)) reply.header(name, value);
    return reply.send(answer.rawPayload);
  };
  for (const path of documentationPaths) app.get(path, forward);
  app.addHook('onClose', async () => {
    const built = await viewer?.catch(() => null);
    await built?.close();
  });
}
