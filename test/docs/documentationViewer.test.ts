import Fastify from 'fastify';
import { copyFile, mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { packagePath } from '../../server/config.js';
import { documentationRoutes } from '../../server/docs/documentationRoutes.js';
import { testApp, type TestApp } from '../helpers/testApp.js';

describe('/documentation', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await testApp();
  });
  afterAll(() => t.close());

  it('is the interactive viewer, not raw JSON, and its page loads only its own assets', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/documentation' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.payload).toContain('swagger-ui');
    // Every script and stylesheet is relative to the mock: no CDN.
    const refs = [...res.payload.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]!);
    expect(refs.length).toBeGreaterThan(0);
    for (const ref of refs) expect(ref, ref).not.toMatch(/^(?:https?:)?\/\//);
  });

  it('serves the viewer assets from the package and points it at /documentation/json without the outside validator', async () => {
    const init = await t.app.inject({ method: 'GET', url: '/documentation/static/swagger-initializer.js' });
    expect(init.statusCode).toBe(200);
    expect(init.payload).toMatch(/json/);
    expect(init.payload).toMatch(/validatorUrl: null/);
    const bundle = await t.app.inject({ method: 'GET', url: '/documentation/static/swagger-ui-bundle.js' });
    expect(bundle.statusCode).toBe(200);
    expect(bundle.headers['content-type']).toMatch(/javascript/);
    expect((await t.app.inject({ method: 'GET', url: '/documentation/static/no-such-file.js' })).statusCode).toBe(404);
  });

  it('answers a file the viewer does not have with Amazon\'s 404, not the viewer\'s own error body', async () => {
    for (const url of ['/documentation/static/no-such-file.js', '/documentation/static/..%2f..%2fpackage.json']) {
      const res = await t.app.inject({ method: 'GET', url });
      expect(res.statusCode, url).toBe(404);
      expect(res.headers['content-type'], url).toMatch(/^application\/json/);
      expect(Object.keys(res.json()), url).toEqual(['reasonCode', 'message']);
      expect(res.json().reasonCode, url).toBe('ResourceNotFound');
      expect(res.headers['x-amz-pay-request-id'], url).toBeTruthy();
      expect(res.headers['content-security-policy'], url).toContain("default-src 'self'");
    }
  });

  it('keeps the raw document at /documentation/json and /documentation/yaml (application/yaml)', async () => {
    const json = await t.app.inject({ method: 'GET', url: '/documentation/json' });
    expect(json.statusCode).toBe(200);
    const yaml = await t.app.inject({ method: 'GET', url: '/documentation/yaml' });
    expect(yaml.statusCode).toBe(200);
    expect(yaml.headers['content-type']).toMatch(/^application\/yaml/);
    expect(parseYaml(yaml.payload)).toEqual(json.json());
  });
});

describe('/documentation at start-up', () => {
  it('reads the document only when /documentation is first requested, not when the app starts', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'amazon-pay-mock-docs-'));
    const spec = path.join(dir, 'openapi.yaml');
    const app = Fastify({ logger: false });
    try {
      documentationRoutes(app, spec, dir);
      await app.ready(); // the document does not exist yet: starting must not need it
      await copyFile(packagePath('openapi.yaml'), spec);
      const json = await app.inject({ method: 'GET', url: '/documentation/json' });
      expect(json.statusCode).toBe(200);
      expect(json.json()).toEqual(parseYaml(await readFile(spec, 'utf8')));
    } finally {
      await app.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
