import { generateKeyPairSync, randomUUID, verify, X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import Fastify, { type FastifyInstance, type InjectOptions, type LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { pendingRoutes } from '../server/api/pendingRoutes.js';
import { operationRoutes } from '../server/api/registerApi.js';
import { buildApp } from '../server/app.js';
import { loadConfig, packagePath, type Config } from '../server/config.js';
import { issueBuyerTokenFields } from '../server/domain/buyer/buyerOperations.js';
import { simulatedCards } from '../server/domain/cards.js';
import { cancelChargeFields, captureChargeFields, createChargeFields, updateChargeFields } from '../server/domain/charge/chargeSchema.js';
import { closeChargePermissionFields, updateChargePermissionFields } from '../server/domain/chargePermission/chargePermissionSchema.js';
import { approveFields } from '../server/domain/checkoutSession/approveSession.js';
import { finalizeSessionFields } from '../server/domain/checkoutSession/finalizeCheckoutSession.js';
import { completeSessionFields, createSessionFields, updateSessionFields } from '../server/domain/checkoutSession/sessionSchema.js';
import { deliveryTrackerFields } from '../server/domain/deliveryTrackers.js';
import { currencies } from '../server/domain/money.js';
import { operationNames } from '../server/domain/operations.js';
import { reasonCodes } from '../server/domain/reasonCodes.js';
import { createRefundFields } from '../server/domain/refund/refundOperations.js';
import { simulationCodes } from '../server/domain/simulations.js';
import { formatTimestamp } from '../server/domain/time.js';
import { snsStringToSign } from '../server/ipn/snsEnvelope.js';
import type { Schema } from '../server/domain/validation.js';
import { MemoryStore } from '../server/store/memoryStore.js';
import { demoKeyIds, demoPrivateKey } from './helpers/demoKeys.js';
import { AmazonPay } from './helpers/runningServer.js';
import { closedPortUrl, startReceiver } from './ipn/receiver.js';

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

/** Keys a wire object leaves out instead of sending null, by schema name, and why. */
const optionalKeys: Record<string, { keys: string[]; why: string }> = {
  CheckoutSession: { keys: ['shippingAddressList', 'multiAddressesCheckoutMetadata'], why: 'only multi-address sessions have them' },
  FinalizedCheckoutSession: { keys: ['shippingAddressList', 'multiAddressesCheckoutMetadata'], why: 'only multi-address sessions have them' },
  ScenarioMatch: { keys: ['checkoutSessionId', 'merchantReferenceId', 'currency', 'publicKeyId', 'amount', 'header'], why: 'a rule lists only the conditions it was given' },
  IpnDeliveryAttempt: { keys: ['status', 'error', 'response'], why: 'an answered attempt has a status (and the start of a refusal), an unanswered one an error' },
};

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/**
 * Where the keys of `value` are not in the documented order, recursively through closed objects
 * and arrays (presence and absence are the validator's job).
 */
function keyOrderProblems(value: Json, node: Json, where: string): string[] {
  const schema = deref(node);
  if (value === null || typeof value !== 'object' || !schema) return [];
  if (Array.isArray(value)) return schema.items ? value.flatMap((item, i) => keyOrderProblems(item, schema.items, `${where}[${i}]`)) : [];
  if (!schema.properties || schema.additionalProperties !== false) return [];
  const documented = Object.keys(schema.properties).filter((k) => k in value);
  const problems = same(Object.keys(value), documented) ? [] : [`${where}: keys ${Object.keys(value).join(',')}; documented order ${documented.join(',')}`];
  return [...problems, ...Object.entries(value).flatMap(([k, v]) => (schema.properties[k] ? keyOrderProblems(v, schema.properties[k], `${where}.${k}`) : []))];
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

const usd = (amount: string | number) => ({ amount, currencyCode: 'USD' });

/** Creates and completes a session on `target` for the merchant of `publicKeyId` (signing off, buyer approval auto). */
async function completeOn(target: FastifyInstance, publicKeyId: string): Promise<Json> {
  const authorization = `AMZN-PAY-RSASSA-PSS PublicKeyId=${publicKeyId}, SignedHeaders=x-amz-pay-date, Signature=x`;
  const created = await send(target, 'POST', '/v2/checkoutSessions', sessionBody(), { authorization });
  expect(created.statusCode, created.payload).toBe(201);
  const done = await send(target, 'POST', `/v2/checkoutSessions/${created.json().checkoutSessionId}/complete`, { chargeAmount: usd('50.00') }, { authorization });
  expect(done.statusCode, done.payload).toBe(200);
  return done.json();
}

/** Creates and completes a session (intent Authorize by default): its charge and charge permission ids. */
async function completedSession(body: Json = sessionBody()): Promise<{ chargeId: string; chargePermissionId: string }> {
  const created = await send(app, 'POST', '/sandbox/v2/checkoutSessions', body);
  expect(created.statusCode, created.payload).toBe(201);
  const done = await send(app, 'POST', `/sandbox/v2/checkoutSessions/${created.json().checkoutSessionId}/complete`, { chargeAmount: body.paymentDetails.chargeAmount });
  expect(done.statusCode, done.payload).toBe(200);
  return done.json();
}

/**
 * Checks one real answer against the document: its status is documented for the operation (or
 * falls under `default` when `allowDefault`); it carries x-amz-pay-request-id and every other
 * required header as documented (values within their enum or pattern), and no undocumented
 * header beyond the transport ones; its content type is the documented one (no body at all when
 * none is documented); its JSON body matches the documented schema, any other body the
 * documented string pattern.
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
  // Every header the answer carries is documented, transport headers aside.
  const transport = ['content-type', 'content-length', 'date', 'connection', 'keep-alive', 'transfer-encoding'];
  for (const name of Object.keys(res.headers)) {
    if (!transport.includes(name)) expect(Object.keys(response.headers ?? {}), `${operationId} ${key} documents the ${name} header it sends`).toContain(name);
  }
  for (const [name, ref] of Object.entries((response.headers ?? {}) as Record<string, Json>)) {
    const header = deref(ref);
    const value = res.headers[name];
    if (header.required) expect(value, `${operationId} ${key} sends ${name}`).toBeDefined();
    if (value === undefined) continue;
    if (header.schema.enum) expect(header.schema.enum, `${operationId} ${key} ${name}`).toContain(String(value));
    if (header.schema.pattern) expect(String(value), `${operationId} ${key} ${name}`).toMatch(new RegExp(header.schema.pattern));
  }
  const [contentType] = Object.keys(response.content ?? {});
  if (contentType === undefined) {
    expect(res.payload, `${operationId} ${key} has no body`).toBe('');
    expect(res.headers['content-type'], `${operationId} ${key} has no body`).toBeUndefined();
    return response;
  }
  expect(String(res.headers['content-type'])).toContain(contentType);
  const schema = response.content[contentType].schema;
  if (contentType === 'application/json') {
    const problem = await checker.check(schema, res.json());
    expect(problem, `${operationId} ${status} body does not match the document: ${res.payload.slice(0, 500)}`).toBeNull();
    expect(keyOrderProblems(res.json(), schema, `${operationId} ${status}`)).toEqual([]);
  } else if (deref(schema).pattern) {
    expect(res.payload, `${operationId} ${status} body`).toMatch(new RegExp(deref(schema).pattern));
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
      // GETs never read a body; the emulated DELETEs do (checked against the routes below).
      if (method === 'GET' || (method === 'DELETE' && path.startsWith('/__admin'))) expect(operation.requestBody, `${where} takes no body`).toBeUndefined();
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
    const emulated = documentedOperations().filter((o) => !o.path.startsWith('/__admin') && !o.path.startsWith('/documentation') && !o.path.startsWith('/checkout') && !o.path.startsWith('/storage/'));
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
      // The DELETEs that read a JSON body document it; nothing else does.
      expect(operation.requestBody !== undefined, `${where} documents a body exactly when the route reads one`).toBe(route.hasBody);
      if (operation.requestBody) expect(operation.responses['413'], `${where} 413`).toBeDefined();

      // The 400 codes the pipeline can raise for this kind of route, and none it cannot.
      const codes400 = deref(operation.responses['400'])['x-reason-codes'] as string[];
      const always = ['MissingHeader', 'MissingHeaderValue', 'InvalidHeaderValue', 'InvalidRequest', 'InvalidSandboxSimulationSpecified'];
      for (const code of always) expect(codes400, `${where} 400`).toContain(code);
      expect(codes400.includes('DuplicateIdempotencyKey'), `${where}: DuplicateIdempotencyKey on POSTs only`).toBe(method === 'POST');
      for (const code of ['InvalidRequestFormat', 'UnrecognizedField']) expect(codes400.includes(code), `${where}: ${code} exactly when there is a body`).toBe(route.hasBody);

      // The simulation codes the operation accepts, as the emulator's table has them.
      const simulations = operation['x-simulation-codes'] as Record<string, string>;
      expect(simulations, `${where} x-simulation-codes`).toBeTypeOf('object');
      expect(Object.keys(simulations), `${where} x-simulation-codes`).toEqual(Object.keys(simulationCodes[route.name] ?? {}));
      for (const [code, effect] of Object.entries(simulations)) expect(effect.length, `${where} ${code} says what it does`).toBeGreaterThan(20);
    }
    for (const id of ['completeCheckoutSession', 'finalizeCheckoutSession']) {
      for (const variant of [id, `${id}InEnvironment`]) {
        expect(operationById(variant).operation.responses['200'], variant).toBeDefined();
        expect(operationById(variant).operation.responses['202'], variant).toBeDefined();
      }
    }
    // Every operation with simulation codes is an emulated operation.
    for (const name of Object.keys(simulationCodes)) expect(operationNames as readonly string[]).toContain(name);

    // Scenario rules match on the same names.
    const ruleOperation = deref(component('ScenarioRuleInput')).properties.match.properties.operation.enum;
    expect(ruleOperation).toEqual(['*', ...operationNames]);
    expect(deref(component('ScenarioMatch')).properties.operation.enum).toEqual(['*', ...operationNames]);

    // The rule format is the scenario files' (whose JSON schema test/domain/scenarios.test.ts keeps in step with the parser).
    const fileSchema = JSON.parse(readFileSync(packagePath('fixtures/scenarios/scenario.schema.json'), 'utf8'));
    const ruleInput = deref(component('ScenarioRuleInput'));
    expect(Object.keys(ruleInput.properties)).toEqual(Object.keys(fileSchema.$defs.rule.properties));
    expect(Object.keys(ruleInput.properties.match.properties)).toEqual(Object.keys(fileSchema.$defs.match.properties));
    expect(Object.keys(ruleInput.properties.outcome.properties)).toEqual(Object.keys(fileSchema.$defs.outcome.properties));
    const kinds = fileSchema.$defs.outcome.properties.kind.enum;
    expect(ruleInput.properties.outcome.properties.kind.enum).toEqual(kinds);
    const applied = deref(component('ScriptedOutcome'));
    expect(applied.oneOf.map((o: Json) => deref(o).properties.kind.enum)).toEqual(kinds.map((k: string) => [k]));
    expect(applied.discriminator.mapping).toEqual(Object.fromEntries(applied.oneOf.map((o: Json, i: number) => [kinds[i], o.$ref])));
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
        // The hosted pages and the button pages answer a browser: every error is an HTML page, never Amazon's JSON.
        if (operation.tags.includes('Hosted pages') || operation.tags.includes('Buttons')) {
          expect(Object.keys(response.content), `${method} ${path} ${status}`).toEqual(['text/html']);
          expect(response.content['text/html'].schema, `${method} ${path} ${status}`).toEqual(component('HtmlPage'));
          expect(response['x-reason-codes'], `${method} ${path} ${status}`).toBeUndefined();
          continue;
        }
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
    const wire = responseSchemas().filter((r) => !/^getDocumentation/.test(r.where));
    const seen = new Set<Json>();
    const found = new Set<string>();
    let objects = 0;
    for (const root of wire) {
      for (const { schema, where } of objectSchemas(root.schema, root.where, seen)) {
        objects++;
        found.add(where);
        expect(schema.type, where).toBe('object');
        expect(schema.additionalProperties, `${where} allows no other keys`).toBe(false);
        const optional = optionalKeys[where]?.keys ?? [];
        for (const key of optional) expect(Object.keys(schema.properties), `${where} documents ${key}`).toContain(key);
        expect(schema.required, `${where}: every key is required, in order`).toEqual(Object.keys(schema.properties).filter((k) => !optional.includes(k)));
      }
    }
    expect(objects).toBeGreaterThan(40);
    for (const name of ['CheckoutSession', 'FinalizedCheckoutSession', 'ChargePermission', 'Charge', 'Refund', 'BuyerProfile', 'IssuedBuyerToken', 'DeliveryTracker', 'AuthorizationToken']) {
      expect(found, `${name} is the body of some response`).toContain(name);
    }

    const session = deref(component('CheckoutSession'));
    expect(session.required).toEqual([
      'checkoutSessionId', 'webCheckoutDetails', 'productType', 'paymentDetails', 'chargePermissionType', 'orderType',
      'recurringMetadata', 'paymentMethodOnFileMetadata', 'merchantDetails', 'merchantMetadata', 'supplementaryData', 'buyer',
      'billingAddress', 'paymentPreferences', 'statusDetails', 'shippingAddress', 'platformId', 'chargePermissionId', 'chargeId',
      'constraints', 'creationTimestamp', 'expirationTimestamp', 'storeId', 'providerMetadata', 'releaseEnvironment',
      'checkoutButtonText', 'deliverySpecifications', 'tokens',
    ]);

    // Finalize answers the same keys with cartDetails after paymentDetails, each described as in CheckoutSession.
    const finalized = deref(component('FinalizedCheckoutSession'));
    const withCart = [...session.required];
    withCart.splice(withCart.indexOf('paymentDetails') + 1, 0, 'cartDetails');
    expect(finalized.required).toEqual(withCart);
    const sessionKeys = Object.keys(session.properties);
    expect(Object.keys(finalized.properties).filter((k) => k !== 'cartDetails')).toEqual(sessionKeys);
    for (const key of sessionKeys) expect(finalized.properties[key], key).toEqual({ $ref: `#/components/schemas/CheckoutSession/properties/${key}` });
  });

  it('states the same field limits as the request validation', () => {
    const problems: string[] = [];
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
        case 'price': {
          // Above the maximum a transaction amount is TransactionAmountExceeded, any other price InvalidParameterValue.
          const expected = schema.overMaximum === 'TransactionAmountExceeded' ? 'TransactionPriceInput' : 'PriceInput';
          if (node.$ref !== `#/components/schemas/${expected}`) fail(`expected the ${expected} schema, got ${JSON.stringify(node)}`);
          return;
        }
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
    // Required fields are the ones each operation passes to validateBody.
    compare(component('FinalizeCheckoutSessionRequest'), body(finalizeSessionFields, ['chargeAmount', 'paymentIntent']), 'FinalizeCheckoutSessionRequest');
    compare(component('UpdateChargePermissionRequest'), body(updateChargePermissionFields), 'UpdateChargePermissionRequest');
    compare(component('CloseChargePermissionRequest'), body(closeChargePermissionFields), 'CloseChargePermissionRequest');
    compare(component('CreateChargeRequest'), body(createChargeFields, ['chargePermissionId', 'chargeAmount']), 'CreateChargeRequest');
    compare(component('UpdateChargeRequest'), body(updateChargeFields, ['statusDetails']), 'UpdateChargeRequest');
    compare(component('CaptureChargeRequest'), body(captureChargeFields, ['captureAmount']), 'CaptureChargeRequest');
    compare(component('CancelChargeRequest'), body(cancelChargeFields), 'CancelChargeRequest');
    compare(component('CreateRefundRequest'), body(createRefundFields, ['chargeId', 'refundAmount']), 'CreateRefundRequest');
    compare(component('DeliveryTrackerRequest'), body(deliveryTrackerFields, ['deliveryDetails']), 'DeliveryTrackerRequest');
    compare(component('IssueBuyerTokenRequest'), body(issueBuyerTokenFields), 'IssueBuyerTokenRequest');
    expect(problems).toEqual([]);

    // Each request schema is the body of its operations.
    const bodies: Record<string, string> = {
      createCheckoutSession: 'CreateCheckoutSessionRequest', updateCheckoutSession: 'UpdateCheckoutSessionRequest', completeCheckoutSession: 'CompleteCheckoutSessionRequest',
      finalizeCheckoutSession: 'FinalizeCheckoutSessionRequest', updateChargePermission: 'UpdateChargePermissionRequest', closeChargePermission: 'CloseChargePermissionRequest',
      createCharge: 'CreateChargeRequest', updateCharge: 'UpdateChargeRequest', captureCharge: 'CaptureChargeRequest', cancelCharge: 'CancelChargeRequest',
      createRefund: 'CreateRefundRequest', deliveryTrackers: 'DeliveryTrackerRequest', approveCheckoutSession: 'ApproveCheckoutSessionRequest', issueBuyerToken: 'IssueBuyerTokenRequest',
    };
    for (const [id, schemaName] of Object.entries(bodies)) {
      const variants = documentedOperations().filter((o) => o.operation.operationId.replace(/InEnvironment$/, '') === id);
      expect(variants.length, id).toBeGreaterThan(0);
      for (const { operation } of variants) expect(deref(operation.requestBody).content['application/json'].schema, operation.operationId).toEqual(component(schemaName));
    }

    for (const name of ['PriceInput', 'TransactionPriceInput']) {
      const input = deref(component(name));
      expect(input.required, name).toEqual(['amount', 'currencyCode']);
      expect(input.additionalProperties, name).toBe(false);
      expect(input.properties, name).toEqual({ amount: component('AmountInput'), currencyCode: component('CurrencyCode') });
    }
    expect(deref(component('PriceInput')).nullable).toBe(true);
    expect(deref(component('TransactionPriceInput')).nullable, 'every transaction amount is a required field').toBeUndefined();
    expect(deref(component('CurrencyCode')).enum).toEqual([...currencies]);
    expect(deref(component('ApproveCheckoutSessionRequest')).properties.card.enum.filter((c: unknown) => c !== null).sort()).toEqual(Object.keys(simulatedCards).sort());
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
    const multiAddress = optionalKeys.CheckoutSession!.keys;
    expect(Object.keys(body)).toEqual(Object.keys(schema.properties).filter((k) => !multiAddress.includes(k)));

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

    // A multi-address session has the two optional keys, right after shippingAddress.
    const multi = await send(app, 'POST', '/sandbox/v2/checkoutSessions', { ...sessionBody(), multiAddressesCheckoutMetadata: [{ addressId: 'a1', price: { amount: 20, currencyCode: 'USD' } }, { addressId: 'a2' }] });
    expect(multi.statusCode, multi.payload).toBe(201);
    expect(Object.keys(multi.json())).toEqual(Object.keys(schema.properties));
    expect(multi.json().shippingAddressList).toHaveLength(2);
    await expectDocumented('createCheckoutSessionInEnvironment', multi);
    const multiDone = await send(app, 'POST', `/sandbox/v2/checkoutSessions/${multi.json().checkoutSessionId}/complete`, { chargeAmount: { amount: '50', currencyCode: 'USD' } });
    expect(multiDone.statusCode, multiDone.payload).toBe(200);
    await expectDocumented('completeCheckoutSessionInEnvironment', multiDone);
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
    expect(await checker.check(component('ScenarioDocument'), { name: 'a', match: { operation: 'captureCharge' }, outcome: { kind: 'simulate', code: 'CaptureInitiated' } })).toBeNull();
    expect(await checker.check(component('ScenarioDocument'), { name: 'a', match: { operation: 'refund' }, outcome: { kind: 'normal' } })).not.toBeNull();

    // The lifecycle bodies.
    const charge = { chargePermissionId: 'S01-0000000-0000000', chargeAmount: { amount: 5, currencyCode: 'USD' } };
    expect(await checker.check(component('CreateChargeRequest'), { ...charge, captureNow: true, softDescriptor: 'NOW', channel: 'Web', chargeInitiator: null })).toBeNull();
    expect(await checker.check(component('CreateChargeRequest'), { ...charge, chargeAmount: null }), 'a transaction amount is required').not.toBeNull();
    expect(await checker.check(component('CreateChargeRequest'), { ...charge, captureNow: 'yes' })).not.toBeNull();
    expect((await send(app, 'POST', '/sandbox/v2/charges', { ...charge, captureNow: 'yes' })).json().reasonCode).toBe('InvalidParameterValue');
    expect(await checker.check(component('CaptureChargeRequest'), { captureAmount: { amount: '5.00', currencyCode: 'USD' } })).toBeNull();
    expect(await checker.check(component('CreateRefundRequest'), { chargeId: 'x', refundAmount: { amount: '5.00', currencyCode: 'USD' }, softDescriptor: 'R'.repeat(17) })).not.toBeNull();
    expect(await checker.check(component('UpdateChargeRequest'), { statusDetails: { state: 'Declined', reasonCode: 'SoftDeclined' } })).toBeNull();
    expect(await checker.check(component('UpdateChargeRequest'), { statusDetails: {} })).not.toBeNull();
    expect(await checker.check(component('CancelChargeRequest'), {})).toBeNull();
    expect(await checker.check(component('CloseChargePermissionRequest'), { closureReason: null, cancelPendingCharges: true })).toBeNull();
    expect(await checker.check(component('UpdateChargePermissionRequest'), { recurringMetadata: { frequency: { unit: 'Month', value: 1 } } })).toBeNull();
    expect(await checker.check(component('FinalizeCheckoutSessionRequest'), { chargeAmount: charge.chargeAmount, paymentIntent: 'Authorize', shippingAddress: { city: 'Seattle' } })).toBeNull();
    expect(await checker.check(component('FinalizeCheckoutSessionRequest'), { chargeAmount: charge.chargeAmount })).not.toBeNull();
    const detail = { trackingNumber: '1Z', carrierCode: 'UPS' };
    expect(await checker.check(component('DeliveryTrackerRequest'), { chargePermissionId: 'S01-0000000-0000000', deliveryDetails: [detail] })).toBeNull();
    expect(await checker.check(component('DeliveryTrackerRequest'), { chargePermissionId: 'S01-0000000-0000000', deliveryDetails: Array(11).fill(detail) })).not.toBeNull();
    expect(await checker.check(component('IssueBuyerTokenRequest'), { buyer: { name: 'A', primeMembershipTypes: ['Prime'] }, billingAddress: { countryCode: 'DE' } })).toBeNull();
    expect(await checker.check(component('IssueBuyerTokenRequest'), { buyer: { name: 'A' }, billingAddress: { countryCode: 'de' } })).not.toBeNull();
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

  it('answers the Charge Permission, Charge, Refund and account operations with documented statuses and bodies', async () => {
    const v2 = '/sandbox/v2';
    const advance = async () => {
      const moved = await send(app, 'POST', '/__admin/clock', { advanceSeconds: app.mock.config.pendingDelaySeconds + 1 });
      expect(moved.statusCode, moved.payload).toBe(200);
    };
    const expectState = (res: LightMyRequestResponse, status: number, state: string) => {
      expect(res.statusCode, res.payload).toBe(status);
      expect(res.json().statusDetails.state, res.payload).toBe(state);
    };

    // Finalize (Buy Now): the buyer's address echoed; the sparse answer has cartDetails after paymentDetails.
    const finalizeId = await createSession();
    const address = (await send(app, 'GET', `${v2}/checkoutSessions/${finalizeId}`)).json().shippingAddress;
    const finalized = await send(app, 'POST', `${v2}/checkoutSessions/${finalizeId}/finalize`, { chargeAmount: usd('20.00'), paymentIntent: 'AuthorizeWithCapture', shippingAddress: address });
    expectState(finalized, 200, 'Completed');
    expect(Object.keys(finalized.json())).toEqual(deref(component('FinalizedCheckoutSession')).required);
    await expectDocumented('finalizeCheckoutSessionInEnvironment', finalized);
    const capturedAtOnce = await send(app, 'GET', `${v2}/charges/${finalized.json().chargeId}`);
    expectState(capturedAtOnce, 200, 'Captured');
    await expectDocumented('getChargeInEnvironment', capturedAtOnce);
    const pendingFinalizeId = await createSession();
    const pendingFinalized = await send(
      app, 'POST', `${v2}/checkoutSessions/${pendingFinalizeId}/finalize`,
      { chargeAmount: usd(50), paymentIntent: 'Authorize', canHandlePendingAuthorization: true, shippingAddress: address, supplementaryData: '{"a":1}' },
      { 'x-amz-pay-simulation-code': 'AuthorizationInitiated', 'x-amz-pay-idempotency-key': null },
    );
    expectState(pendingFinalized, 202, 'Completed');
    await expectDocumented('finalizeCheckoutSessionInEnvironment', pendingFinalized);
    expectState(await send(app, 'GET', `${v2}/charges/${pendingFinalized.json().chargeId}`), 200, 'AuthorizationInitiated');

    // A OneTime permission: NonChargeable while its charge is open, Chargeable again once captured.
    const { chargeId, chargePermissionId } = await completedSession();
    const permission = await send(app, 'GET', `${v2}/chargePermissions/${chargePermissionId}`);
    expectState(permission, 200, 'NonChargeable');
    await expectDocumented('getChargePermissionInEnvironment', permission);
    await expectDocumented('getChargeInEnvironment', await send(app, 'GET', `${v2}/charges/${chargeId}`));
    const captured = await send(app, 'POST', `${v2}/charges/${chargeId}/capture`, { captureAmount: usd('30.00'), softDescriptor: 'DEMO' });
    expectState(captured, 200, 'Captured');
    await expectDocumented('captureChargeInEnvironment', captured);
    const chargeable = await send(app, 'GET', `${v2}/chargePermissions/${chargePermissionId}`);
    expectState(chargeable, 200, 'Chargeable');
    expect(chargeable.json().limits.amountBalance).toEqual(usd('20.00'));
    await expectDocumented('getChargePermissionInEnvironment', chargeable);
    const updated = await send(app, 'PATCH', `${v2}/chargePermissions/${chargePermissionId}`, { merchantMetadata: { merchantReferenceId: 'order-2' } });
    expectState(updated, 200, 'Chargeable');
    await expectDocumented('updateChargePermissionInEnvironment', updated);

    // Refunds: RefundInitiated, then Refunded (or Declined with the simulation code).
    const refund = await send(app, 'POST', `${v2}/refunds`, { chargeId, refundAmount: usd(10), softDescriptor: 'REFUND' });
    expectState(refund, 201, 'RefundInitiated');
    await expectDocumented('createRefundInEnvironment', refund);
    const declinedRefund = await send(app, 'POST', `${v2}/refunds`, { chargeId, refundAmount: usd('5.00') }, { 'x-amz-pay-simulation-code': 'RefundDeclined' });
    expectState(declinedRefund, 201, 'RefundInitiated');
    await expectDocumented('getRefundInEnvironment', await send(app, 'GET', `${v2}/refunds/${refund.json().refundId}`));
    await advance();
    const refunded = await send(app, 'GET', `${v2}/refunds/${refund.json().refundId}`);
    expectState(refunded, 200, 'Refunded');
    await expectDocumented('getRefundInEnvironment', refunded);
    const refusedRefund = await send(app, 'GET', `${v2}/refunds/${declinedRefund.json().refundId}/`);
    expectState(refusedRefund, 200, 'Declined');
    expect(refusedRefund.json().statusDetails.reasonCode).toBe('AmazonRejected');
    await expectDocumented('getRefundInEnvironment', refusedRefund);
    const afterRefunds = await send(app, 'GET', `${v2}/charges/${chargeId}`);
    expect(afterRefunds.json().refundedAmount).toEqual(usd('10.00'));
    await expectDocumented('getChargeInEnvironment', afterRefunds);

    // More charges on the permission: Authorized and canceled, captured at once, pending and
    // reported by a PSP, captured asynchronously, declined later.
    const chargeBody = {
      chargePermissionId, chargeAmount: usd(5), merchantMetadata: { merchantReferenceId: 'order-2b' }, providerMetadata: { providerReferenceId: 'psp-1' },
      platformId: 'platform-1', channel: 'Phone', chargeInitiator: 'MITU', webCheckoutDetails: { checkoutResultReturnUrl: 'https://merchant.example/result' },
    };
    const chargeKey = { 'x-amz-pay-idempotency-key': 'openapi-charge-key' };
    const created = await send(app, 'POST', `${v2}/charges`, chargeBody, chargeKey);
    expectState(created, 201, 'Authorized');
    await expectDocumented('createChargeInEnvironment', created);
    const replayed = await send(app, 'POST', `${v2}/charges/`, chargeBody, chargeKey);
    expect(replayed.statusCode).toBe(201);
    expect(replayed.payload).toBe(created.payload);
    await expectDocumented('createChargeInEnvironment', replayed);
    const canceled = await send(app, 'DELETE', `${v2}/charges/${created.json().chargeId}/cancel`, { cancellationReason: 'Out of stock' });
    expectState(canceled, 200, 'Canceled');
    expect(canceled.json().statusDetails).toMatchObject({ reasonCode: 'MerchantCanceled', reasonDescription: 'Out of stock' });
    await expectDocumented('cancelChargeInEnvironment', canceled);
    const atOnce = await send(app, 'POST', `${v2}/charges`, { chargePermissionId, chargeAmount: usd('5.00'), captureNow: true, softDescriptor: 'NOW' });
    expectState(atOnce, 201, 'Captured');
    await expectDocumented('createChargeInEnvironment', atOnce);
    const pendingCharge = await send(app, 'POST', `${v2}/charges`, { chargePermissionId, chargeAmount: usd(5), canHandlePendingAuthorization: true }, { 'x-amz-pay-simulation-code': 'AuthorizationInitiated' });
    expectState(pendingCharge, 201, 'AuthorizationInitiated');
    await expectDocumented('createChargeInEnvironment', pendingCharge);
    const reported = await send(app, 'PATCH', `${v2}/charges/${pendingCharge.json().chargeId}`, { statusDetails: { state: 'Authorized' } });
    expectState(reported, 200, 'Authorized');
    await expectDocumented('updateChargeInEnvironment', reported);
    const lateCapture = await send(app, 'POST', `${v2}/charges/${pendingCharge.json().chargeId}/capture`, { captureAmount: usd(5) }, { 'x-amz-pay-simulation-code': ' CaptureInitiated ' });
    expectState(lateCapture, 200, 'CaptureInitiated');
    await expectDocumented('captureChargeInEnvironment', lateCapture);
    await advance();
    expectState(await send(app, 'GET', `${v2}/charges/${pendingCharge.json().chargeId}`), 200, 'Captured');
    const declinedLater = await send(app, 'POST', `${v2}/charges`, { chargePermissionId, chargeAmount: usd(1), canHandlePendingAuthorization: true }, { 'x-amz-pay-simulation-code': 'SoftDeclined' });
    expectState(declinedLater, 201, 'AuthorizationInitiated');
    await advance();
    const declined = await send(app, 'GET', `${v2}/charges/${declinedLater.json().chargeId}`);
    expectState(declined, 200, 'Declined');
    expect(declined.json().statusDetails.reasonCode).toBe('SoftDeclined');
    await expectDocumented('getChargeInEnvironment', declined);

    // Close with cancelPendingCharges: the open charge is canceled with the permission.
    const open = await send(app, 'POST', `${v2}/charges`, { chargePermissionId, chargeAmount: usd(1) });
    expectState(open, 201, 'Authorized');
    const closed = await send(app, 'DELETE', `${v2}/chargePermissions/${chargePermissionId}/close`, { closureReason: 'Order shipped', cancelPendingCharges: true });
    expectState(closed, 200, 'Closed');
    expect(closed.json().statusDetails.reasons).toEqual([{ reasonCode: 'MerchantClosed', reasonDescription: 'Order shipped' }]);
    await expectDocumented('closeChargePermissionInEnvironment', closed);
    const canceledWithIt = await send(app, 'GET', `${v2}/charges/${open.json().chargeId}`);
    expectState(canceledWithIt, 200, 'Canceled');
    expect(canceledWithIt.json().statusDetails.reasonCode).toBe('ChargePermissionCanceled');
    await expectDocumented('getChargeInEnvironment', canceledWithIt);
    // Closed by Amazon (the simulation code), with no body at all.
    const byAmazon = await completedSession();
    const amazonClosed = await app.inject({ method: 'DELETE', url: `${v2}/chargePermissions/${byAmazon.chargePermissionId}/close`, headers: { 'x-amz-pay-simulation-code': 'AmazonClosed' } });
    expectState(amazonClosed, 200, 'Closed');
    expect(amazonClosed.json().statusDetails.reasons[0].reasonCode).toBe('AmazonClosed');
    await expectDocumented('closeChargePermissionInEnvironment', amazonClosed);

    // A Recurring permission: C01- ids, no limits, recurringMetadata can be updated; its charges hang off a fresh base.
    const recurring = await completedSession({ ...sessionBody(), chargePermissionType: 'Recurring', recurringMetadata: { frequency: { unit: 'Month', value: 1 }, amount: usd(50) } });
    expect(recurring.chargePermissionId).toMatch(/^C01-/);
    const recurringPermission = await send(app, 'GET', `${v2}/chargePermissions/${recurring.chargePermissionId}`);
    expect(recurringPermission.json().limits).toEqual({ amountLimit: null, amountBalance: null });
    await expectDocumented('getChargePermissionInEnvironment', recurringPermission);
    const recurringUpdated = await send(app, 'PATCH', `${v2}/chargePermissions/${recurring.chargePermissionId}`, { recurringMetadata: { frequency: { unit: 'Week', value: '2' } } });
    expect(recurringUpdated.json().recurringMetadata).toEqual({ frequency: { unit: 'Week', value: '2' }, amount: usd('50.00') });
    await expectDocumented('updateChargePermissionInEnvironment', recurringUpdated);
    const recurringCharge = await send(app, 'POST', `${v2}/charges`, { chargePermissionId: recurring.chargePermissionId, chargeAmount: usd(50) });
    expectState(recurringCharge, 201, 'Authorized');
    expect(recurringCharge.json().chargeId).not.toContain(recurring.chargePermissionId.slice(4));
    await expectDocumented('createChargeInEnvironment', recurringCharge);

    // Delivery trackers, by charge permission (no idempotency key) and by a v1 order reference.
    const tracker = await send(app, 'POST', `${v2}/deliveryTrackers`, { chargePermissionId, deliveryDetails: [{ trackingNumber: '1Z999AA10123456784', carrierCode: 'UPS' }] }, { 'x-amz-pay-idempotency-key': null });
    expect(tracker.statusCode, tracker.payload).toBe(200);
    await expectDocumented('deliveryTrackersInEnvironment', tracker);
    const v1Tracker = await send(app, 'POST', `${v2}/deliveryTrackers`, { amazonOrderReferenceId: 'S01-0000000-0000000', deliveryDetails: [{ trackingNumber: 'A', carrierCode: 'DHL' }, { trackingNumber: 'B', carrierCode: 'DHL' }] });
    expect(v1Tracker.json().chargePermissionId).toBeNull();
    await expectDocumented('deliveryTrackersInEnvironment', v1Tracker);

    // Authorization tokens and buyers, under /sandbox/v2 and, with an environment-specific key, bare /v2.
    const keyed = { authorization: 'AMZN-PAY-RSASSA-PSS PublicKeyId=SANDBOX-OPENAPITEST, SignedHeaders=x-amz-pay-date, Signature=x' };
    await expectDocumented('getAuthorizationTokenInEnvironment', await send(app, 'GET', `${v2}/authorizationTokens/amzn.mws.4ea38b7b?merchantId=A2Q1EXAMPLE`));
    const token = await send(app, 'GET', '/v2/authorizationTokens/amzn.mws.4ea38b7b?merchantId=A2Q1EXAMPLE', undefined, keyed);
    expect(token.statusCode, token.payload).toBe(200);
    await expectDocumented('getAuthorizationToken', token);
    const issued = await send(app, 'POST', '/__admin/buyers?merchant=SANDBOX-OPENAPITEST&region=eu', { buyer: { name: 'Erika Mustermann', primeMembershipTypes: ['Prime'] }, shippingAddress: { city: 'Hamburg' } });
    expect(issued.statusCode, issued.payload).toBe(201);
    expect(issued.json().buyer).toMatchObject({ name: 'Erika Mustermann', countryCode: 'DE', primeMembershipTypes: ['Prime'] });
    await expectDocumented('issueBuyerToken', issued);
    const buyer = await send(app, 'GET', `/v2/buyers/${issued.json().buyerToken}`, undefined, keyed);
    expect(buyer.statusCode, buyer.payload).toBe(200);
    expect(buyer.json()).toEqual(issued.json().buyer);
    await expectDocumented('getBuyer', buyer);
    const anonymous = await send(app, 'POST', '/__admin/buyers?merchant=anonymous');
    expect(anonymous.statusCode, anonymous.payload).toBe(201);
    await expectDocumented('issueBuyerToken', anonymous);
    await expectDocumented('getBuyerInEnvironment', await send(app, 'GET', `${v2}/buyers/${anonymous.json().buyerToken}`));
  });

  it('answers the control API with documented statuses and bodies', async () => {
    await expectDocumented('getHealth', await send(app, 'GET', '/__admin/health'));
    await expectDocumented('getClock', await send(app, 'GET', '/__admin/clock'));
    await expectDocumented('setClock', await send(app, 'POST', '/__admin/clock', { frozen: true, advanceSeconds: 1.5 }));
    await expectDocumented('setClock', await send(app, 'POST', '/__admin/clock', { frozen: false, set: '2030-01-01T00:00:00Z' }));
    await expectDocumented('setClock', await send(app, 'POST', '/__admin/clock'));
    await expectDocumented('setClock', await send(app, 'POST', '/__admin/clock?merchant=SANDBOX-OPENAPITEST', { advanceSeconds: 60 }));
    await expectDocumented('getClock', await send(app, 'GET', '/__admin/clock?merchant=OPENAPITEST'));

    const rules = [
      { name: 'normal', match: { operation: 'getCheckoutSession', header: { name: 'X-Amz-Pay-Simulation-Code', value: 'X' } }, outcome: { kind: 'normal' }, times: 0 },
      { name: 'pending', description: 'settles declined', match: { operation: 'completeCheckoutSession', amount: 12 }, outcome: { kind: 'pending', settleTo: 'Declined' }, times: '0' },
      { name: 'cancel', match: { operation: 'completeCheckoutSession', currency: 'USD' }, outcome: { kind: 'cancel', reasonCode: 'BuyerCanceled' }, times: 0 },
      { name: 'error', match: { operation: '*', publicKeyId: 'SANDBOX-NOBODY' }, outcome: { kind: 'error', reasonCode: 'SoftDeclined', status: 402 }, delayMs: 0, times: 0 },
      { name: 'simulate', match: { operation: 'captureCharge', amount: '5.00' }, outcome: { kind: 'simulate', code: 'CaptureInitiated' }, times: 0 },
      { name: 'drop', match: { operation: 'getCharge', currency: 'EUR' }, outcome: { kind: 'drop' }, times: 0 },
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

  it('guards the control API with the admin token, as documented', async () => {
    const control = documentedOperations().filter((o) => o.path.startsWith('/__admin'));
    const open = control.filter((o) => same(o.operation.security, [])).map((o) => `${o.method} ${o.path}`);
    expect(open.sort()).toEqual(['GET /__admin/health', 'GET /__admin/ipn/signing-cert.pem', 'GET /__admin/ipn/unsubscribe']);
    expect(doc.components.securitySchemes.AdminToken).toMatchObject({ type: 'http', scheme: 'bearer' });
    for (const { path, method, operation } of documentedOperations()) {
      const where = `${method} ${path}`;
      if (path.startsWith('/__admin') && !open.includes(where)) {
        expect(operation.security, where).toEqual([{ AdminToken: [] }]);
        expect(operation.responses['401'], where).toEqual({ $ref: '#/components/responses/AdminUnauthorized' });
      } else if (!path.startsWith('/__admin')) {
        expect(JSON.stringify(operation.security ?? []), `${where} does not name the admin token`).not.toContain('AdminToken');
      } else {
        expect(operation.responses['401'], where).toBeUndefined();
      }
    }
    for (const id of ['getSigninPage', 'submitSignin', 'getPaymentPage', 'submitPayment']) expect(operationById(id).operation.security, id).toEqual([]);

    const token = 'openapi-admin-token';
    const guarded = await buildApp(testConfig({ signature: 'off', adminToken: token }), { store: new MemoryStore() });
    try {
      for (const { path, method, operation } of control) {
        const where = `${method} ${path}`;
        const url = path.replace(/\{[^}]+\}/g, 'no-such-session');
        for (const authorization of [null, 'Bearer wrong-token', token, `Basic ${Buffer.from(`admin:${token}`).toString('base64')}`, `Bearer ${token} `]) {
          const res = await send(guarded, method, url, undefined, { authorization });
          if (open.includes(where)) {
            expect(res.statusCode, `${where} is open`).not.toBe(401);
            continue;
          }
          expect(res.statusCode, `${where} with ${authorization}`).toBe(401);
          expect(res.json().reasonCode).toBe('UnauthorizedAccess');
          await expectDocumented(operation.operationId, res);
        }
        const allowed = await send(guarded, method, url, undefined, { authorization: `Bearer ${token}` });
        expect(allowed.statusCode, `${where} with the token: ${allowed.payload.slice(0, 200)}`).not.toBe(401);
        await expectDocumented(operation.operationId, allowed);
      }
      // The emulated API, the documentation and the hosted pages never need it.
      const created = await send(guarded, 'POST', '/sandbox/v2/checkoutSessions', sessionBody());
      expect(created.statusCode, created.payload).toBe(201);
      expect((await send(guarded, 'GET', '/documentation/json')).statusCode).toBe(200);
      await expectDocumented('getSigninPage', await guarded.inject({ method: 'GET', url: `/checkout/signin?amazonCheckoutSessionId=${created.json().checkoutSessionId}` }));
    } finally {
      await guarded.close();
    }
  });

  it('answers the request journal and the fault routes with documented statuses and bodies', async () => {
    const merchant = 'SANDBOX-OPENAPIJOURNAL';
    const keyed = { authorization: `AMZN-PAY-RSASSA-PSS PublicKeyId=${merchant}, SignedHeaders=x-amz-pay-date, Signature=0123456789abcdefghijklmnopqrstuvwxyz` };
    const journal = (query = '') => send(app, 'GET', `/__admin/requests?merchant=${merchant}${query}`);

    // A few calls of one merchant: created, replayed, not found, completed, answered by a fault.
    const createKey = { ...keyed, 'x-amz-pay-idempotency-key': 'openapi-journal-key' };
    const created = await send(app, 'POST', '/v2/checkoutSessions', sessionBody(), createKey);
    expect(created.statusCode, created.payload).toBe(201);
    expect((await send(app, 'POST', '/v2/checkoutSessions', sessionBody(), createKey)).statusCode).toBe(201);
    const id = created.json().checkoutSessionId;
    expect((await send(app, 'GET', '/v2/checkoutSessions/no-such-session', undefined, keyed)).statusCode).toBe(404);
    const done = await send(app, 'POST', `/v2/checkoutSessions/${id}/complete`, { chargeAmount: usd('50.00') }, keyed);
    expect(done.statusCode, done.payload).toBe(200);
    const fault = await send(app, 'POST', `/__admin/faults?merchant=${merchant}`, { operation: 'getCharge', status: 503, times: 1 });
    expect(fault.statusCode, fault.payload).toBe(201);
    expect(fault.json()).toMatchObject({ name: 'fault:getCharge:503', outcome: { kind: 'error', reasonCode: 'ServiceUnavailable', status: 503 }, times: 1, source: 'faults', merchant: 'OPENAPIJOURNAL' });
    await expectDocumented('addFault', fault);
    const faulted = await send(app, 'GET', `/v2/charges/${done.json().chargeId}`, undefined, keyed);
    expect(faulted.statusCode).toBe(503);
    await expectDocumented('getCharge', faulted, true);

    const listed = await journal();
    await expectDocumented('listRequests', listed);
    const entries = listed.json().requests as Json[];
    expect(entries.map((e) => `${e.operation} ${e.status}`)).toEqual([
      'getCharge 503', 'completeCheckoutSession 200', 'getCheckoutSession 404', 'createCheckoutSession 201', 'createCheckoutSession 201',
    ]);
    expect(entries[0]).toMatchObject({ merchant: 'OPENAPIJOURNAL', publicKeyId: merchant, reasonCode: 'ServiceUnavailable', scenario: 'fault:getCharge:503', replayed: false });
    expect(entries.map((e) => e.replayed)).toEqual([false, false, false, true, false]);
    expect(entries[1].objectIds).toEqual(expect.arrayContaining([id, done.json().chargePermissionId, done.json().chargeId]));
    expect(entries[1].request.body).toEqual({ chargeAmount: usd('50.00') });
    expect(entries[1].response.body).toEqual(done.json());
    expect(entries[1].request.headers.authorization).toMatch(/Signature=0123456789ab…$/);
    for (const [query, count] of [
      ['&operation=createCheckoutSession', 2], ['&status=404', 1], [`&publicKeyId=${merchant}`, 5], [`&objectId=${id}`, 3], ['&limit=2', 2], ['&limit=0', 0],
      ['&since=0', 5], [`&since=${new Date(Date.now() + 60_000).toISOString()}`, 0], ['&operation=&status=', 5],
    ] as const) {
      const filtered = await journal(query);
      expect(filtered.json().requests, query).toHaveLength(count);
      await expectDocumented('listRequests', filtered);
    }

    // A call no operation took, and a connection a fault dropped (status 0).
    expect((await send(app, 'GET', '/v2/nothing/here', undefined, keyed)).statusCode).toBe(404);
    const unknown = await send(app, 'GET', '/__admin/requests?limit=1');
    expect(unknown.json().requests[0]).toMatchObject({ operation: null, merchant: null, path: '/v2/nothing/here', status: 404, reasonCode: 'ResourceNotFound' });
    await expectDocumented('listRequests', unknown);
    expect((await send(app, 'POST', `/__admin/faults?merchant=${merchant}`, { operation: 'getRefund', drop: true, times: 1 })).statusCode).toBe(201);
    void send(app, 'GET', '/v2/refunds/S01-0000000-0000000-R000000', undefined, keyed); // never answered
    await vi.waitFor(async () => expect((await journal('&status=0')).json().requests).toHaveLength(1));
    const dropped = await journal('&status=0');
    expect(dropped.json().requests[0]).toMatchObject({ operation: 'getRefund', scenario: 'fault:getRefund:drop', response: { body: null } });
    await expectDocumented('listRequests', dropped);

    // A signature that does not verify: the journal shows what the emulator computed.
    const signed = await buildApp(testConfig(), { store: new MemoryStore() });
    try {
      const keys = (await send(signed, 'GET', '/__admin/publicKeys')).json().publicKeys as { publicKeyId: string }[];
      const keyId = keys.find((k) => k.publicKeyId.startsWith('SANDBOX-'))!.publicKeyId;
      const refused = await send(signed, 'GET', '/v2/checkoutSessions/x', undefined, {
        authorization: `AMZN-PAY-RSASSA-PSS PublicKeyId=${keyId}, SignedHeaders=x-amz-pay-date;x-amz-pay-host, Signature=AAAA`, 'x-amz-pay-date': formatTimestamp(Date.now()), 'x-amz-pay-host': 'pay-api.amazon.com',
      });
      expect(refused.json().reasonCode).toBe('InvalidRequestSignature');
      const withSignature = await send(signed, 'GET', '/__admin/requests?status=403');
      expect(withSignature.json().requests[0].signature).toMatchObject({ canonicalRequest: expect.stringContaining('GET\n/v2/checkoutSessions/x\n'), stringToSign: expect.stringMatching(/^AMZN-PAY-RSASSA-PSS\n/) });
      await expectDocumented('listRequests', withSignature);
    } finally {
      await signed.close();
    }

    // Faults: a latency fault for the merchant and a fault for everyone, listed with the scenario rules too.
    const latency = await send(app, 'POST', `/__admin/faults?merchant=${merchant}`, { operation: 'getRefund', latencyMs: '5', times: '2' });
    expect(latency.json()).toMatchObject({ name: 'fault:getRefund:latency', outcome: { kind: 'normal' }, delayMs: 5, times: 2 });
    await expectDocumented('addFault', latency);
    const everyone = await send(app, 'POST', '/__admin/faults', { operation: null, status: 429, times: 0 });
    expect(everyone.json()).toMatchObject({ name: 'fault:*:429', match: { operation: '*' }, outcome: { reasonCode: 'TooManyRequests', status: 429 }, merchant: null });
    await expectDocumented('addFault', everyone);
    const dropFault = await send(app, 'POST', '/__admin/faults', { operation: 'getRefund', drop: true, latencyMs: 0, times: 0 });
    expect(dropFault.json()).toMatchObject({ name: 'fault:getRefund:drop', outcome: { kind: 'drop' } });
    await expectDocumented('addFault', dropFault);
    const faults = await send(app, 'GET', `/__admin/faults?merchant=${merchant}`);
    expect(faults.json().faults.map((f: Json) => f.name)).toEqual(['fault:getRefund:drop', 'fault:*:429', 'fault:getRefund:latency', 'fault:getRefund:drop', 'fault:getCharge:503']);
    await expectDocumented('listFaults', faults);
    expect((await send(app, 'GET', '/__admin/faults?merchant=SANDBOX-SOMEONEELSE')).json().faults).toHaveLength(2);
    const rules = await send(app, 'GET', `/__admin/scenarios?merchant=${merchant}`);
    expect(rules.json().rules.filter((r: Json) => r.source === 'faults')).toHaveLength(5);
    await expectDocumented('listScenarios', rules);
    const clearedOne = await send(app, 'DELETE', `/__admin/faults?merchant=${merchant}`);
    expect(clearedOne.json()).toEqual({ cleared: 3 });
    await expectDocumented('clearFaults', clearedOne);
    const clearedAll = await send(app, 'DELETE', '/__admin/faults');
    expect(clearedAll.json()).toEqual({ cleared: 2 });
    await expectDocumented('clearFaults', clearedAll);
    await expectDocumented('listFaults', await send(app, 'GET', '/__admin/faults'));

    const cleared = await send(app, 'DELETE', `/__admin/requests?merchant=${merchant}`);
    expect(cleared.json()).toEqual({ cleared: 6 });
    await expectDocumented('clearRequests', cleared);
    expect((await journal()).json().requests).toEqual([]);
    await expectDocumented('clearRequests', await send(app, 'DELETE', '/__admin/requests'));
  });

  it('answers the IPN routes with documented statuses and bodies', async () => {
    const accepting = await startReceiver(() => 204);
    const refusing = await startReceiver(() => 500);
    const nobody = await closedPortUrl();
    const ipnApp = await buildApp(testConfig({ signature: 'off', ipnRetryDelaysMs: [], publicUrl: 'http://127.0.0.1:8080' }), { store: new MemoryStore() });
    try {
      const defaults = await send(ipnApp, 'GET', '/__admin/ipn');
      expect(defaults.json()).toEqual({ merchant: null, merchantId: null, topicArn: null, urls: [], signed: true, source: 'default' });
      await expectDocumented('getIpnConfig', defaults);
      const merchant = 'SANDBOX-OPENAPIIPN';
      const before = await send(ipnApp, 'GET', `/__admin/ipn?merchant=${merchant}`);
      expect(before.json()).toMatchObject({ merchant: 'OPENAPIIPN', source: 'default' });
      await expectDocumented('getIpnConfig', before);
      const set = await send(ipnApp, 'POST', `/__admin/ipn?merchant=${merchant}`, { urls: [accepting.url, refusing.url, nobody, accepting.url] });
      expect(set.json()).toMatchObject({ urls: [accepting.url, refusing.url, nobody], signed: true, source: 'merchant' });
      await expectDocumented('setIpnConfig', set);
      const unsignedMerchant = 'SANDBOX-OPENAPIIPNUNSIGNED';
      const unsigned = await send(ipnApp, 'POST', `/__admin/ipn?merchant=${unsignedMerchant}`, { urls: [accepting.url], signed: false });
      expect(unsigned.json()).toMatchObject({ merchant: 'OPENAPIIPNUNSIGNED', urls: [accepting.url], signed: false });
      await expectDocumented('setIpnConfig', unsigned);

      await completeOn(ipnApp, merchant);
      await completeOn(ipnApp, unsignedMerchant);
      await ipnApp.mock.ipn.flush();

      const listed = await send(ipnApp, 'GET', `/__admin/ipn/deliveries?merchant=${merchant}`);
      await expectDocumented('listIpnDeliveries', listed);
      const deliveries = listed.json().deliveries as Json[];
      const notifications = new Set(deliveries.map((d) => d.notification.NotificationId));
      expect(notifications.size).toBeGreaterThanOrEqual(2);
      expect(deliveries).toHaveLength(notifications.size * 3);
      const byUrl = (url: string) => deliveries.filter((d) => d.url === url);
      for (const d of byUrl(accepting.url)) expect(d).toMatchObject({ status: 'delivered', attempts: [{ status: 204 }], nextAttemptAt: null });
      for (const d of byUrl(refusing.url)) expect(d).toMatchObject({ status: 'failed', attempts: [{ status: 500, response: 'receiver says 500' }] });
      for (const d of byUrl(nobody)) expect(d).toMatchObject({ status: 'failed', attempts: [{ error: expect.stringContaining('ECONNREFUSED') }] });
      // The envelope is what was posted; its Message is the notification; its signature verifies against the served certificate.
      const certificate = await send(ipnApp, 'GET', '/__admin/ipn/signing-cert.pem');
      await expectDocumented('getIpnSigningCertificate', certificate);
      const publicKey = new X509Certificate(certificate.payload).publicKey;
      for (const d of deliveries) {
        expect(JSON.parse(d.envelope.Message)).toEqual(d.notification);
        expect(d.envelope.SigningCertURL).toBe('http://127.0.0.1:8080/__admin/ipn/signing-cert.pem');
        expect(verify('RSA-SHA1', Buffer.from(snsStringToSign(d.envelope)), publicKey, Buffer.from(d.envelope.Signature, 'base64'))).toBe(true);
      }
      const posted = accepting.received.map((r) => JSON.parse(r.body));
      for (const d of byUrl(accepting.url)) expect(posted).toContainEqual(d.envelope);

      for (const query of ['&status=failed&limit=2', '&status=delivered', '&status=pending', '&limit=1000']) {
        const filtered = await send(ipnApp, 'GET', `/__admin/ipn/deliveries?merchant=${merchant}${query}`);
        await expectDocumented('listIpnDeliveries', filtered);
        expect(filtered.json().deliveries.length, query).toBe({ '&status=failed&limit=2': 2, '&status=delivered': notifications.size, '&status=pending': 0, '&limit=1000': deliveries.length }[query]);
      }
      const unsignedDeliveries = await send(ipnApp, 'GET', `/__admin/ipn/deliveries?merchant=${unsignedMerchant}`);
      for (const d of unsignedDeliveries.json().deliveries) expect(d.envelope).toMatchObject({ Signature: '', SigningCertURL: '' });
      await expectDocumented('listIpnDeliveries', unsignedDeliveries);
      await expectDocumented('listIpnDeliveries', await send(ipnApp, 'GET', '/__admin/ipn/deliveries'));

      // The envelope's UnsubscribeURL, for one endpoint and then for the rest.
      const unsubscribeUrl = new URL(deliveries[0].envelope.UnsubscribeURL);
      expect(unsubscribeUrl.pathname).toBe('/__admin/ipn/unsubscribe');
      const one = await send(ipnApp, 'GET', `${unsubscribeUrl.pathname}${unsubscribeUrl.search}&url=${encodeURIComponent(refusing.url)}`);
      expect(one.json()).toMatchObject({ unsubscribed: [refusing.url], merchant: 'OPENAPIIPN', urls: [accepting.url, nobody], source: 'merchant' });
      await expectDocumented('unsubscribeIpn', one);
      const rest = await send(ipnApp, 'GET', `${unsubscribeUrl.pathname}${unsubscribeUrl.search}`);
      expect(rest.json()).toMatchObject({ unsubscribed: [accepting.url, nobody], urls: [] });
      await expectDocumented('unsubscribeIpn', rest);
      const nothingLeft = await send(ipnApp, 'GET', '/__admin/ipn/unsubscribe?merchant=SANDBOX-OPENAPINEVERSET');
      expect(nothingLeft.json()).toMatchObject({ unsubscribed: [], urls: [], source: 'merchant' });
      await expectDocumented('unsubscribeIpn', nothingLeft);

      const deleted = await send(ipnApp, 'DELETE', `/__admin/ipn/deliveries?merchant=${merchant}`);
      expect(deleted.json()).toEqual({ deleted: deliveries.length });
      await expectDocumented('clearIpnDeliveries', deleted);
      await expectDocumented('clearIpnDeliveries', await send(ipnApp, 'DELETE', '/__admin/ipn/deliveries'));
    } finally {
      await ipnApp.close();
      await accepting.close();
      await refusing.close();
    }

    // A delivery waiting for its retry: pending, with the time of the next attempt.
    const retrying = await buildApp(testConfig({ signature: 'off', ipnRetryDelaysMs: [60_000], ipnUrls: [nobody] }), { store: new MemoryStore() });
    try {
      await completeOn(retrying, 'SANDBOX-OPENAPIRETRY');
      const waiting = async () => (await send(retrying, 'GET', '/__admin/ipn/deliveries?status=pending')).json().deliveries as Json[];
      await vi.waitFor(async () => {
        const pending = await waiting();
        expect(pending.length).toBeGreaterThan(0);
        for (const d of pending) expect(d.attempts).toHaveLength(1);
      });
      const pending = await send(retrying, 'GET', '/__admin/ipn/deliveries?status=pending');
      for (const d of pending.json().deliveries) expect(Date.parse(d.nextAttemptAt)).toBeGreaterThan(Date.now() + 30_000);
      await expectDocumented('listIpnDeliveries', pending);
      const config = await send(retrying, 'GET', '/__admin/ipn?merchant=OPENAPIRETRY');
      expect(config.json()).toMatchObject({ urls: [nobody], source: 'default' });
      await expectDocumented('getIpnConfig', config);
    } finally {
      await retrying.close();
    }
  });

  it('serves the hosted pages as documented', async () => {
    const pages = await buildApp(testConfig({ signature: 'off', buyerApproval: 'manual' }), { store: new MemoryStore() });
    const seen = new Map<string, Set<string>>();
    const page = async (operationId: string, res: LightMyRequestResponse, status: number) => {
      expect(res.statusCode, `${operationId}: ${res.payload.slice(0, 300)}`).toBe(status);
      seen.set(operationId, (seen.get(operationId) ?? new Set()).add(String(status)));
      await expectDocumented(operationId, res);
      return res;
    };
    const get = (url: string) => pages.inject({ method: 'GET', url });
    const post = (url: string, fields: Record<string, string> | string, contentType = 'application/x-www-form-urlencoded') =>
      pages.inject({ method: 'POST', url, payload: typeof fields === 'string' ? fields : new URLSearchParams(fields).toString(), headers: { 'content-type': contentType } });
    const create = async (body: Json = sessionBody()) => {
      const res = await send(pages, 'POST', '/sandbox/v2/checkoutSessions', body);
      expect(res.statusCode, res.payload).toBe(201);
      return res.json().checkoutSessionId as string;
    };
    const stateOf = async (id: string) => (await send(pages, 'GET', `/sandbox/v2/checkoutSessions/${id}`)).json();
    /** The fields a page's form posts: every named control, and the values of the radio buttons and submit buttons. */
    const formOf = (html: string) => ({
      action: /<form method="post" action="([^"]+)">/.exec(html)?.[1],
      names: [...new Set([...html.matchAll(/<(?:input|button|select|textarea)\b[^>]*\sname="([^"]+)"/g)].map((m) => m[1]))].sort(),
      values: (name: string) => [...html.matchAll(new RegExp(`<(?:input|button)\\b[^>]*\\sname="${name}"[^>]*\\svalue="([^"]*)"`, 'g'))].map((m) => m[1]).sort(),
    });
    const formSchema = (name: string) => deref(component(name));
    const endpointOf = (id: string) => operationById(id).path;
    try {
      // Sign in: the page, a refused form, then back to the review URL.
      const id = await create();
      expect((await stateOf(id)).webCheckoutDetails.amazonPayRedirectUrl).toBeNull();
      const signin = await page('getSigninPage', await get(`/checkout/signin?amazonCheckoutSessionId=${id}`), 200);
      const signinForm = formOf(signin.payload);
      expect(signinForm.action).toBe(endpointOf('submitSignin'));
      expect(signinForm.names).toEqual(Object.keys(formSchema('SigninForm').properties).sort());
      expect(signinForm.values('action')).toEqual([...formSchema('SigninForm').properties.action.enum].sort());
      expect(deref(operationById('submitSignin').operation.requestBody).content['application/x-www-form-urlencoded'].schema).toEqual(component('SigninForm'));
      const signinFields = { amazonCheckoutSessionId: id, name: 'Erika Mustermann', email: 'erika@example.com', action: 'continue' };
      expect(await checker.check(component('SigninForm'), signinFields)).toBeNull();
      expect(await checker.check(component('SigninForm'), { ...signinFields, name: 'n'.repeat(51) })).not.toBeNull();
      expect(await checker.check(component('SigninForm'), { name: 'Erika' })).not.toBeNull();
      const refusedSignin = await page('submitSignin', await post('/checkout/signin', { ...signinFields, email: 'erika' }), 400);
      expect(refusedSignin.payload).toContain('There is a problem');
      await page('submitSignin', await post('/checkout/signin', { ...signinFields, name: 'n'.repeat(51) }), 400);
      const signedIn = await page('submitSignin', await post('/checkout/signin', signinFields), 303);
      expect(signedIn.headers.location).toBe(`https://merchant.example/review?amazonCheckoutSessionId=${id}`);
      const afterSignin = await stateOf(id);
      expect(afterSignin.buyer).toMatchObject({ name: 'Erika Mustermann', email: 'erika@example.com' });

      // Pay: the page behind amazonPayRedirectUrl, refused cards, then back to the result URL.
      const redirect = new URL(afterSignin.webCheckoutDetails.amazonPayRedirectUrl);
      expect(redirect.pathname).toBe(endpointOf('getPaymentPage'));
      expect(redirect.searchParams.get('amazonCheckoutSessionId')).toBe(id);
      const payment = await page('getPaymentPage', await get(`${redirect.pathname}${redirect.search}`), 200);
      const paymentForm = formOf(payment.payload);
      expect(paymentForm.action).toBe(endpointOf('submitPayment'));
      expect(paymentForm.names).toEqual(Object.keys(formSchema('PaymentForm').properties).sort());
      expect(paymentForm.values('card')).toEqual([...formSchema('PaymentForm').properties.card.enum].sort());
      expect(paymentForm.values('card')).toEqual(Object.keys(simulatedCards).sort());
      expect(paymentForm.values('action')).toEqual([...formSchema('PaymentForm').properties.action.enum].sort());
      expect(deref(operationById('submitPayment').operation.requestBody).content['application/x-www-form-urlencoded'].schema).toEqual(component('PaymentForm'));
      const payFields = { amazonCheckoutSessionId: id, card: '0005', action: 'pay' };
      expect(await checker.check(component('PaymentForm'), payFields)).toBeNull();
      expect(await checker.check(component('PaymentForm'), { ...payFields, card: '9999' })).not.toBeNull();
      await page('submitPayment', await post('/checkout/processing', { amazonCheckoutSessionId: id }), 400);
      await page('submitPayment', await post('/checkout/processing', { ...payFields, card: '9999' }), 400);
      const paid = await page('submitPayment', await post('/checkout/processing', payFields), 303);
      expect(paid.headers.location).toBe(`https://merchant.example/result?amazonCheckoutSessionId=${id}`);
      expect((await stateOf(id)).paymentPreferences[0].paymentDescriptor).toContain('0005');

      // Completed: every page refuses it with 409.
      const completed = await send(pages, 'POST', `/sandbox/v2/checkoutSessions/${id}/complete`, { chargeAmount: usd('50.00') });
      expect(completed.statusCode, completed.payload).toBe(200);
      await page('getSigninPage', await get(`/checkout/signin?amazonCheckoutSessionId=${id}`), 409);
      await page('getPaymentPage', await get(`/checkout/processing?amazonCheckoutSessionId=${id}`), 409);
      await page('submitSignin', await post('/checkout/signin', signinFields), 409);
      await page('submitPayment', await post('/checkout/processing', payFields), 409);

      // Cancel, from either page: the cancel URL (its own query kept), the session Canceled.
      const withCancel = { ...sessionBody(), webCheckoutDetails: { ...sessionBody().webCheckoutDetails, checkoutCancelUrl: 'https://merchant.example/cancel?from=amazon' } };
      for (const [operationId, url] of [['submitSignin', '/checkout/signin'], ['submitPayment', '/checkout/processing']] as const) {
        const cancelId = await create(withCancel);
        const canceled = await page(operationId, await post(url, { amazonCheckoutSessionId: cancelId, action: 'cancel' }), 303);
        expect(canceled.headers.location).toBe(`https://merchant.example/cancel?from=amazon&amazonCheckoutSessionId=${cancelId}`);
        expect((await stateOf(cancelId)).statusDetails).toMatchObject({ state: 'Canceled', reasonCode: 'BuyerCanceled' });
      }

      // Not ready for payment (no amount yet): 409, while signing in still works.
      const unpriced = await create({ ...sessionBody(), paymentDetails: { paymentIntent: 'Authorize' } });
      await page('getPaymentPage', await get(`/checkout/processing?amazonCheckoutSessionId=${unpriced}`), 409);
      await page('submitPayment', await post('/checkout/processing', { amazonCheckoutSessionId: unpriced, card: '1111' }), 409);
      await page('getSigninPage', await get(`/checkout/signin?amazonCheckoutSessionId=${unpriced}`), 200);

      // Requests that cannot be read, and sessions nobody has.
      const open = await create();
      for (const operationId of ['getSigninPage', 'getPaymentPage']) {
        const path = endpointOf(operationId);
        await page(operationId, await get(path), 400);
        await page(operationId, await get(`${path}?amazonCheckoutSessionId=%20`), 400);
        await page(operationId, await get(`${path}?amazonCheckoutSessionId=${open}&amazonCheckoutSessionId=${open}`), 400);
        await page(operationId, await get(`${path}?amazonCheckoutSessionId=no-such-session`), 404);
      }
      for (const operationId of ['submitSignin', 'submitPayment']) {
        const path = endpointOf(operationId);
        await page(operationId, await post(path, JSON.stringify({ amazonCheckoutSessionId: open }), 'application/json'), 400);
        await page(operationId, await post(path, { amazonCheckoutSessionId: open }, 'application/x-www-form-urlencoded; charset=iso-8859-1'), 400);
        await page(operationId, await post(path, `amazonCheckoutSessionId=${open}&amazonCheckoutSessionId=${open}`), 400);
        await page(operationId, await post(path, `amazonCheckoutSessionId=${open}&name=%zz`), 400);
        await page(operationId, await post(path, { amazonCheckoutSessionId: open, action: 'later' }), 400);
        await page(operationId, await post(path, { action: 'cancel' }), 400);
        await page(operationId, await post(path, { amazonCheckoutSessionId: 'no-such-session', action: 'cancel' }), 404);
        await page(operationId, await post(path, `amazonCheckoutSessionId=${open}&name=${'x'.repeat(2_000_000)}`), 413);
      }
      expect((await stateOf(open)).statusDetails.state).toBe('Open');

      // Every documented status but 500 (a crash) was produced.
      for (const { operation } of documentedOperations().filter((o) => o.operation.tags.includes('Hosted pages'))) {
        const documented = Object.keys(operation.responses).filter((s) => s !== '500').sort();
        expect([...(seen.get(operation.operationId) ?? [])].sort(), operation.operationId).toEqual(documented);
      }
    } finally {
      await pages.close();
    }
  });

  it('serves checkout.js and the button pages as documented', async () => {
    // Button signatures are verified even with --signature off; the API reads below rely on it being off.
    const pages = await buildApp(testConfig({ signature: 'off', buyerApproval: 'manual' }), { store: new MemoryStore() });
    const asDemo = { authorization: `AMZN-PAY-RSASSA-PSS PublicKeyId=${demoKeyIds.sandbox}, SignedHeaders=x-amz-pay-date, Signature=x` };
    const seen = new Map<string, Set<string>>();
    const page = async (operationId: string, res: LightMyRequestResponse, status: number) => {
      expect(res.statusCode, `${operationId}: ${res.payload.slice(0, 300)}`).toBe(status);
      seen.set(operationId, (seen.get(operationId) ?? new Set()).add(String(status)));
      await expectDocumented(operationId, res);
      return res;
    };
    const form = (url: string, fields: Record<string, string>) =>
      pages.inject({ method: 'POST', url, payload: new URLSearchParams(fields).toString(), headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    const signed = (payload: unknown, algorithm = 'AMZN-PAY-RSASSA-PSS-V2') => {
      const payloadJSON = JSON.stringify(payload);
      const client = new AmazonPay.WebStoreClient({ publicKeyId: demoKeyIds.sandbox, privateKey: demoPrivateKey, region: 'us', sandbox: true, algorithm });
      return { payloadJSON, signature: client.generateButtonSignature(payloadJSON), publicKeyId: demoKeyIds.sandbox, algorithm, ledgerCurrency: 'USD' };
    };
    const checkout = { storeId, webCheckoutDetails: { checkoutReviewReturnUrl: 'https://merchant.example/review' } };
    try {
      // The script answers on any host, so a proxy can serve it as static-na.payments-amazon.com.
      const script = await page('getCheckoutScript', await pages.inject({ method: 'GET', url: '/checkout.js', headers: { host: 'static-na.payments-amazon.com' } }), 200);
      expect(script.payload).toContain('amazon.Pay');

      const started = await page('startCheckoutFromButton', await form('/checkout/start', signed(checkout)), 303);
      const id = new URL(started.headers.location as string, 'https://x').searchParams.get('amazonCheckoutSessionId')!;
      expect((await send(pages, 'GET', `/v2/checkoutSessions/${id}`, undefined, asDemo)).json()).toMatchObject({ productType: 'PayAndShip', buyer: null, statusDetails: { state: 'Open' } });
      await page('startCheckoutFromButton', await form('/checkout/start', { ...signed(checkout), payloadJSON: JSON.stringify({ ...checkout, storeId: 'x' }) }), 403);
      await page('startCheckoutFromButton', await form('/checkout/start', { ...signed(checkout), publicKeyId: 'SANDBOX-UNKNOWN' }), 401);
      // Signed correctly, but Create Checkout Session would refuse it: the same reason code.
      const invalid = await page('startCheckoutFromButton', await form('/checkout/start', signed({ storeId })), 400);
      expect(invalid.payload).toContain('MissingParameterValue');
      await page('startCheckoutFromButton', await form('/checkout/start', { ...signed(checkout), productType: 'SignIn' }), 400);
      await page('startCheckoutFromButton', await pages.inject({ method: 'POST', url: '/checkout/start', payload: `payloadJSON=${'x'.repeat(2_000_000)}`, headers: { 'content-type': 'application/x-www-form-urlencoded' } }), 413);

      const signIn = signed({ signInReturnUrl: 'https://merchant.example/signed-in', storeId, signInScopes: ['name', 'email'] });
      await page('amazonSignin', await form('/checkout/amazon-signin', signIn), 200);
      await page('amazonSignin', await form('/checkout/amazon-signin', { ...signIn, action: 'continue', name: '', email: 'x@example.com' }), 400);
      const back = await page('amazonSignin', await form('/checkout/amazon-signin', { ...signIn, action: 'continue', name: 'Sam', email: 'sam@example.com' }), 303);
      const token = new URL(back.headers.location as string).searchParams.get('buyerToken')!;
      expect((await send(pages, 'GET', `/v2/buyers/${token}`, undefined, asDemo)).json()).toMatchObject({ name: 'Sam', email: 'sam@example.com', postalCode: null, shippingAddress: null });
      await page('amazonSignin', await form('/checkout/amazon-signin', { ...signIn, signature: signIn.signature.replace(/^./, (c: string) => (c === 'A' ? 'B' : 'A')) }), 403);
      await page('amazonSignin', await form('/checkout/amazon-signin', { ...signIn, publicKeyId: 'SANDBOX-UNKNOWN' }), 401);
      await page('amazonSignin', await pages.inject({ method: 'POST', url: '/checkout/amazon-signin', payload: `payloadJSON=${'x'.repeat(2_000_000)}`, headers: { 'content-type': 'application/x-www-form-urlencoded' } }), 413);

      // Change actions need a signed-in buyer on an Open session.
      await page('getChangePage', await pages.inject({ method: 'GET', url: `/checkout/change?amazonCheckoutSessionId=${id}&changeAction=changeAddress` }), 409);
      await pages.inject({ method: 'POST', url: `/__admin/checkoutSessions/${id}/approve`, payload: '{}', headers: { 'content-type': 'application/json' } });
      await page('getChangePage', await pages.inject({ method: 'GET', url: `/checkout/change?amazonCheckoutSessionId=${id}&changeAction=changeAddress` }), 200);
      await page('getChangePage', await pages.inject({ method: 'GET', url: `/checkout/change?amazonCheckoutSessionId=${id}&changeAction=changePayment` }), 200);
      await page('getChangePage', await pages.inject({ method: 'GET', url: `/checkout/change?amazonCheckoutSessionId=${id}&changeAction=changeAll` }), 400);
      await page('getChangePage', await pages.inject({ method: 'GET', url: '/checkout/change?amazonCheckoutSessionId=nope&changeAction=changePayment' }), 404);
      const moved = await page('submitChange', await form('/checkout/change', { amazonCheckoutSessionId: id, changeAction: 'changeAddress', action: 'save', address: '1' }), 303);
      expect(moved.headers.location).toBe(`https://merchant.example/review?amazonCheckoutSessionId=${id}`);
      expect((await send(pages, 'GET', `/v2/checkoutSessions/${id}`, undefined, asDemo)).json().shippingAddress.addressLine1).toBe('2 Second Street');
      await page('submitChange', await form('/checkout/change', { amazonCheckoutSessionId: id, changeAction: 'changePayment', action: 'save', card: '9999' }), 400);
      await page('submitChange', await form('/checkout/change', { amazonCheckoutSessionId: 'nope', changeAction: 'changePayment', action: 'back' }), 404);
      await page('submitChange', await pages.inject({ method: 'POST', url: '/checkout/change', payload: `card=${'x'.repeat(2_000_000)}`, headers: { 'content-type': 'application/x-www-form-urlencoded' } }), 413);
      await page('submitChange', await form('/checkout/change', { amazonCheckoutSessionId: id, changeAction: 'changePayment', action: 'save', card: '3434' }), 303);
      await page('submitChange', await form('/checkout/change', { amazonCheckoutSessionId: id, changeAction: 'changePayment', action: 'back' }), 409);
      await page('getChangePage', await pages.inject({ method: 'GET', url: `/checkout/change?amazonCheckoutSessionId=${id}&changeAction=changePayment` }), 409);

      for (const { operation } of documentedOperations().filter((o) => o.operation.tags.includes('Buttons'))) {
        const documented = Object.keys(operation.responses).filter((s) => s !== '500').sort();
        expect([...(seen.get(operation.operationId) ?? [])].sort(), operation.operationId).toEqual(documented);
      }
    } finally {
      await pages.close();
    }
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
    probe('updateCheckoutSessionInEnvironment', 'MissingParameterValue', () => send(app, 'PATCH', `${env}/${openId}`, { paymentDetails: { chargeAmount: { amount: '1' } } }));
    probe('updateCheckoutSessionInEnvironment', 'InvalidParameterValue', () => send(app, 'PATCH', `${env}/${openId}`, { platformId: 'p'.repeat(65) }));
    probe('updateCheckoutSessionInEnvironment', 'CurrencyMismatch', () => send(app, 'PATCH', `${env}/${openId}`, { paymentDetails: { chargeAmount: { amount: '1', currencyCode: 'JPY' } } }));
    probe('updateCheckoutSessionInEnvironment', 'ResourceNotFound', () => send(app, 'PATCH', `${env}/no-such-session`, {}));
    probe('updateCheckoutSessionInEnvironment', 'InvalidSandboxSimulationSpecified', () => send(app, 'PATCH', `${env}/${openId}`, {}, { 'x-amz-pay-simulation-code': 'BuyerCanceled' }));
    probe('completeCheckoutSessionInEnvironment', 'UnrecognizedField', () => send(app, 'POST', `${env}/${openId}/complete`, { chargeAmount: { amount: '50', currencyCode: 'USD' }, paymentIntent: 'Authorize' }));
    probe('completeCheckoutSessionInEnvironment', 'InvalidParameterValue', () => send(app, 'POST', `${env}/${openId}/complete`, { chargeAmount: { amount: 'fifty', currencyCode: 'USD' } }));
    probe('completeCheckoutSessionInEnvironment', 'ResourceNotFound', () => send(app, 'POST', `${env}/no-such-session/complete`, {}));
    probe('createCheckoutSessionInEnvironment', 'InvalidSandboxSimulationSpecified', () => send(app, 'POST', env, sessionBody(), { 'x-amz-pay-simulation-code': 'BuyerCanceled' }));
    probe('getCheckoutSessionInEnvironment', 'InvalidSandboxSimulationSpecified', () => send(app, 'GET', `${env}/${openId}`, undefined, { 'x-amz-pay-simulation-code': 'AuthorizationInitiated' }));

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
    probe('getClock', 'InvalidParameterValue', () => send(app, 'GET', '/__admin/clock?merchant='));
    probe('registerPublicKey', 'MissingParameterValue', () => send(app, 'POST', '/__admin/publicKeys', { publicKeyId: 'SANDBOX-X' }));
    probe('registerPublicKey', 'InvalidParameterValue', () => send(app, 'POST', '/__admin/publicKeys', { publicKeyId: 'SANDBOX-X', publicKey: 'not a key' }));
    probe('registerPublicKey', 'InvalidRequestFormat', () => send(app, 'POST', '/__admin/publicKeys', '"SANDBOX-X"'));
    probe('registerPublicKey', 'UnrecognizedField', () => send(app, 'POST', '/__admin/publicKeys', { publicKeyId: 'SANDBOX-X', publicKey: 'x', algorithm: 'RSA' }));
    probe('setClock', 'InvalidRequestFormat', () => send(app, 'POST', '/__admin/clock', '[]'));
    probe('setClock', 'InvalidParameterValue', () => send(app, 'POST', '/__admin/clock?merchant=a&merchant=b', { advanceSeconds: 1 }));
    probe('addScenarios', 'InvalidRequestFormat', () => send(app, 'POST', '/__admin/scenarios', '{"name":'));
    probe('addScenarios', 'UnrecognizedField', () => send(app, 'POST', '/__admin/scenarios', { rules: [], comment: 'x' }));
    probe('addScenarios', 'InvalidParameterValue', () => send(app, 'POST', '/__admin/scenarios', { name: 'x', match: { operation: '*' }, outcome: { kind: 'pending' } }));
    probe('addScenarios', 'InvalidParameterValue', () => send(app, 'POST', '/__admin/scenarios', { name: 'x', match: { operation: '*' }, outcome: { kind: 'cancel', reasonCode: 'BuyerCanceled' } }));
    probe('clearScenarios', 'InvalidParameterValue', () => send(app, 'DELETE', '/__admin/scenarios?merchant='));
    probe('approveCheckoutSession', 'InvalidRequestFormat', () => send(app, 'POST', `/__admin/checkoutSessions/${openId}/approve`, '[]'));
    probe('approveCheckoutSession', 'UnrecognizedField', () => send(app, 'POST', `/__admin/checkoutSessions/${openId}/approve`, { tip: 1 }));

    // The journal, faults and IPN routes.
    probe('listRequests', 'UnrecognizedField', () => send(app, 'GET', '/__admin/requests?path=/v2'));
    probe('listRequests', 'InvalidParameterValue', () => send(app, 'GET', '/__admin/requests?status=ok'));
    probe('listRequests', 'InvalidParameterValue', () => send(app, 'GET', '/__admin/requests?status=600'));
    probe('listRequests', 'InvalidParameterValue', () => send(app, 'GET', '/__admin/requests?limit=10001'));
    probe('listRequests', 'InvalidParameterValue', () => send(app, 'GET', '/__admin/requests?since=yesterday'));
    probe('listRequests', 'InvalidParameterValue', () => send(app, 'GET', '/__admin/requests?operation=getCharge&operation=getRefund'));
    probe('listRequests', 'InvalidParameterValue', () => send(app, 'GET', '/__admin/requests?merchant='));
    probe('clearRequests', 'InvalidParameterValue', () => send(app, 'DELETE', '/__admin/requests?merchant=a&merchant=b'));
    probe('listFaults', 'InvalidParameterValue', () => send(app, 'GET', '/__admin/faults?merchant='));
    probe('addFault', 'InvalidRequestFormat', () => send(app, 'POST', '/__admin/faults', '[{"status":503}]'));
    probe('addFault', 'UnrecognizedField', () => send(app, 'POST', '/__admin/faults', { status: 503, reasonCode: 'ServiceUnavailable' }));
    probe('addFault', 'MissingParameterValue', () => send(app, 'POST', '/__admin/faults'));
    probe('addFault', 'MissingParameterValue', () => send(app, 'POST', '/__admin/faults', { operation: 'getCharge', drop: false }));
    probe('addFault', 'InvalidParameterValue', () => send(app, 'POST', '/__admin/faults', { operation: 'refund', status: 503 }));
    probe('addFault', 'InvalidParameterValue', () => send(app, 'POST', '/__admin/faults', { status: 502 }));
    probe('addFault', 'InvalidParameterValue', () => send(app, 'POST', '/__admin/faults', { drop: 'yes' }));
    probe('addFault', 'InvalidParameterValue', () => send(app, 'POST', '/__admin/faults', { latencyMs: 60_001 }));
    probe('addFault', 'InvalidParameterValue', () => send(app, 'POST', '/__admin/faults', { status: 429, times: -1 }));
    probe('addFault', 'InvalidParameterValue', () => send(app, 'POST', '/__admin/faults?merchant=', { status: 429 }));
    probe('addFault', 'InvalidParameterCombination', () => send(app, 'POST', '/__admin/faults', { status: 503, drop: true }));
    probe('clearFaults', 'InvalidParameterValue', () => send(app, 'DELETE', '/__admin/faults?merchant=a&merchant=b'));
    probe('getIpnConfig', 'InvalidParameterValue', () => send(app, 'GET', '/__admin/ipn?merchant='));
    const ipnOf = '/__admin/ipn?merchant=SANDBOX-OPENAPIPROBE';
    probe('setIpnConfig', 'MissingParameterValue', () => send(app, 'POST', '/__admin/ipn', { urls: [] }));
    probe('setIpnConfig', 'MissingParameterValue', () => send(app, 'POST', ipnOf, {}));
    probe('setIpnConfig', 'UnrecognizedField', () => send(app, 'POST', ipnOf, { url: 'http://127.0.0.1:3000/ipn' }));
    probe('setIpnConfig', 'InvalidRequestFormat', () => send(app, 'POST', ipnOf, '["http://127.0.0.1:3000/ipn"]'));
    probe('setIpnConfig', 'InvalidParameterValue', () => send(app, 'POST', ipnOf, { urls: 'http://127.0.0.1:3000/ipn' }));
    probe('setIpnConfig', 'InvalidParameterValue', () => send(app, 'POST', ipnOf, { urls: ['ftp://127.0.0.1/ipn'] }));
    probe('setIpnConfig', 'InvalidParameterValue', () => send(app, 'POST', ipnOf, { urls: ['/ipn'] }));
    probe('setIpnConfig', 'InvalidParameterValue', () => send(app, 'POST', ipnOf, { urls: Array.from({ length: 11 }, (_, i) => `http://127.0.0.1/${i}`) }));
    probe('setIpnConfig', 'InvalidParameterValue', () => send(app, 'POST', ipnOf, { signed: 'yes' }));
    probe('setIpnConfig', 'InvalidParameterValue', () => send(app, 'POST', '/__admin/ipn?merchant=', { signed: true }));
    probe('listIpnDeliveries', 'InvalidParameterValue', () => send(app, 'GET', '/__admin/ipn/deliveries?status=sent'));
    probe('listIpnDeliveries', 'InvalidParameterValue', () => send(app, 'GET', '/__admin/ipn/deliveries?status=failed&status=pending'));
    probe('listIpnDeliveries', 'InvalidParameterValue', () => send(app, 'GET', '/__admin/ipn/deliveries?limit=0'));
    probe('listIpnDeliveries', 'InvalidParameterValue', () => send(app, 'GET', '/__admin/ipn/deliveries?limit=1001'));
    probe('listIpnDeliveries', 'InvalidParameterValue', () => send(app, 'GET', '/__admin/ipn/deliveries?merchant=a&merchant=b'));
    probe('clearIpnDeliveries', 'InvalidParameterValue', () => send(app, 'DELETE', '/__admin/ipn/deliveries?merchant='));
    probe('unsubscribeIpn', 'MissingParameterValue', () => send(app, 'GET', '/__admin/ipn/unsubscribe'));
    probe('unsubscribeIpn', 'InvalidParameterValue', () => send(app, 'GET', '/__admin/ipn/unsubscribe?merchant='));
    probe('unsubscribeIpn', 'InvalidParameterValue', () => send(app, 'GET', '/__admin/ipn/unsubscribe?merchant=X&url=a&url=b'));

    // Finalize Checkout Session.
    const finalizeOpen = await createSession();
    const chosen = (await send(app, 'GET', `${env}/${finalizeOpen}`)).json().shippingAddress;
    const finalizeBody = { chargeAmount: usd(50), paymentIntent: 'Authorize', shippingAddress: chosen };
    const finalize = (id: string) => `${env}/${id}/finalize`;
    probe('finalizeCheckoutSessionInEnvironment', 'UnrecognizedField', () => send(app, 'POST', finalize(finalizeOpen), { ...finalizeBody, cartDetails: {} }));
    probe('finalizeCheckoutSessionInEnvironment', 'MissingParameterValue', () => send(app, 'POST', finalize(finalizeOpen), { chargeAmount: usd(50) }));
    probe('finalizeCheckoutSessionInEnvironment', 'MissingParameterValue', () => send(app, 'POST', finalize(finalizeOpen), { chargeAmount: usd(50), paymentIntent: 'Authorize' }));
    probe('finalizeCheckoutSessionInEnvironment', 'InvalidParameterValue', () => send(app, 'POST', finalize(finalizeOpen), { ...finalizeBody, shippingAddress: { ...chosen, city: 'Elsewhere' } }));
    probe('finalizeCheckoutSessionInEnvironment', 'InvalidParameterValue', () => send(app, 'POST', finalize(finalizeOpen), { ...finalizeBody, paymentIntent: 'Later' }));
    probe('finalizeCheckoutSessionInEnvironment', 'CurrencyMismatch', () => send(app, 'POST', finalize(finalizeOpen), { ...finalizeBody, chargeAmount: { amount: '50', currencyCode: 'EUR' } }));
    probe('finalizeCheckoutSessionInEnvironment', 'InvalidSandboxSimulationSpecified', () => send(app, 'POST', finalize(finalizeOpen), finalizeBody, { 'x-amz-pay-simulation-code': 'RefundDeclined' }));
    probe('finalizeCheckoutSessionInEnvironment', 'InvalidSandboxSimulationSpecified', () => send(app, 'POST', finalize(finalizeOpen), finalizeBody, { 'x-amz-pay-simulation-code': 'AuthorizationInitiated' }));
    probe('finalizeCheckoutSessionInEnvironment', 'ResourceNotFound', () => send(app, 'POST', finalize('no-such-session'), finalizeBody));
    probe('finalizeCheckoutSessionInEnvironment', 'InvalidCheckoutSessionStatus', () => send(app, 'POST', finalize(completedId), finalizeBody));
    const finalizeKey = { 'x-amz-pay-idempotency-key': 'openapi-finalize-key' };
    expect((await send(app, 'POST', finalize(finalizeOpen), {}, finalizeKey)).statusCode).toBe(400);
    probe('finalizeCheckoutSessionInEnvironment', 'DuplicateIdempotencyKey', () => send(app, 'POST', finalize(finalizeOpen), finalizeBody, finalizeKey));
    const buyerCancels = await createSession();
    probe('finalizeCheckoutSessionInEnvironment', 'CheckoutSessionCanceled', () => send(app, 'POST', finalize(buyerCancels), finalizeBody, { 'x-amz-pay-simulation-code': 'BuyerCanceled' }));
    probe('finalizeCheckoutSession', 'InvalidRequest', () => send(app, 'POST', `/v2/checkoutSessions/${finalizeOpen}/finalize`, finalizeBody));

    // Charge Permissions, Charges and Refunds. Probes run in the order given, so each one that
    // changes state has its own objects.
    const v2 = '/sandbox/v2';
    const nowhere = 'S01-0000000-0000000';
    const authorized = await completedSession();
    const capturedFully = await completedSession();
    expect((await send(app, 'POST', `${v2}/charges/${capturedFully.chargeId}/capture`, { captureAmount: usd(50) })).statusCode).toBe(200);
    for (let i = 0; i < 10; i++) expect((await send(app, 'POST', `${v2}/refunds`, { chargeId: capturedFully.chargeId, refundAmount: usd(1) })).statusCode).toBe(201);
    const chargeable = await completedSession();
    expect((await send(app, 'DELETE', `${v2}/charges/${chargeable.chargeId}/cancel`, {})).statusCode).toBe(200);
    const hardDeclined = await completedSession();
    expect((await send(app, 'DELETE', `${v2}/charges/${hardDeclined.chargeId}/cancel`)).statusCode).toBe(200);
    const captureDeclined = await completedSession();
    const closedUnderCharge = await completedSession();
    expect((await send(app, 'DELETE', `${v2}/chargePermissions/${closedUnderCharge.chargePermissionId}/close`, { closureReason: 'test' })).statusCode).toBe(200);
    const manyCharges = await completedSession();
    expect((await send(app, 'DELETE', `${v2}/charges/${manyCharges.chargeId}/cancel`)).statusCode).toBe(200);
    for (let i = 1; i < 25; i++) {
      const charge = await send(app, 'POST', `${v2}/charges`, { chargePermissionId: manyCharges.chargePermissionId, chargeAmount: usd(1) });
      expect(charge.statusCode, charge.payload).toBe(201);
      expect((await send(app, 'DELETE', `${v2}/charges/${charge.json().chargeId}/cancel`)).statusCode).toBe(200);
    }

    const permissionOf = (id: string) => `${v2}/chargePermissions/${id}`;
    probe('getChargePermissionInEnvironment', 'ResourceNotFound', () => send(app, 'GET', permissionOf(nowhere)));
    probe('getChargePermissionInEnvironment', 'InvalidSandboxSimulationSpecified', () => send(app, 'GET', permissionOf(authorized.chargePermissionId), undefined, { 'x-amz-pay-simulation-code': 'AmazonClosed' }));
    probe('getChargePermissionInEnvironment', 'InvalidSandboxSimulationSpecified', () => send(app, 'GET', `/live/v2/chargePermissions/${nowhere}`, undefined, { 'x-amz-pay-simulation-code': 'AmazonClosed' }));
    probe('getChargePermissionInEnvironment', 'ResourceNotFound', () => send(app, 'GET', `/staging/v2/chargePermissions/${nowhere}`));
    probe('getChargePermission', 'InvalidRequest', () => send(app, 'GET', `/v2/chargePermissions/${nowhere}`));
    probe('updateChargePermissionInEnvironment', 'ResourceNotFound', () => send(app, 'PATCH', permissionOf(nowhere), {}));
    probe('updateChargePermissionInEnvironment', 'UnrecognizedField', () => send(app, 'PATCH', permissionOf(authorized.chargePermissionId), { limits: {} }));
    probe('updateChargePermissionInEnvironment', 'InvalidRequestFormat', () => send(app, 'PATCH', permissionOf(authorized.chargePermissionId), '[]'));
    probe('updateChargePermissionInEnvironment', 'MissingParameterValue', () => send(app, 'PATCH', permissionOf(authorized.chargePermissionId), { recurringMetadata: { amount: { amount: '1' } } }));
    probe('updateChargePermissionInEnvironment', 'InvalidParameterValue', () => send(app, 'PATCH', permissionOf(authorized.chargePermissionId), { merchantMetadata: { merchantStoreName: 'x'.repeat(51) } }));
    probe('updateChargePermissionInEnvironment', 'InvalidParameterCombination', () => send(app, 'PATCH', permissionOf(authorized.chargePermissionId), { recurringMetadata: { frequency: { unit: 'Month', value: 1 } } }));
    probe('updateChargePermissionInEnvironment', 'ChargePermissionNotModifiable', () => send(app, 'PATCH', permissionOf(closedUnderCharge.chargePermissionId), { merchantMetadata: { noteToBuyer: 'x' } }));
    probe('updateChargePermissionInEnvironment', 'InvalidSandboxSimulationSpecified', () => send(app, 'PATCH', permissionOf(authorized.chargePermissionId), {}, { 'x-amz-pay-simulation-code': 'AmazonClosed' }));
    probe('closeChargePermissionInEnvironment', 'ResourceNotFound', () => send(app, 'DELETE', `${permissionOf(nowhere)}/close`, {}));
    probe('closeChargePermissionInEnvironment', 'InvalidParameterValue', () => send(app, 'DELETE', `${permissionOf(authorized.chargePermissionId)}/close`, { closureReason: 'x'.repeat(256) }));
    probe('closeChargePermissionInEnvironment', 'InvalidParameterValue', () => send(app, 'DELETE', `${permissionOf(authorized.chargePermissionId)}/close`, { cancelPendingCharges: 'yes' }));
    probe('closeChargePermissionInEnvironment', 'UnrecognizedField', () => send(app, 'DELETE', `${permissionOf(authorized.chargePermissionId)}/close`, { reason: 'x' }));
    probe('closeChargePermissionInEnvironment', 'InvalidSandboxSimulationSpecified', () => send(app, 'DELETE', `${permissionOf(authorized.chargePermissionId)}/close`, {}, { 'x-amz-pay-simulation-code': 'BuyerClosed' }));
    probe('closeChargePermissionInEnvironment', 'InvalidChargePermissionStatus', () => send(app, 'DELETE', `${permissionOf(closedUnderCharge.chargePermissionId)}/close`, {}));

    const charges = `${v2}/charges`;
    const newCharge = (chargePermissionId: string, extra: Record<string, unknown> = {}) => ({ chargePermissionId, chargeAmount: usd(1), ...extra });
    probe('createChargeInEnvironment', 'MissingHeader', () => send(app, 'POST', charges, newCharge(chargeable.chargePermissionId), { 'x-amz-pay-idempotency-key': null }));
    probe('createChargeInEnvironment', 'MissingParameterValue', () => send(app, 'POST', charges, { chargeAmount: usd(1) }));
    probe('createChargeInEnvironment', 'UnrecognizedField', () => send(app, 'POST', charges, newCharge(chargeable.chargePermissionId, { paymentIntent: 'Authorize' })));
    probe('createChargeInEnvironment', 'InvalidParameterValue', () => send(app, 'POST', charges, newCharge(chargeable.chargePermissionId, { channel: 'Fax' })));
    probe('createChargeInEnvironment', 'TransactionAmountExceeded', () => send(app, 'POST', charges, newCharge(chargeable.chargePermissionId, { chargeAmount: usd('150000.01') })));
    probe('createChargeInEnvironment', 'ResourceNotFound', () => send(app, 'POST', charges, newCharge(nowhere)));
    probe('createChargeInEnvironment', 'InvalidChargePermissionStatus', () => send(app, 'POST', charges, newCharge(authorized.chargePermissionId)));
    probe('createChargeInEnvironment', 'InvalidChargePermissionStatus', () => send(app, 'POST', charges, newCharge(closedUnderCharge.chargePermissionId)));
    probe('createChargeInEnvironment', 'CurrencyMismatch', () => send(app, 'POST', charges, newCharge(chargeable.chargePermissionId, { chargeAmount: { amount: '1', currencyCode: 'EUR' } })));
    probe('createChargeInEnvironment', 'TransactionAmountExceeded', () => send(app, 'POST', charges, newCharge(chargeable.chargePermissionId, { chargeAmount: usd('50.01') })));
    // A OneTime permission whose order total was captured is Closed (Charge Permission page).
    probe('createChargeInEnvironment', 'InvalidChargePermissionStatus', () => send(app, 'POST', charges, newCharge(capturedFully.chargePermissionId)));
    probe('createChargeInEnvironment', 'TransactionCountExceeded', () => send(app, 'POST', charges, newCharge(manyCharges.chargePermissionId)));
    probe('createChargeInEnvironment', 'InvalidParameterCombination', () => send(app, 'POST', charges, newCharge(chargeable.chargePermissionId, { softDescriptor: 'LATER' })));
    probe('createChargeInEnvironment', 'InvalidSandboxSimulationSpecified', () => send(app, 'POST', charges, newCharge(chargeable.chargePermissionId), { 'x-amz-pay-simulation-code': 'CaptureInitiated' }));
    probe('createChargeInEnvironment', 'InvalidSandboxSimulationSpecified', () => send(app, 'POST', charges, newCharge(chargeable.chargePermissionId), { 'x-amz-pay-simulation-code': 'AuthorizationInitiated' }));
    for (const code of ['SoftDeclined', 'AmazonRejected', 'TransactionTimedOut', 'ProcessingFailure']) {
      probe('createChargeInEnvironment', code, () => send(app, 'POST', charges, newCharge(chargeable.chargePermissionId), { 'x-amz-pay-simulation-code': code }));
    }
    probe('createChargeInEnvironment', 'HardDeclined', () => send(app, 'POST', charges, newCharge(hardDeclined.chargePermissionId), { 'x-amz-pay-simulation-code': 'HardDeclined' }));
    probe('createChargeInEnvironment', 'InvalidChargePermissionStatus', () => send(app, 'POST', charges, newCharge(hardDeclined.chargePermissionId)));
    const chargeKey = { 'x-amz-pay-idempotency-key': 'openapi-create-charge-key' };
    expect((await send(app, 'POST', charges, newCharge(nowhere), chargeKey)).statusCode).toBe(404);
    probe('createChargeInEnvironment', 'DuplicateIdempotencyKey', () => send(app, 'POST', charges, newCharge(chargeable.chargePermissionId), chargeKey));

    const chargeOf = (id: string) => `${charges}/${id}`;
    probe('getChargeInEnvironment', 'ResourceNotFound', () => send(app, 'GET', chargeOf(`${nowhere}-C000000`)));
    probe('getChargeInEnvironment', 'InvalidSandboxSimulationSpecified', () => send(app, 'GET', chargeOf(authorized.chargeId), undefined, { 'x-amz-pay-simulation-code': 'CaptureInitiated' }));
    probe('updateChargeInEnvironment', 'MissingParameterValue', () => send(app, 'PATCH', chargeOf(authorized.chargeId), {}));
    probe('updateChargeInEnvironment', 'UnrecognizedField', () => send(app, 'PATCH', chargeOf(authorized.chargeId), { statusDetails: { state: 'Captured', reasonDescription: 'x' } }));
    probe('updateChargeInEnvironment', 'InvalidParameterValue', () => send(app, 'PATCH', chargeOf(authorized.chargeId), { statusDetails: { state: 'CaptureInitiated' } }));
    probe('updateChargeInEnvironment', 'ResourceNotFound', () => send(app, 'PATCH', chargeOf(`${nowhere}-C000000`), { statusDetails: { state: 'Captured' } }));
    probe('updateChargeInEnvironment', 'InvalidSandboxSimulationSpecified', () => send(app, 'PATCH', chargeOf(authorized.chargeId), { statusDetails: { state: 'Captured' } }, { 'x-amz-pay-simulation-code': 'CaptureInitiated' }));
    probe('updateChargeInEnvironment', 'InvalidChargeStatus', () => send(app, 'PATCH', chargeOf(authorized.chargeId), { statusDetails: { state: 'Authorized' } }));
    probe('captureChargeInEnvironment', 'MissingHeader', () => send(app, 'POST', `${chargeOf(authorized.chargeId)}/capture`, { captureAmount: usd(1) }, { 'x-amz-pay-idempotency-key': null }));
    probe('captureChargeInEnvironment', 'MissingParameterValue', () => send(app, 'POST', `${chargeOf(authorized.chargeId)}/capture`, {}));
    probe('captureChargeInEnvironment', 'UnrecognizedField', () => send(app, 'POST', `${chargeOf(authorized.chargeId)}/capture`, { captureAmount: usd(1), captureNow: true }));
    probe('captureChargeInEnvironment', 'InvalidParameterValue', () => send(app, 'POST', `${chargeOf(authorized.chargeId)}/capture`, { captureAmount: usd(1), softDescriptor: 'S'.repeat(17) }));
    probe('captureChargeInEnvironment', 'ResourceNotFound', () => send(app, 'POST', `${chargeOf(`${nowhere}-C000000`)}/capture`, { captureAmount: usd(1) }));
    probe('captureChargeInEnvironment', 'CurrencyMismatch', () => send(app, 'POST', `${chargeOf(authorized.chargeId)}/capture`, { captureAmount: { amount: 1, currencyCode: 'GBP' } }));
    probe('captureChargeInEnvironment', 'TransactionAmountExceeded', () => send(app, 'POST', `${chargeOf(authorized.chargeId)}/capture`, { captureAmount: usd('50.01') }));
    probe('captureChargeInEnvironment', 'InvalidChargeStatus', () => send(app, 'POST', `${chargeOf(capturedFully.chargeId)}/capture`, { captureAmount: usd(1) }));
    probe('captureChargeInEnvironment', 'InvalidChargePermissionStatus', () => send(app, 'POST', `${chargeOf(closedUnderCharge.chargeId)}/capture`, { captureAmount: usd(1) }));
    probe('captureChargeInEnvironment', 'InvalidSandboxSimulationSpecified', () => send(app, 'POST', `${chargeOf(captureDeclined.chargeId)}/capture`, { captureAmount: usd(1) }, { 'x-amz-pay-simulation-code': 'SoftDeclined' }));
    probe('captureChargeInEnvironment', 'ProcessingFailure', () => send(app, 'POST', `${chargeOf(captureDeclined.chargeId)}/capture`, { captureAmount: usd(1) }, { 'x-amz-pay-simulation-code': 'ProcessingFailure' }));
    probe('captureChargeInEnvironment', 'AmazonRejected', () => send(app, 'POST', `${chargeOf(captureDeclined.chargeId)}/capture`, { captureAmount: usd(1) }, { 'x-amz-pay-simulation-code': 'AmazonRejected' }));
    probe('captureChargeInEnvironment', 'InvalidChargeStatus', () => send(app, 'POST', `${chargeOf(captureDeclined.chargeId)}/capture`, { captureAmount: usd(1) }));
    probe('cancelChargeInEnvironment', 'ResourceNotFound', () => send(app, 'DELETE', `${chargeOf(`${nowhere}-C000000`)}/cancel`, {}));
    probe('cancelChargeInEnvironment', 'InvalidParameterValue', () => send(app, 'DELETE', `${chargeOf(authorized.chargeId)}/cancel`, { cancellationReason: 'x'.repeat(256) }));
    probe('cancelChargeInEnvironment', 'InvalidRequestFormat', () => send(app, 'DELETE', `${chargeOf(authorized.chargeId)}/cancel`, '{'));
    probe('cancelChargeInEnvironment', 'UnrecognizedField', () => send(app, 'DELETE', `${chargeOf(authorized.chargeId)}/cancel`, { closureReason: 'x' }));
    probe('cancelChargeInEnvironment', 'InvalidSandboxSimulationSpecified', () => send(app, 'DELETE', `${chargeOf(authorized.chargeId)}/cancel`, {}, { 'x-amz-pay-simulation-code': 'Canceled' }));
    probe('cancelChargeInEnvironment', 'InvalidChargeStatus', () => send(app, 'DELETE', `${chargeOf(capturedFully.chargeId)}/cancel`, {}));

    const refunds = `${v2}/refunds`;
    probe('createRefundInEnvironment', 'MissingHeader', () => send(app, 'POST', refunds, { chargeId: capturedFully.chargeId, refundAmount: usd(1) }, { 'x-amz-pay-idempotency-key': null }));
    probe('createRefundInEnvironment', 'MissingParameterValue', () => send(app, 'POST', refunds, { chargeId: capturedFully.chargeId }));
    probe('createRefundInEnvironment', 'UnrecognizedField', () => send(app, 'POST', refunds, { chargeId: capturedFully.chargeId, refundAmount: usd(1), reason: 'x' }));
    probe('createRefundInEnvironment', 'InvalidParameterValue', () => send(app, 'POST', refunds, { chargeId: capturedFully.chargeId, refundAmount: usd('1.001') }));
    probe('createRefundInEnvironment', 'ResourceNotFound', () => send(app, 'POST', refunds, { chargeId: `${nowhere}-C000000`, refundAmount: usd(1) }));
    probe('createRefundInEnvironment', 'InvalidChargeStatus', () => send(app, 'POST', refunds, { chargeId: authorized.chargeId, refundAmount: usd(1) }));
    probe('createRefundInEnvironment', 'CurrencyMismatch', () => send(app, 'POST', refunds, { chargeId: capturedFully.chargeId, refundAmount: { amount: '1', currencyCode: 'EUR' } }));
    probe('createRefundInEnvironment', 'TransactionAmountExceeded', () => send(app, 'POST', refunds, { chargeId: capturedFully.chargeId, refundAmount: usd(50) }));
    probe('createRefundInEnvironment', 'TransactionCountExceeded', () => send(app, 'POST', refunds, { chargeId: capturedFully.chargeId, refundAmount: usd(1) }));
    probe('createRefundInEnvironment', 'InvalidSandboxSimulationSpecified', () => send(app, 'POST', refunds, { chargeId: capturedFully.chargeId, refundAmount: usd(1) }, { 'x-amz-pay-simulation-code': 'Declined' }));
    probe('getRefundInEnvironment', 'ResourceNotFound', () => send(app, 'GET', `${refunds}/${nowhere}-R000000`));
    probe('getRefundInEnvironment', 'InvalidSandboxSimulationSpecified', () => send(app, 'GET', `${refunds}/${nowhere}-R000000`, undefined, { 'x-amz-pay-simulation-code': 'RefundDeclined' }));

    // Reports (issue #13).
    const reports = `${v2}/reports`;
    const schedules = `${v2}/report-schedules`;
    const period = { startTime: '20240101T000000Z', endTime: '20240102T000000Z' };
    const sandboxSettlement = '_GET_FLAT_FILE_OFFAMAZONPAYMENTS_SANDBOX_SETTLEMENT_DATA_';
    const staging = (url: string) => url.replace(v2, '/staging/v2');
    const simulation = { 'x-amz-pay-simulation-code': 'Declined' };
    probe('getReportsInEnvironment', 'InvalidParameterValue', () => send(app, 'GET', `${reports}?pageSize=0`));
    probe('getReportsInEnvironment', 'InvalidSandboxSimulationSpecified', () => send(app, 'GET', reports, undefined, simulation));
    probe('getReportsInEnvironment', 'ResourceNotFound', () => send(app, 'GET', staging(reports)));
    probe('getReportByIdInEnvironment', 'ResourceNotFound', () => send(app, 'GET', `${reports}/10000000000`));
    probe('getReportByIdInEnvironment', 'InvalidSandboxSimulationSpecified', () => send(app, 'GET', `${reports}/10000000000`, undefined, simulation));
    probe('getReportDocumentInEnvironment', 'ResourceNotFound', () => send(app, 'GET', `${v2}/report-documents/amzn1.tortuga.0.x`));
    probe('getReportDocumentInEnvironment', 'InvalidSandboxSimulationSpecified', () => send(app, 'GET', `${v2}/report-documents/x`, undefined, simulation));
    probe('getReportSchedulesInEnvironment', 'InvalidParameterValue', () => send(app, 'GET', `${schedules}?reportTypes=_X_`));
    probe('getReportSchedulesInEnvironment', 'InvalidSandboxSimulationSpecified', () => send(app, 'GET', schedules, undefined, simulation));
    probe('getReportSchedulesInEnvironment', 'ResourceNotFound', () => send(app, 'GET', staging(schedules)));
    probe('getReportScheduleByIdInEnvironment', 'ResourceNotFound', () => send(app, 'GET', `${schedules}/10000000000`));
    probe('getReportScheduleByIdInEnvironment', 'InvalidSandboxSimulationSpecified', () => send(app, 'GET', `${schedules}/10000000000`, undefined, simulation));
    probe('createReportInEnvironment', 'MissingParameterValue', () => send(app, 'POST', reports, { reportType: sandboxSettlement }));
    probe('createReportInEnvironment', 'InvalidParameterValue', () => send(app, 'POST', reports, { ...period, reportType: '_GET_FLAT_FILE_OFFAMAZONPAYMENTS_SETTLEMENT_DATA_' }));
    probe('createReportInEnvironment', 'UnrecognizedField', () => send(app, 'POST', reports, { ...period, reportType: sandboxSettlement, format: 'csv' }));
    probe('createReportInEnvironment', 'InvalidSandboxSimulationSpecified', () => send(app, 'POST', reports, { ...period, reportType: sandboxSettlement }, simulation));
    probe('createReportInEnvironment', 'ResourceNotFound', () => send(app, 'POST', staging(reports), { ...period, reportType: sandboxSettlement }));
    const scheduleBody = { reportType: sandboxSettlement, scheduleFrequency: 'P1D' };
    expect((await send(app, 'POST', schedules, scheduleBody)).statusCode).toBe(201);
    probe('createReportScheduleInEnvironment', 'InvalidRequest', () => send(app, 'POST', schedules, scheduleBody));
    probe('createReportScheduleInEnvironment', 'MissingParameterValue', () => send(app, 'POST', schedules, { reportType: sandboxSettlement }));
    probe('createReportScheduleInEnvironment', 'InvalidParameterValue', () => send(app, 'POST', schedules, { ...scheduleBody, scheduleFrequency: 'P1W' }));
    probe('createReportScheduleInEnvironment', 'UnrecognizedField', () => send(app, 'POST', schedules, { ...scheduleBody, every: 'day' }));
    probe('createReportScheduleInEnvironment', 'InvalidSandboxSimulationSpecified', () => send(app, 'POST', schedules, scheduleBody, simulation));
    probe('createReportScheduleInEnvironment', 'ResourceNotFound', () => send(app, 'POST', staging(schedules), scheduleBody));
    probe('cancelReportScheduleInEnvironment', 'ResourceNotFound', () => send(app, 'DELETE', `${schedules}/10000000000`));
    probe('cancelReportScheduleInEnvironment', 'InvalidSandboxSimulationSpecified', () => send(app, 'DELETE', `${schedules}/10000000000`, undefined, simulation));

    // SDK operations not emulated yet (issue #13): verified, then 501 OperationNotEmulated.
    for (const route of pendingRoutes) {
      const at = (prefix: string) => `${prefix}${route.path.replace(/:[A-Za-z]+/g, 'S01-0000000-0000000')}`;
      probe(`${route.name}InEnvironment`, 'OperationNotEmulated', () => send(app, route.method, at(v2)));
      probe(`${route.name}InEnvironment`, 'InvalidSandboxSimulationSpecified', () => send(app, route.method, at(v2), undefined, { 'x-amz-pay-simulation-code': 'Declined' }));
      probe(`${route.name}InEnvironment`, 'ResourceNotFound', () => send(app, route.method, at('/staging/v2')));
    }

    // Buyers, delivery trackers, authorization tokens.
    const otherMerchantsToken = (await send(app, 'POST', '/__admin/buyers?merchant=SANDBOX-OPENAPIOTHER')).json().buyerToken;
    probe('getBuyerInEnvironment', 'ResourceNotFound', () => send(app, 'GET', `${v2}/buyers/${otherMerchantsToken}`));
    probe('getBuyerInEnvironment', 'InvalidSandboxSimulationSpecified', () => send(app, 'GET', `${v2}/buyers/${otherMerchantsToken}`, undefined, { 'x-amz-pay-simulation-code': 'BuyerCanceled' }));
    probe('getBuyerInEnvironment', 'InvalidHeaderValue', () => send(app, 'GET', `${v2}/buyers/${otherMerchantsToken}`, undefined, { 'x-amz-pay-region': 'mars' }));
    const trackers = `${v2}/deliveryTrackers`;
    const detail = { trackingNumber: '1Z', carrierCode: 'UPS' };
    probe('deliveryTrackersInEnvironment', 'MissingParameterValue', () => send(app, 'POST', trackers, { chargePermissionId: authorized.chargePermissionId }));
    probe('deliveryTrackersInEnvironment', 'MissingParameterValue', () => send(app, 'POST', trackers, { chargePermissionId: authorized.chargePermissionId, deliveryDetails: [] }));
    probe('deliveryTrackersInEnvironment', 'MissingParameterValue', () => send(app, 'POST', trackers, { chargePermissionId: authorized.chargePermissionId, deliveryDetails: [{ trackingNumber: '1Z' }] }));
    probe('deliveryTrackersInEnvironment', 'InvalidParameterValue', () => send(app, 'POST', trackers, { chargePermissionId: authorized.chargePermissionId, deliveryDetails: Array(11).fill(detail) }));
    probe('deliveryTrackersInEnvironment', 'UnrecognizedField', () => send(app, 'POST', trackers, { chargePermissionId: authorized.chargePermissionId, deliveryDetails: [{ ...detail, eta: 'soon' }] }));
    probe('deliveryTrackersInEnvironment', 'InvalidParameterCombination', () => send(app, 'POST', trackers, { chargePermissionId: authorized.chargePermissionId, amazonOrderReferenceId: 'S01-1', deliveryDetails: [detail] }));
    probe('deliveryTrackersInEnvironment', 'InvalidParameterCombination', () => send(app, 'POST', trackers, { deliveryDetails: [detail] }));
    probe('deliveryTrackersInEnvironment', 'ResourceNotFound', () => send(app, 'POST', trackers, { chargePermissionId: nowhere, deliveryDetails: [detail] }));
    probe('deliveryTrackersInEnvironment', 'InvalidSandboxSimulationSpecified', () => send(app, 'POST', trackers, { chargePermissionId: nowhere, deliveryDetails: [detail] }, { 'x-amz-pay-simulation-code': 'Shipped' }));
    probe('deliveryTrackersInEnvironment', 'MissingHeaderValue', () => send(app, 'POST', trackers, { chargePermissionId: nowhere, deliveryDetails: [detail] }, { 'x-amz-pay-idempotency-key': '' }));
    const trackerKey = { 'x-amz-pay-idempotency-key': 'openapi-tracker-key' };
    expect((await send(app, 'POST', trackers, { chargePermissionId: authorized.chargePermissionId, deliveryDetails: [detail] }, trackerKey)).statusCode).toBe(200);
    probe('deliveryTrackersInEnvironment', 'DuplicateIdempotencyKey', () => send(app, 'POST', trackers, { chargePermissionId: authorized.chargePermissionId, deliveryDetails: [detail, detail] }, trackerKey));
    const tokens = `${v2}/authorizationTokens`;
    probe('getAuthorizationTokenInEnvironment', 'MissingParameterValue', () => send(app, 'GET', `${tokens}/amzn.mws.x`));
    probe('getAuthorizationTokenInEnvironment', 'MissingParameterValue', () => send(app, 'GET', `${tokens}/amzn.mws.x?merchantId=`));
    probe('getAuthorizationTokenInEnvironment', 'ResourceNotFound', () => send(app, 'GET', `/staging/v2/authorizationTokens/amzn.mws.x?merchantId=M`));
    probe('getAuthorizationTokenInEnvironment', 'InvalidSandboxSimulationSpecified', () => send(app, 'GET', `${tokens}/amzn.mws.x?merchantId=M`, undefined, { 'x-amz-pay-simulation-code': 'Declined' }));
    probe('getAuthorizationToken', 'InvalidRequest', () => send(app, 'GET', '/v2/authorizationTokens/amzn.mws.x?merchantId=M'));
    probe('getAuthorizationTokenInEnvironment', 'InvalidParameterValue', () => send(app, 'GET', `${tokens}/amzn.mws.${'x'.repeat(120)}?merchantId=M`));

    // The control API's buyer tokens, and scenario rules that apply simulation codes.
    probe('issueBuyerToken', 'MissingParameterValue', () => send(app, 'POST', '/__admin/buyers'));
    probe('issueBuyerToken', 'InvalidParameterValue', () => send(app, 'POST', '/__admin/buyers?merchant=a&merchant=b'));
    probe('issueBuyerToken', 'InvalidParameterValue', () => send(app, 'POST', '/__admin/buyers?merchant=', {}));
    probe('issueBuyerToken', 'InvalidParameterValue', () => send(app, 'POST', '/__admin/buyers?merchant=anonymous', { buyer: { primeMembershipTypes: Array(11).fill('Prime') } }));
    probe('issueBuyerToken', 'UnrecognizedField', () => send(app, 'POST', '/__admin/buyers?merchant=anonymous', { card: '1111' }));
    probe('issueBuyerToken', 'InvalidRequestFormat', () => send(app, 'POST', '/__admin/buyers?merchant=anonymous', '[]'));
    probe('issueBuyerToken', 'InvalidHeaderValue', () => send(app, 'POST', '/__admin/buyers?merchant=anonymous&region=mars'));
    probe('issueBuyerToken', 'InvalidParameterValue', () => send(app, 'POST', '/__admin/buyers?merchant=anonymous&region=eu&region=jp'));
    probe('addScenarios', 'InvalidParameterValue', () => send(app, 'POST', '/__admin/scenarios', { name: 'x', match: { operation: 'getCharge' }, outcome: { kind: 'simulate', code: 'CaptureInitiated' } }));
    probe('addScenarios', 'InvalidParameterValue', () => send(app, 'POST', '/__admin/scenarios', { name: 'x', match: { operation: '*' }, outcome: { kind: 'simulate', code: 'Nope' } }));
    probe('addScenarios', 'InvalidParameterValue', () => send(app, 'POST', '/__admin/scenarios', { name: 'x', match: { operation: 'createCharge' }, outcome: { kind: 'cancel', reasonCode: 'BuyerCanceled' } }));

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

    // Every code an emulated operation documents is probed on it, except the pipeline's own
    // (probed above on Checkout Session operations): none is listed that cannot happen.
    const pipelineCodes = new Set([
      'MissingHeader', 'MissingHeaderValue', 'InvalidHeaderValue', 'InvalidRequest', 'InvalidRequestFormat', 'DuplicateIdempotencyKey',
      'UnauthorizedAccess', 'InvalidRequestSignature', 'RequestEntityTooLarge', 'InternalServerError',
    ]);
    const unprobed: string[] = [];
    for (const name of operationNames) {
      const variants = [name, `${name}InEnvironment`];
      const probed = new Set(probes.filter((p) => variants.includes(p.operationId)).map((p) => p.reasonCode));
      for (const id of variants) {
        for (const response of Object.values(operationById(id).operation.responses as Record<string, Json>)) {
          for (const code of (deref(response)['x-reason-codes'] ?? []) as string[]) {
            if (!pipelineCodes.has(code) && !probed.has(code)) unprobed.push(`${id}: ${code}`);
          }
        }
      }
    }
    // The same for the control API, whose every route has its own list: only the body limit, a
    // crash and the admin token (probed on every control route by its own test) are left out.
    for (const { path, operation } of documentedOperations().filter((o) => o.path.startsWith('/__admin'))) {
      const probed = new Set(probes.filter((p) => p.operationId === operation.operationId).map((p) => p.reasonCode));
      for (const response of Object.values(operation.responses as Record<string, Json>)) {
        for (const code of (deref(response)['x-reason-codes'] ?? []) as string[]) {
          if (!['RequestEntityTooLarge', 'InternalServerError', 'UnauthorizedAccess'].includes(code) && !probed.has(code)) unprobed.push(`${operation.operationId} (${path}): ${code}`);
        }
      }
    }
    expect([...new Set(unprobed)]).toEqual([]);

    // A scripted error can be any catalog code with any status: the `default` response.
    const rule = { name: 'throttle', match: { operation: 'getCheckoutSession' }, outcome: { kind: 'error', reasonCode: 'TooManyRequests' }, times: 1 };
    expect((await send(app, 'POST', '/__admin/scenarios', rule)).statusCode).toBe(201);
    const scripted = await send(app, 'GET', `${env}/${openId}`);
    expect(scripted.statusCode).toBe(429);
    await expectDocumented('getCheckoutSessionInEnvironment', scripted, true);

    // A rule can apply a simulation code: a documented status and reason code too.
    const simulate = { name: 'decline', match: { operation: 'createCharge' }, outcome: { kind: 'simulate', code: 'SoftDeclined' }, times: 1 };
    const added = await send(app, 'POST', '/__admin/scenarios?merchant=anonymous', simulate);
    expect(added.statusCode, added.payload).toBe(201);
    expect(added.json().rules[0].outcome).toEqual({ kind: 'simulate', code: 'SoftDeclined' });
    await expectDocumented('addScenarios', added);
    const simulated = await send(app, 'POST', '/sandbox/v2/charges', { chargePermissionId: chargeable.chargePermissionId, chargeAmount: usd(1) });
    expect(simulated.json().reasonCode, simulated.payload).toBe('SoftDeclined');
    expect((await expectDocumented('createChargeInEnvironment', simulated))['x-reason-codes']).toContain('SoftDeclined');
    await send(app, 'DELETE', '/__admin/scenarios');
  });
});
