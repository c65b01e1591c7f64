import Fastify, { type FastifyInstance } from 'fastify';
import { describe, expect, it, vi } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { doc, documentedOperations, fastifyPath } from '../helpers/openapiDocument.js';
import { useDocumentedApp, app, expectDocumented } from './documentedApp.js';

// Fastify 5 has no public list of registered routes, but it calls every `onRoute` hook for each
// route it registers. Wrapping the factory installs such a hook on every instance before any
// route exists, so nothing registered by buildApp (or a plugin it registers) can be missed.
const routesOf = vi.hoisted(() => new WeakMap<object, { method: string; url: string }[]>());
vi.mock('fastify', async (importOriginal) => {
  const actual = await importOriginal<typeof import('fastify')>();
  const create = actual.default as unknown as (options?: unknown) => FastifyInstance;
  const withRouteLog = (options?: unknown) => {
    const instance = create(options);
    const seen: { method: string; url: string }[] = [];
    routesOf.set(instance, seen);
    instance.addHook('onRoute', (route) => {
      for (const method of [route.method].flat()) seen.push({ method: String(method), url: route.url });
    });
    return instance;
  };
  return { ...actual, default: withRouteLog, fastify: withRouteLog };
});

useDocumentedApp();

describe('openapi.yaml: served routes and the served document', () => {
  it('lists every served route and only those', () => {
    const registered = routesOf.get(app);
    expect(registered, 'the onRoute log of the app').toBeDefined();
    // HEAD routes Fastify adds by itself for each GET do not count.
    const gets = new Set(registered!.filter((r) => r.method === 'GET').map((r) => r.url));
    const served = registered!.filter((r) => !(r.method === 'HEAD' && gets.has(r.url))).map((r) => `${r.method} ${r.url}`);
    expect(new Set(served).size, 'no route is registered twice').toBe(served.length);
    // Sanity: the log saw the three parts of the app.
    expect(served).toContain('GET /documentation/json');
    expect(served).toContain('GET /__admin/health');
    expect(served).toContain('POST /v2/checkoutSessions');

    const documented = documentedOperations().map((o) => `${o.method} ${fastifyPath(o.path)}`);
    const undocumented = served.filter((r) => !documented.includes(r));
    const notServed = documented.filter((r) => !served.includes(r));
    expect(undocumented, 'served but missing from openapi.yaml').toEqual([]);
    expect(notServed, 'in openapi.yaml but not served').toEqual([]);

    // And the router itself agrees, through its public API.
    for (const route of [...documented]) {
      const [method, url] = route.split(' ') as [string, string];
      expect(app.hasRoute({ method: method as 'GET', url }), route).toBe(true);
    }
  });

  it('serves the document at /documentation/json and /documentation/yaml', async () => {
    const res0 = await app.inject({ method: 'GET', url: '/documentation/json' });
    expect(res0.statusCode).toBe(200);
    expect(res0.headers['content-type']).toMatch(/^application\/json/);
    expect(res0.json()).toEqual(doc);
    await expectDocumented('getDocumentationJson', res0);
    const res = await app.inject({ method: 'GET', url: '/documentation/yaml' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/yaml/);
    expect(parseYaml(res.payload)).toEqual(doc);
    await expectDocumented('getDocumentationYaml', res);
  });
});
