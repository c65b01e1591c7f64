import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import Fastify, { type FastifyInstance, type InjectOptions, type LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { operationRoutes } from '../server/api/registerApi.js';
import { buildApp } from '../server/app.js';
import { loadConfig, packagePath, type Config } from '../server/config.js';
import { simulatedCards } from '../server/domain/cards.js';
import { approveFields } from '../server/domain/checkoutSession/approveSession.js';
import { completeSessionFields, createSessionFields, updateSessionFields } from '../server/domain/checkoutSession/sessionSchema.js';
import { currencies } from '../server/domain/money.js';
import { operationNames } from '../server/domain/operations.js';
import { reasonCodes } from '../server/domain/reasonCodes.js';
import { formatTimestamp } from '../server/domain/time.js';
import type { Schema } from '../server/domain/validation.js';
import { MemoryStore } from '../server/store/memoryStore.js';

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

/* eslint-disable @typescript-eslint/no-explicit-any */
type Json = any;

const docText = readFileSync(packagePath('openapi.yaml'), 'utf8');
const doc: Json = parseYaml(docText);

const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;

/** The node a local `#/...` reference points at; throws when it does not resolve. */
function pointer(ref: string): Json {
  if (!ref.startsWith('#/')) throw new Error(`only local references are used: ${ref}`);
  return ref
    .slice(2)
    .split('/')
    .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce((node: Json, key: string) => {
      if (node === null || typeof node !== 'object' || !(key in node)) throw new Error(`unresolved reference ${ref}`);
      return node[key];
    }, doc);
}

/** Follows `$ref` until a real node. */
function deref(node: Json): Json {
  let current = node;
  for (let hops = 0; current && typeof current === 'object' && typeof current.$ref === 'string'; hops++) {
    if (hops > 20) throw new Error(`reference loop at ${node.$ref}`);
    current = pointer(current.$ref);
  }
  return current;
}

interface DocOperation {
  path: string;
  method: string;
  operation: Json;
}

function documentedOperations(): DocOperation[] {
  return Object.entries(doc.paths as Record<string, Json>).flatMap(([path, item]) =>
    HTTP_METHODS.filter((m) => item[m]).map((m) => ({ path, method: m.toUpperCase(), operation: item[m] })),
  );
}

function operationById(id: string): DocOperation {
  const found = documentedOperations().filter((o) => o.operation.operationId === id);
  expect(found, `operationId ${id}`).toHaveLength(1);
  return found[0]!;
}

/** `/{environment}/v2/x/{id}` -> `/:environment/v2/x/:id` */
const fastifyPath = (openApiPath: string) => openApiPath.replace(/\{([^}]+)\}/g, ':$1');

/** Every object schema reachable from `node` (through $ref, properties, items, combinators), with where it was found. */
function* objectSchemas(node: Json, where: string, seen = new Set<Json>()): Generator<{ schema: Json; where: string }> {
  if (!node || typeof node !== 'object') return;
  const name = typeof node.$ref === 'string' ? node.$ref.replace('#/components/schemas/', '') : where;
  const schema = deref(node);
  if (seen.has(schema)) return;
  seen.add(schema);
  if (schema.properties) yield { schema, where: name };
  for (const [key, child] of Object.entries(schema.properties ?? {})) yield* objectSchemas(child, `${name}.${key}`, seen);
  if (schema.items) yield* objectSchemas(schema.items, `${name}[]`, seen);
  for (const combinator of ['oneOf', 'anyOf', 'allOf'] as const) {
    for (const [i, child] of (schema[combinator] ?? []).entries()) yield* objectSchemas(child, `${name}.${combinator}[${i}]`, seen);
  }
}

/** The JSON schemas of every documented response body, by operation and status. */
function responseSchemas(): { where: string; schema: Json }[] {
  return documentedOperations().flatMap(({ operation }) =>
    Object.entries(operation.responses as Record<string, Json>).flatMap(([status, response]) => {
      const schema = deref(response).content?.['application/json']?.schema;
      return schema ? [{ where: `${operation.operationId} ${status}`, schema }] : [];
    }),
  );
}

// ---------------------------------------------------------------------------------------------
// A JSON Schema validator for the document's schemas, borrowed from Fastify (its Ajv with the
// OpenAPI `nullable` keyword), set up to report instead of coerce or strip.

interface SchemaChecker {
  /** null when `value` matches `schema` (a schema object from the document), else Ajv's complaint. */
  check(schema: Json, value: unknown): Promise<string | null>;
  close(): Promise<void>;
}

function qualifyRefs(node: Json): Json {
  if (Array.isArray(node)) return node.map(qualifyRefs);
  if (!node || typeof node !== 'object') return node;
  return Object.fromEntries(
    Object.entries(node).map(([k, v]) => [k, k === '$ref' && typeof v === 'string' ? `openapi${v}` : qualifyRefs(v)]),
  );
}

