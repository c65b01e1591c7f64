import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { lazySchemaCompilers } from '../../server/lazySchemaCompilers.js';

describe('lazySchemaCompilers', () => {
  it('still validates and serializes a route that declares JSON schemas (the compilers load on first use)', async () => {
    const app = Fastify({ logger: false, schemaController: { compilersFactory: lazySchemaCompilers } });
    app.post(
      '/echo',
      {
        schema: {
          body: { type: 'object', required: ['amount'], properties: { amount: { type: 'string', pattern: '^[0-9]+$' } } },
          response: { 200: { type: 'object', properties: { amount: { type: 'string' } } } },
        },
      },
      async (request) => ({ ...(request.body as object), secret: 'not in the response schema' }),
    );
    try {
      const bad = await app.inject({ method: 'POST', url: '/echo', payload: { amount: 'ten' } });
      expect(bad.statusCode).toBe(400);
      expect(bad.json()).toMatchObject({ code: 'FST_ERR_VALIDATION' });
      const good = await app.inject({ method: 'POST', url: '/echo', payload: { amount: '10' } });
      expect(good.statusCode).toBe(200);
      expect(good.json()).toEqual({ amount: '10' });
    } finally {
      await app.close();
    }
  });
});
