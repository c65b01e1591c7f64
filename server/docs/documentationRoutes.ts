import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';

/**
 * /documentation: the OpenAPI document in the interactive viewer @fastify/swagger-ui (its assets
 * ship in the package, so nothing is fetched from a CDN and it works offline), with the raw
 * document at /documentation/json and /documentation/yaml.
 */
export async function documentationRoutes(app: FastifyInstance, specPath: string, baseDir: string): Promise<void> {
  await app.register(swagger, { mode: 'static', specification: { path: specPath, baseDir } });
  await app.register(async (docs) => {
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
      staticCSP: "default-src 'self'; img-src 'self' data:; script-src 'self'; style-src 'self' 'unsafe-inline'; object-src 'none'; base-uri 'self'; frame-ancestors 'self'",
    });
  });
}