async function schemaChecker(): Promise<SchemaChecker> {
  const checker = Fastify({
    logger: false,
    ajv: { customOptions: { strict: false, coerceTypes: false, removeAdditional: false, useDefaults: false, allErrors: true } },
  });
  checker.addSchema({ $id: 'openapi', components: { schemas: doc.components.schemas } });
  const candidates = [
    ...Object.keys(doc.components.schemas).map((name) => ({ $ref: `#/components/schemas/${name}` })),
    ...responseSchemas().map((r) => r.schema),
  ];
  const routeOf = new Map<string, string>();
  for (const schema of candidates) {
    const key = JSON.stringify(schema);
    if (routeOf.has(key)) continue;
    const url = `/${routeOf.size}`;
    routeOf.set(key, url);
    checker.post(url, { schema: { body: qualifyRefs(schema) } }, async () => 'ok');
  }
  await checker.ready();
  return {
    async check(schema, value) {
      const url = routeOf.get(JSON.stringify(schema));
      if (!url) throw new Error(`schema not prepared: ${JSON.stringify(schema).slice(0, 120)}`);
      const res = await checker.inject({ method: 'POST', url, payload: JSON.stringify(value), headers: { 'content-type': 'application/json' } });
      return res.statusCode === 200 ? null : (JSON.parse(res.payload).message as string);
    },
    close: () => checker.close(),
  };
}

const component = (name: string) => ({ $ref: `#/components/schemas/${name}` });

// ---------------------------------------------------------------------------------------------

function testConfig(overrides: Partial<Config> = {}): Config {
  return loadConfig([], {}, { store: 'memory', logLevel: 'silent', scenariosDir: null, ...overrides });
}

const storeId = 'amzn1.application-oa2-client.0123456789abcdef0123456789abcdef';

function sessionBody(paymentDetails: Record<string, unknown> = {}) {
  return {
    storeId,
    webCheckoutDetails: { checkoutReviewReturnUrl: 'https://merchant.example/review', checkoutResultReturnUrl: 'https://merchant.example/result' },
    paymentDetails: { paymentIntent: 'Authorize', chargeAmount: { amount: '50.00', currencyCode: 'USD' }, ...paymentDetails },
    merchantMetadata: { merchantReferenceId: 'order-1', merchantStoreName: 'Demo Store' },
  };
}

let app: FastifyInstance;
let checker: SchemaChecker;

beforeAll(async () => {
  app = await buildApp(testConfig({ signature: 'off' }), { store: new MemoryStore() });
  checker = await schemaChecker();
});

afterAll(async () => {
  await app?.close();
  await checker?.close();
});

/**
 * Injects a request as an SDK would send it with signing off: JSON content type, and a fresh
 * idempotency key on POSTs to the emulated API unless `headers` sets one (null leaves it out).
 */
function send(target: FastifyInstance, method: string, url: string, body?: unknown, headers: Record<string, string | null> = {}) {
  const payload = body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body);
  const all: Record<string, string | null> = { 'content-type': 'application/json', ...headers };
  if (method === 'POST' && /\/v2\//.test(url) && !('x-amz-pay-idempotency-key' in headers)) all['x-amz-pay-idempotency-key'] = randomUUID().replace(/-/g, '');
  const sent = Object.fromEntries(Object.entries(all).filter((e): e is [string, string] => e[1] !== null));
  return target.inject({ method: method as InjectOptions['method'], url, payload, headers: sent });
}

async function createSession(paymentDetails: Record<string, unknown> = {}): Promise<string> {
  const res = await send(app, 'POST', '/sandbox/v2/checkoutSessions', sessionBody(paymentDetails));
  expect(res.statusCode, res.payload).toBe(201);
  return res.json().checkoutSessionId;
}

/**
 * Checks one real answer against the document: its status is documented for the operation (or
 * falls under `default` when `allowDefault`), it carries x-amz-pay-request-id as documented, its
 * content type is the documented one, and its JSON body matches the documented schema.
 */
async function expectDocumented(operationId: string, res: LightMyRequestResponse, allowDefault = false): Promise<Json> {
  const { operation } = operationById(operationId);
  const status = String(res.statusCode);
  const key = operation.responses[status] ? status : allowDefault ? 'default' : null;
  expect(key, `${operationId} answered ${status}, which is not documented: ${res.payload.slice(0, 300)}`).not.toBeNull();
  const response = deref(operation.responses[key!]);
  const requestIdHeader = deref(response.headers?.['x-amz-pay-request-id']);
  expect(requestIdHeader?.required, `${operationId} ${key} documents x-amz-pay-request-id`).toBe(true);
  expect(String(res.headers['x-amz-pay-request-id'])).toMatch(new RegExp(requestIdHeader.schema.pattern));
  const [contentType] = Object.keys(response.content);
  expect(String(res.headers['content-type'])).toContain(contentType);
  if (contentType === 'application/json') {
    const problem = await checker.check(response.content[contentType].schema, res.json());
    expect(problem, `${operationId} ${status} body does not match the document: ${res.payload.slice(0, 500)}`).toBeNull();
  }
  return response;
}

// ---------------------------------------------------------------------------------------------

