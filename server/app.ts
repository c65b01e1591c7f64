import Fastify, { type FastifyInstance } from 'fastify';
import type { Config } from './config.js';

/** Builds the Fastify instance with every route; does not listen (tests inject or listen on port 0). */
export async function buildApp(config: Config): Promise<FastifyInstance> {
  const app = Fastify({ logger: config.logLevel === 'silent' ? false : { level: config.logLevel } });
  app.get('/__admin/health', async () => ({ status: 'ok' }));
  return app;
}
