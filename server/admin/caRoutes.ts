import type { FastifyInstance } from 'fastify';
import { apiError } from '../domain/errors.js';
import { readIfPresent, tlsPaths } from '../tls/tlsFiles.js';
import type { MockContext } from '../context.js';

/** GET /__admin/ca.pem: the local CA certificate (public), read from the data dir where start-up keeps it. */
export function caRoutes(app: FastifyInstance, deps: Pick<MockContext, 'config'>): void {
  app.get('/__admin/ca.pem', async (_request, reply) => {
    const dataDir = deps.config.dataDir;
    const pem = await readIfPresent(dataDir, tlsPaths(dataDir).caCert);
    if (pem === null) throw apiError('ResourceNotFound', `No local CA in ${tlsPaths(dataDir).dir} yet: it is created when the server starts.`);
    return reply.type('application/x-pem-file').header('content-disposition', 'attachment; filename="amazon-pay-mock-ca.pem"').send(pem);
  });
}