describe('openapi.yaml', () => {
  it('is an OpenAPI 3.0.3 document whose references, parameters and operation ids are consistent', () => {
    expect(doc.openapi).toBe('3.0.3');
    expect(doc.info.title).toBe('amazon-pay-mock');
    expect(doc.info.version).toBe(JSON.parse(readFileSync(packagePath('package.json'), 'utf8')).version);
    expect(doc.info.description).toMatch(/\/sandbox\/v2/);
    expect(doc.info.description).toMatch(/__admin/);

    // Every reference resolves.
    const refs: string[] = [];
    const walk = (node: Json) => {
      if (Array.isArray(node)) node.forEach(walk);
      else if (node && typeof node === 'object') for (const [k, v] of Object.entries(node)) k === '$ref' ? refs.push(v as string) : walk(v);
    };
    walk(doc);
    expect(refs.length).toBeGreaterThan(50);
    for (const ref of refs) expect(() => pointer(ref), ref).not.toThrow();

    const ops = documentedOperations();
    const ids = ops.map((o) => o.operation.operationId);
    expect(new Set(ids).size, 'operationIds are unique').toBe(ids.length);
    for (const { path, method, operation } of ops) {
      const where = `${method} ${path}`;
      expect(operation.operationId, where).toMatch(/^[a-z][A-Za-z]+$/);
      expect(operation.tags?.length, `${where} has a tag`).toBeGreaterThan(0);
      for (const tag of operation.tags) expect(doc.tags.map((t: Json) => t.name), `${where} tag ${tag}`).toContain(tag);
      const params = (operation.parameters ?? []).map(deref);
      const pathParams = params.filter((p: Json) => p.in === 'path').map((p: Json) => p.name).sort();
      const inTemplate = [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]).sort();
      expect(pathParams, `${where} declares exactly its path parameters`).toEqual(inTemplate);
      for (const p of params) if (p.in === 'path') expect(p.required, `${where} ${p.name}`).toBe(true);
      expect(Object.keys(operation.responses).length, `${where} has responses`).toBeGreaterThan(0);
      for (const [status, response] of Object.entries(operation.responses)) {
        expect(status, where).toMatch(/^([1-5]\d\d|default)$/);
        expect(typeof deref(response).description, `${where} ${status} has a description`).toBe('string');
      }
      if (['GET', 'DELETE'].includes(method)) expect(operation.requestBody, `${where} takes no body`).toBeUndefined();
    }
  });

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

  it('names each emulated operation after the SDK method, once per URL prefix', () => {
    const emulated = documentedOperations().filter((o) => !o.path.startsWith('/__admin') && !o.path.startsWith('/documentation'));
    const expected = operationRoutes.flatMap((r) => [
      { key: `${r.method} /v2${r.path}`, id: r.name },
      { key: `${r.method} /:environment/v2${r.path}`, id: `${r.name}InEnvironment` },
    ]);
    const actual = emulated.map((o) => ({ key: `${o.method} ${fastifyPath(o.path)}`, id: o.operation.operationId }));
    const byKey = (a: { key: string }, b: { key: string }) => (a.key < b.key ? -1 : 1);
    expect(actual.sort(byKey)).toEqual(expected.sort(byKey));
    expect([...new Set(operationRoutes.map((r) => r.name))].sort()).toEqual([...operationNames].sort());

    const signedHeaders = ['authorization', 'x-amz-pay-date', 'x-amz-pay-host', 'x-amz-pay-region', 'x-amz-pay-simulation-code'];
    for (const { path, method, operation } of emulated) {
      const where = `${method} ${path}`;
      const route = operationRoutes.find((r) => operation.operationId.replace(/InEnvironment$/, '') === r.name)!;
      const params = operation.parameters as Json[];
      for (const p of params) expect(p.$ref, `${where}: parameters are the reusable components`).toMatch(/^#\/components\/parameters\//);
      const headers = params.map(deref).filter((p: Json) => p.in === 'header');
      for (const h of signedHeaders) expect(headers.map((p: Json) => p.name), where).toContain(h);
      // The pipeline reads the key on every POST; it is required where the route says so.
      const idempotencyKey = headers.find((p: Json) => p.name === 'x-amz-pay-idempotency-key');
      expect(idempotencyKey !== undefined, `${where}: idempotency key on POSTs only`).toBe(method === 'POST');
      if (idempotencyKey) expect(idempotencyKey.required, `${where}: idempotency key required`).toBe(route.idempotency === 'required');
      expect(operation.security, where).toEqual([{ AmazonPaySignature: [] }]);
      if (path.startsWith('/{environment}')) {
        expect(deref(params[0]).schema.enum).toEqual(['sandbox', 'live']);
        expect(operation.responses['404'], `${where} documents the unknown environment segment`).toBeDefined();
      }
      for (const status of ['400', '401', '403', '500', 'default']) expect(operation.responses[status], `${where} ${status}`).toBeDefined();
      if (operation.requestBody) expect(operation.responses['413'], `${where} 413`).toBeDefined();
    }
    expect(operationById('completeCheckoutSession').operation.responses['202']).toBeDefined();
    expect(operationById('completeCheckoutSession').operation.responses['200']).toBeDefined();

    // Scenario rules match on the same names.
    const ruleOperation = deref(component('ScenarioRuleInput')).properties.match.properties.operation.enum;
    expect(ruleOperation).toEqual(['*', ...operationNames]);
    expect(deref(component('ScenarioMatch')).properties.operation.enum).toEqual(['*', ...operationNames]);
  });

  it('documents the whole reason-code catalog', () => {
    const catalog = Object.entries(reasonCodes).map(([reasonCode, entry]) => ({ reasonCode, status: entry.status, message: entry.message }));
    expect(doc['x-reason-codes']).toEqual(catalog);
    expect(deref(component('ReasonCode')).enum).toEqual(Object.keys(reasonCodes));

    const error = deref(component('Error'));
    expect(error.additionalProperties).toBe(false);
    expect(error.required).toEqual(['reasonCode', 'message']);
    expect(Object.keys(error.properties)).toEqual(['reasonCode', 'message']);
    expect(error.properties.reasonCode).toEqual(component('ReasonCode'));

    // Each error response names its reason codes, and the catalog gives each of them that status.
    const statusOf = (code: string) => (reasonCodes as Record<string, { status: number }>)[code]?.status;
    let checked = 0;
    for (const { path, method, operation } of documentedOperations()) {
      for (const [status, ref] of Object.entries(operation.responses as Record<string, Json>)) {
        if (status !== 'default' && Number(status) < 400) continue;
        const response = deref(ref);
        expect(response.content['application/json'].schema, `${method} ${path} ${status}`).toEqual(component('Error'));
        if (status === 'default') continue;
        const codes = response['x-reason-codes'] as string[];
        expect(codes?.length, `${method} ${path} ${status} lists its reason codes`).toBeGreaterThan(0);
        for (const code of codes) {
          expect(statusOf(code), `${method} ${path} ${status}: ${code}`).toBe(Number(status));
          checked++;
        }
      }
    }
    expect(checked).toBeGreaterThan(50);
  });

  it('documents x-amz-pay-request-id on every response', () => {
    const requestId = doc.components.headers.RequestId;
    expect(requestId.required).toBe(true);
    for (const { path, method, operation } of documentedOperations()) {
      for (const [status, ref] of Object.entries(operation.responses as Record<string, Json>)) {
        const headers = deref(ref).headers ?? {};
        expect(headers['x-amz-pay-request-id'], `${method} ${path} ${status}`).toEqual({ $ref: '#/components/headers/RequestId' });
      }
    }
  });

  it('describes every wire object with all keys required and no others allowed', () => {
    // Keys the server leaves out when not set, rather than sending null.
    const optionalKeys: Record<string, string> = { ScenarioMatch: 'a rule lists only the conditions it was given' };
    const wire = responseSchemas().filter((r) => !/^getDocumentation/.test(r.where));
    const roots = [...wire, { where: 'ChargePermission', schema: component('ChargePermission') }, { where: 'Charge', schema: component('Charge') }];
    const seen = new Set<Json>();
    let objects = 0;
    for (const root of roots) {
      for (const { schema, where } of objectSchemas(root.schema, root.where, seen)) {
        objects++;
        expect(schema.type, where).toBe('object');
        expect(schema.additionalProperties, `${where} allows no other keys`).toBe(false);
        if (optionalKeys[where]) continue;
        expect(schema.required, `${where}: every key is required, in order`).toEqual(Object.keys(schema.properties));
      }
    }
    expect(objects).toBeGreaterThan(30);

    const session = deref(component('CheckoutSession'));
    expect(session.required).toEqual([
      'checkoutSessionId', 'webCheckoutDetails', 'productType', 'paymentDetails', 'chargePermissionType', 'orderType',
      'recurringMetadata', 'paymentMethodOnFileMetadata', 'merchantDetails', 'merchantMetadata', 'supplementaryData', 'buyer',
      'billingAddress', 'paymentPreferences', 'statusDetails', 'shippingAddress', 'platformId', 'chargePermissionId', 'chargeId',
      'constraints', 'creationTimestamp', 'expirationTimestamp', 'storeId', 'providerMetadata', 'releaseEnvironment',
      'checkoutButtonText', 'deliverySpecifications', 'tokens',
    ]);
  });

  it('states the same field limits as the request validation', () => {
    const problems: string[] = [];
    const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
    const compare = (node: Json, schema: Schema, where: string) => {
      const d = deref(node);
      const fail = (why: string) => problems.push(`${where}: ${why}`);
      switch (schema.type) {
        case 'string': {
          if (d.type !== 'string') return fail(`type ${d.type}, expected string`);
          if (d.maxLength !== schema.max) fail(`maxLength ${d.maxLength}, validation says ${schema.max}`);
          if (d.pattern !== schema.pattern?.source) fail(`pattern ${d.pattern}, validation says ${schema.pattern?.source}`);
          const values = d.enum?.filter((v: unknown) => v !== null).sort();
          const allowed = schema.enum ? [...schema.enum].sort() : undefined;
          if (!same(values, allowed)) fail(`enum ${JSON.stringify(values)}, validation says ${JSON.stringify(allowed)}`);
          return;
        }
        case 'boolean':
          if (d.type !== 'boolean') fail(`type ${d.type}, expected boolean`);
          return;
        case 'amountOrNumberString': {
          const types = (d.anyOf ?? []).map((s: Json) => deref(s).type).sort();
          if (!same(types, ['number', 'string'])) fail(`expected anyOf string/number, got ${JSON.stringify(d)}`);
          return;
        }
        case 'price':
          if (node.$ref !== '#/components/schemas/PriceInput') fail(`expected the PriceInput schema, got ${JSON.stringify(node)}`);
          return;
        case 'object': {
          if (d.type !== 'object') return fail(`type ${d.type}, expected object`);
          const keys = Object.keys(d.properties ?? {});
          if (!same(keys, Object.keys(schema.fields))) fail(`fields ${keys}, validation says ${Object.keys(schema.fields)}`);
          if (!same(d.required ?? [], schema.required ?? [])) fail(`required ${d.required}, validation says ${schema.required}`);
          const closed = schema.open ? true : false;
          if (d.additionalProperties !== closed) fail(`additionalProperties ${d.additionalProperties}, expected ${closed}`);
          for (const [key, child] of Object.entries(schema.fields)) if (d.properties?.[key]) compare(d.properties[key], child, `${where}.${key}`);
          return;
        }
        case 'array':
          if (d.type !== 'array') return fail(`type ${d.type}, expected array`);
          if (d.maxItems !== schema.max) fail(`maxItems ${d.maxItems}, validation says ${schema.max}`);
          compare(d.items, schema.items, `${where}[]`);
          return;
        case 'any':
          return;
      }
    };
    const body = (fields: Record<string, Schema>, required: string[] = []): Schema => ({ type: 'object', fields, required });
    compare(component('CreateCheckoutSessionRequest'), body(createSessionFields, ['storeId', 'webCheckoutDetails']), 'CreateCheckoutSessionRequest');
    compare(component('UpdateCheckoutSessionRequest'), body(updateSessionFields), 'UpdateCheckoutSessionRequest');
    compare(component('CompleteCheckoutSessionRequest'), body(completeSessionFields), 'CompleteCheckoutSessionRequest');
    compare(component('ApproveCheckoutSessionRequest'), body(approveFields), 'ApproveCheckoutSessionRequest');
    expect(problems).toEqual([]);

    const priceInput = deref(component('PriceInput'));
    expect(priceInput.required).toEqual(['amount', 'currencyCode']);
    expect(priceInput.additionalProperties).toBe(false);
    expect(deref(component('CurrencyCode')).enum).toEqual([...currencies]);
    expect(deref(component('ApproveCheckoutSessionRequest')).properties.card.enum.filter((c: unknown) => c !== null).sort()).toEqual(Object.keys(simulatedCards).sort());
  });

  it('serves the document at /documentation/json and /documentation/yaml', async () => {
    for (const url of ['/documentation', '/documentation/json']) {
      const res = await app.inject({ method: 'GET', url });
      expect(res.statusCode, url).toBe(200);
      expect(res.headers['content-type'], url).toMatch(/^application\/json/);
      expect(res.json(), url).toEqual(doc);
      await expectDocumented(url === '/documentation' ? 'getDocumentation' : 'getDocumentationJson', res);
    }
    const res = await app.inject({ method: 'GET', url: '/documentation/yaml' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/yaml/);
    expect(parseYaml(res.payload)).toEqual(doc);
    await expectDocumented('getDocumentationYaml', res);
  });

  it('every documented response of createCheckoutSession matches the served shape', async () => {
    const res = await send(app, 'POST', '/sandbox/v2/checkoutSessions', sessionBody());
    expect(res.statusCode, res.payload).toBe(201);
    for (const id of ['createCheckoutSession', 'createCheckoutSessionInEnvironment']) {
      const response = deref(operationById(id).operation.responses['201']);
      expect(response.content['application/json'].schema).toEqual(component('CheckoutSession'));
    }
    const body = res.json();
    const schema = deref(component('CheckoutSession'));
    expect(Object.keys(body)).toEqual(schema.required);
    expect(Object.keys(body)).toEqual(Object.keys(schema.properties));

    // Nested objects too: exactly their documented keys, in order.
    const sameKeys = (value: Json, node: Json, where: string) => {
      const s = deref(node);
      if (value === null || typeof value !== 'object') return;
      if (Array.isArray(value)) return value.forEach((item, i) => sameKeys(item, s.items, `${where}[${i}]`));
      if (!s.properties) return;
      expect(Object.keys(value), where).toEqual(s.required);
      for (const [key, child] of Object.entries(value)) sameKeys(child, s.properties[key], `${where}.${key}`);
    };
    sameKeys(body, component('CheckoutSession'), 'CheckoutSession');

    await expectDocumented('createCheckoutSessionInEnvironment', res);
    const key = { 'x-amz-pay-idempotency-key': 'openapi-replay-key' };
    const first = await send(app, 'POST', '/sandbox/v2/checkoutSessions/', sessionBody(), key);
    const replay = await send(app, 'POST', '/sandbox/v2/checkoutSessions', sessionBody(), key);
    expect(replay.statusCode).toBe(201);
    expect(replay.payload).toBe(first.payload);
    await expectDocumented('createCheckoutSessionInEnvironment', replay);
    const bare = await send(app, 'POST', '/v2/checkoutSessions', sessionBody(), { authorization: 'AMZN-PAY-RSASSA-PSS PublicKeyId=SANDBOX-OPENAPITEST, SignedHeaders=x-amz-pay-date, Signature=x' });
    expect(bare.statusCode, bare.payload).toBe(201);
    await expectDocumented('createCheckoutSession', bare);
  });

  it('accepts and rejects request bodies as documented', async () => {
    const createSchema = component('CreateCheckoutSessionRequest');
    expect(await checker.check(createSchema, sessionBody())).toBeNull();
    expect(await checker.check(createSchema, { ...sessionBody(), paymentDetails: { chargeAmount: { amount: 50, currencyCode: 'USD' } } })).toBeNull();
    expect(await checker.check(createSchema, { ...sessionBody(), unknownField: 1 })).not.toBeNull();
    const unknown = await send(app, 'POST', '/sandbox/v2/checkoutSessions', { ...sessionBody(), unknownField: 1 });
    expect(unknown.json().reasonCode).toBe('UnrecognizedField');

    const tooLong = { ...sessionBody(), merchantMetadata: { merchantStoreName: 'x'.repeat(51) } };
    expect(await checker.check(createSchema, tooLong)).not.toBeNull();
    expect((await send(app, 'POST', '/sandbox/v2/checkoutSessions', tooLong)).json().reasonCode).toBe('InvalidParameterValue');

    expect(await checker.check(component('UpdateCheckoutSessionRequest'), { storeId })).not.toBeNull();
    expect(await checker.check(component('CompleteCheckoutSessionRequest'), { chargeAmount: { amount: '50.00', currencyCode: 'USD' } })).toBeNull();
    expect(await checker.check(component('ClockChange'), { advanceSeconds: 60, frozen: true, set: '2030-01-01T00:00:00Z' })).toBeNull();
    expect(await checker.check(component('ScenarioDocument'), { rules: [{ name: 'a', match: { operation: '*' }, outcome: { kind: 'normal' } }] })).toBeNull();
    expect(await checker.check(component('ScenarioDocument'), [{ name: 'a', match: { operation: 'getCheckoutSession' }, outcome: { kind: 'error', reasonCode: 'SoftDeclined' }, times: 1 }])).toBeNull();
  });

  it('answers the Checkout Session operations with documented statuses and bodies', async () => {
    const id = await createSession();
    await expectDocumented('getCheckoutSessionInEnvironment', await send(app, 'GET', `/sandbox/v2/checkoutSessions/${id}`));
    await expectDocumented('getCheckoutSessionInEnvironment', await send(app, 'GET', `/sandbox/v2/checkoutSessions/${id}/`));
    const updated = await send(app, 'PATCH', `/sandbox/v2/checkoutSessions/${id}`, { merchantMetadata: { noteToBuyer: 'Thanks' } });
    expect(updated.statusCode, updated.payload).toBe(200);
    await expectDocumented('updateCheckoutSessionInEnvironment', updated);

    const completed = await send(app, 'POST', `/sandbox/v2/checkoutSessions/${id}/complete`, { chargeAmount: { amount: 50, currencyCode: 'USD' } });
    expect(completed.statusCode, completed.payload).toBe(200);
    const sparse = completed.json();
    expect(Object.keys(sparse)).toEqual(deref(component('CheckoutSession')).required);
    expect(sparse.chargeId).toMatch(new RegExp(deref(component('CheckoutSession')).properties.chargeId.pattern));
    await expectDocumented('completeCheckoutSessionInEnvironment', completed);

    // A pending authorization: 202.
    const pendingId = await createSession({ canHandlePendingAuthorization: true });
    const approved = await send(app, 'POST', `/__admin/checkoutSessions/${pendingId}/approve`, { card: '0701' });
    expect(approved.statusCode, approved.payload).toBe(200);
    await expectDocumented('approveCheckoutSession', approved);
    const pending = await send(app, 'POST', `/sandbox/v2/checkoutSessions/${pendingId}/complete`, { chargeAmount: { amount: '50.00', currencyCode: 'USD' } });
    expect(pending.statusCode, pending.payload).toBe(202);
    await expectDocumented('completeCheckoutSessionInEnvironment', pending);
  });

  it('answers the control API with documented statuses and bodies', async () => {
    await expectDocumented('getHealth', await send(app, 'GET', '/__admin/health'));
    await expectDocumented('getClock', await send(app, 'GET', '/__admin/clock'));
    await expectDocumented('setClock', await send(app, 'POST', '/__admin/clock', { frozen: true, advanceSeconds: 1.5 }));
    await expectDocumented('setClock', await send(app, 'POST', '/__admin/clock', { frozen: false, set: '2030-01-01T00:00:00Z' }));
    await expectDocumented('setClock', await send(app, 'POST', '/__admin/clock'));

    const rules = [
      { name: 'normal', match: { operation: 'getCheckoutSession', header: { name: 'X-Amz-Pay-Simulation-Code', value: 'X' } }, outcome: { kind: 'normal' }, times: 0 },
      { name: 'pending', description: 'settles declined', match: { operation: 'completeCheckoutSession', amount: 12 }, outcome: { kind: 'pending', settleTo: 'Declined' }, times: '0' },
      { name: 'cancel', match: { operation: 'completeCheckoutSession', currency: 'USD' }, outcome: { kind: 'cancel', reasonCode: 'BuyerCanceled' }, times: 0 },
      { name: 'error', match: { operation: '*', publicKeyId: 'SANDBOX-NOBODY' }, outcome: { kind: 'error', reasonCode: 'SoftDeclined', status: 402 }, delayMs: 0, times: 0 },
    ];
    const added = await send(app, 'POST', '/__admin/scenarios?merchant=SANDBOX-OPENAPITEST', { rules });
    expect(added.statusCode, added.payload).toBe(201);
    await expectDocumented('addScenarios', added);
    await expectDocumented('addScenarios', await send(app, 'POST', '/__admin/scenarios', rules[0]));
    await expectDocumented('listScenarios', await send(app, 'GET', '/__admin/scenarios'));
    await expectDocumented('listScenarios', await send(app, 'GET', '/__admin/scenarios?merchant=OPENAPITEST'));
    await expectDocumented('clearScenarios', await send(app, 'DELETE', '/__admin/scenarios'));

    await expectDocumented('listPublicKeys', await send(app, 'GET', '/__admin/publicKeys'));
    const { publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const pem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
    const registered = await send(app, 'POST', '/__admin/publicKeys', { publicKeyId: 'SANDBOX-OPENAPITEST', publicKey: pem });
    expect(registered.statusCode, registered.payload).toBe(201);
    await expectDocumented('registerPublicKey', registered);

    await expectDocumented('reset', await send(app, 'POST', '/__admin/reset?merchant=SANDBOX-OPENAPITEST'));
    await expectDocumented('reset', await send(app, 'POST', '/__admin/reset'));
  });

  it('answers every probed error with a documented status and reason code', async () => {
    const probes: { operationId: string; call: () => Promise<LightMyRequestResponse>; reasonCode: string }[] = [];
    const probe = (operationId: string, reasonCode: string, call: () => Promise<LightMyRequestResponse>) => probes.push({ operationId, reasonCode, call });
    const env = '/sandbox/v2/checkoutSessions';

    probe('createCheckoutSessionInEnvironment', 'UnrecognizedField', () => send(app, 'POST', env, { ...sessionBody(), checkoutMode: 'x' }));
    probe('createCheckoutSessionInEnvironment', 'MissingParameterValue', () => send(app, 'POST', env, {}));
    probe('createCheckoutSessionInEnvironment', 'InvalidRequestFormat', () => send(app, 'POST', env, '{"storeId":'));
    probe('createCheckoutSessionInEnvironment', 'InvalidParameterValue', () => send(app, 'POST', env, { ...sessionBody(), scopes: ['everything'] }));
    probe('createCheckoutSessionInEnvironment', 'CurrencyMismatch', () => send(app, 'POST', env, sessionBody({ chargeAmount: { amount: '5', currencyCode: 'EUR' } })));
    probe('createCheckoutSessionInEnvironment', 'ResourceNotFound', () => send(app, 'POST', '/staging/v2/checkoutSessions', sessionBody()));
    probe('createCheckoutSessionInEnvironment', 'RequestEntityTooLarge', () => send(app, 'POST', env, { storeId: 'x'.repeat(2_000_000) }));
    probe('createCheckoutSession', 'InvalidRequest', () => send(app, 'POST', '/v2/checkoutSessions', sessionBody()));
    probe('createCheckoutSessionInEnvironment', 'MissingHeader', () => send(app, 'POST', env, sessionBody(), { 'x-amz-pay-idempotency-key': null }));
    probe('createCheckoutSessionInEnvironment', 'MissingHeaderValue', () => send(app, 'POST', env, sessionBody(), { 'x-amz-pay-idempotency-key': '' }));
    probe('createCheckoutSessionInEnvironment', 'InvalidHeaderValue', () => send(app, 'POST', env, sessionBody(), { 'x-amz-pay-idempotency-key': 'k'.repeat(33) }));
    const usedKey = { 'x-amz-pay-idempotency-key': 'openapi-used-key' };
    expect((await send(app, 'POST', env, sessionBody(), usedKey)).statusCode).toBe(201);
    probe('createCheckoutSessionInEnvironment', 'DuplicateIdempotencyKey', () => send(app, 'POST', env, { ...sessionBody(), platformId: 'other' }, usedKey));
    probe('getCheckoutSessionInEnvironment', 'ResourceNotFound', () => send(app, 'GET', `${env}/no-such-session`));
    probe('getCheckoutSessionInEnvironment', 'InvalidHeaderValue', () => send(app, 'GET', `${env}/no-such-session`, undefined, { 'x-amz-pay-region': 'mars' }));

    const completedId = await createSession();
    expect((await send(app, 'POST', `${env}/${completedId}/complete`, { chargeAmount: { amount: '50', currencyCode: 'USD' } })).statusCode).toBe(200);
    probe('updateCheckoutSessionInEnvironment', 'InvalidCheckoutSessionStatus', () => send(app, 'PATCH', `${env}/${completedId}`, { platformId: 'p' }));
    probe('completeCheckoutSessionInEnvironment', 'InvalidCheckoutSessionStatus', () => send(app, 'POST', `${env}/${completedId}/complete`, { chargeAmount: { amount: '50', currencyCode: 'USD' } }));
    probe('approveCheckoutSession', 'InvalidCheckoutSessionStatus', () => send(app, 'POST', `/__admin/checkoutSessions/${completedId}/approve`, {}));

    const openId = await createSession();
    probe('completeCheckoutSessionInEnvironment', 'AmountMismatch', () => send(app, 'POST', `${env}/${openId}/complete`, { chargeAmount: { amount: '49.99', currencyCode: 'USD' } }));
    probe('completeCheckoutSessionInEnvironment', 'MissingParameterValue', () => send(app, 'POST', `${env}/${openId}/complete`, {}));
    const completeKey = { 'x-amz-pay-idempotency-key': 'openapi-complete-key' };
    expect((await send(app, 'POST', `${env}/${openId}/complete`, { chargeAmount: { amount: '1', currencyCode: 'USD' } }, completeKey)).statusCode).toBe(409);
    probe('completeCheckoutSessionInEnvironment', 'DuplicateIdempotencyKey', () => send(app, 'POST', `${env}/${openId}/complete`, { chargeAmount: { amount: '2', currencyCode: 'USD' } }, completeKey));
    probe('updateCheckoutSessionInEnvironment', 'UnrecognizedField', () => send(app, 'PATCH', `${env}/${openId}`, { storeId }));

    const canceledId = await createSession();
    expect((await send(app, 'POST', `/__admin/checkoutSessions/${canceledId}/approve`, { card: '3064' })).json().statusDetails.state).toBe('Canceled');
    probe('completeCheckoutSessionInEnvironment', 'CheckoutSessionCanceled', () => send(app, 'POST', `${env}/${canceledId}/complete`, { chargeAmount: { amount: '50', currencyCode: 'USD' } }));

    const cannotPendId = await createSession();
    expect((await send(app, 'POST', `/__admin/checkoutSessions/${cannotPendId}/approve`, { card: '4354' })).statusCode).toBe(200);
    probe('completeCheckoutSessionInEnvironment', 'InvalidSandboxSimulationSpecified', () => send(app, 'POST', `${env}/${cannotPendId}/complete`, { chargeAmount: { amount: '50', currencyCode: 'USD' } }));

    probe('approveCheckoutSession', 'ResourceNotFound', () => send(app, 'POST', '/__admin/checkoutSessions/no-such-session/approve', {}));
    probe('approveCheckoutSession', 'InvalidParameterValue', () => send(app, 'POST', `/__admin/checkoutSessions/${openId}/approve`, { card: '1234' }));
    probe('setClock', 'UnrecognizedField', () => send(app, 'POST', '/__admin/clock', { tick: 1 }));
    probe('setClock', 'InvalidParameterValue', () => send(app, 'POST', '/__admin/clock', { set: 'tomorrow' }));
    probe('reset', 'InvalidParameterValue', () => send(app, 'POST', '/__admin/reset?merchant=a&merchant=b'));
    probe('addScenarios', 'MissingParameterValue', () => send(app, 'POST', '/__admin/scenarios'));
    probe('addScenarios', 'InvalidParameterValue', () => send(app, 'POST', '/__admin/scenarios', { name: 'x', match: { operation: 'getCheckoutSession' }, outcome: { kind: 'pending' } }));
    probe('listScenarios', 'InvalidParameterValue', () => send(app, 'GET', '/__admin/scenarios?merchant=a&merchant=b'));
    probe('registerPublicKey', 'MissingParameterValue', () => send(app, 'POST', '/__admin/publicKeys', { publicKeyId: 'SANDBOX-X' }));
    probe('registerPublicKey', 'InvalidParameterValue', () => send(app, 'POST', '/__admin/publicKeys', { publicKeyId: 'SANDBOX-X', publicKey: 'not a key' }));

    // With signature checking on (the default).
    const signed = await buildApp(testConfig(), { store: new MemoryStore() });
    try {
      const keys = (await send(signed, 'GET', '/__admin/publicKeys')).json().publicKeys as { publicKeyId: string }[];
      const sandboxKey = keys.find((k) => k.publicKeyId.startsWith('SANDBOX-'))!.publicKeyId;
      const date = formatTimestamp(Date.now());
      const auth = (keyId: string) => `AMZN-PAY-RSASSA-PSS PublicKeyId=${keyId}, SignedHeaders=x-amz-pay-date, Signature=AAAA`;
      probe('createCheckoutSession', 'MissingHeader', () => send(signed, 'POST', '/v2/checkoutSessions', sessionBody(), { 'x-amz-pay-date': date }));
      probe('createCheckoutSession', 'MissingHeaderValue', () => send(signed, 'POST', '/v2/checkoutSessions', sessionBody(), { authorization: ' ', 'x-amz-pay-date': date }));
      probe('createCheckoutSession', 'InvalidHeaderValue', () => send(signed, 'POST', '/v2/checkoutSessions', sessionBody(), { authorization: 'HMAC x', 'x-amz-pay-date': date }));
      probe('createCheckoutSession', 'UnauthorizedAccess', () => send(signed, 'POST', '/v2/checkoutSessions', sessionBody(), { authorization: auth('SANDBOX-NOBODY'), 'x-amz-pay-date': date }));
      probe('createCheckoutSession', 'InvalidRequestSignature', () => send(signed, 'POST', '/v2/checkoutSessions', sessionBody(), { authorization: auth(sandboxKey), 'x-amz-pay-date': date }));
      probe('getCheckoutSession', 'MissingHeader', () => send(signed, 'GET', '/v2/checkoutSessions/x', undefined, { authorization: auth(sandboxKey) }));

      for (const { operationId, reasonCode, call } of probes) {
        const res = await call();
        const where = `${operationId} -> ${reasonCode}`;
        expect(res.json().reasonCode, `${where}: ${res.payload.slice(0, 300)}`).toBe(reasonCode);
        const response = await expectDocumented(operationId, res);
        expect(response['x-reason-codes'], `${where} is listed under ${res.statusCode}`).toContain(reasonCode);
      }
    } finally {
      await signed.close();
    }

    // A scripted error can be any catalog code with any status: the `default` response.
    const rule = { name: 'throttle', match: { operation: 'getCheckoutSession' }, outcome: { kind: 'error', reasonCode: 'TooManyRequests' }, times: 1 };
    expect((await send(app, 'POST', '/__admin/scenarios', rule)).statusCode).toBe(201);
    const scripted = await send(app, 'GET', `${env}/${openId}`);
    expect(scripted.statusCode).toBe(429);
    await expectDocumented('getCheckoutSessionInEnvironment', scripted, true);
    await send(app, 'DELETE', '/__admin/scenarios');
  });
});
