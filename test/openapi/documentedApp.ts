import { randomUUID } from 'node:crypto';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, expect } from 'vitest';
import { buildApp } from '../../server/app.js';
import { MemoryStore } from '../../server/store/memoryStore.js';
import { testConfig } from '../helpers/testApp.js';
import { deref, keyOrderProblems, operationById, type Json } from '../helpers/openapiDocument.js';
import { schemaChecker, type SchemaChecker } from '../helpers/schemaChecker.js';

/** The app the answers are checked against (signing off), and the checker; set by useDocumentedApp. */
export let app: FastifyInstance;
export let checker: SchemaChecker;

/** Builds the app and the schema checker before the file's tests, and closes both after. */
export function useDocumentedApp(): void {
  beforeAll(async () => {
    app = await buildApp(testConfig({ signature: 'off' }), { store: new MemoryStore() });
    checker = await schemaChecker();
  });
  afterAll(async () => {
    await app?.close();
    await checker?.close();
  });
}

export const storeId = 'amzn1.application-oa2-client.0123456789abcdef0123456789abcdef';

/** A valid Create Checkout Session body; `paymentDetails` fields override the defaults. */
export function sessionBody(paymentDetails: Record<string, unknown> = {}) {
  return {
    storeId,
    webCheckoutDetails: { checkoutReviewReturnUrl: 'https://merchant.example/review', checkoutResultReturnUrl: 'https://merchant.example/result' },
    paymentDetails: { paymentIntent: 'Authorize', chargeAmount: { amount: '50.00', currencyCode: 'USD' }, ...paymentDetails },
    merchantMetadata: { merchantReferenceId: 'order-1', merchantStoreName: 'Demo Store' },
  };
}


/**
 * Injects a request as an SDK would send it with signing off: JSON content type, and a fresh
 * idempotency key on POSTs to the emulated API unless `headers` sets one (null leaves it out).
 */
export function send(target: FastifyInstance, method: string, url: string, body?: unknown, headers: Record<string, string | null> = {}) {
  const payload = body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body);
  const all: Record<string, string | null> = { 'content-type': 'application/json', ...headers };
  if (method === 'POST' && /\/v2\//.test(url) && !('x-amz-pay-idempotency-key' in headers)) all['x-amz-pay-idempotency-key'] = randomUUID().replace(/-/g, '');
  const sent = Object.fromEntries(Object.entries(all).filter((e): e is [string, string] => e[1] !== null));
  return target.inject({ method: method as InjectOptions['method'], url, payload, headers: sent });
}

/** Creates a sandbox session on the shared app; its id. */
export async function createSession(paymentDetails: Record<string, unknown> = {}): Promise<string> {
  const res = await send(app, 'POST', '/sandbox/v2/checkoutSessions', sessionBody(paymentDetails));
  expect(res.statusCode, res.payload).toBe(201);
  return res.json().checkoutSessionId;
}

export const usd = (amount: string | number) => ({ amount, currencyCode: 'USD' });

/** Creates and completes a session on `target` for the merchant of `publicKeyId` (signing off, buyer approval auto). */
export async function completeOn(target: FastifyInstance, publicKeyId: string): Promise<Json> {
  const authorization = `AMZN-PAY-RSASSA-PSS PublicKeyId=${publicKeyId}, SignedHeaders=x-amz-pay-date, Signature=x`;
  const created = await send(target, 'POST', '/v2/checkoutSessions', sessionBody(), { authorization });
  expect(created.statusCode, created.payload).toBe(201);
  const done = await send(target, 'POST', `/v2/checkoutSessions/${created.json().checkoutSessionId}/complete`, { chargeAmount: usd('50.00') }, { authorization });
  expect(done.statusCode, done.payload).toBe(200);
  return done.json();
}

/** Creates and completes a session (intent Authorize by default): its charge and charge permission ids. */
export async function completedSession(body: Json = sessionBody()): Promise<{ chargeId: string; chargePermissionId: string }> {
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


/**
 * Checks one real answer against the document: its status is documented for the operation (or
 * falls under `default` when `options.allowDefault`); it carries x-amz-pay-request-id and every other
 * required header as documented (values within their enum or pattern), and no undocumented
 * header beyond the transport ones; its content type is the documented one (no body at all when
 * none is documented); its JSON body matches the documented schema, any other body the
 * documented string pattern.
 */
export async function expectDocumented(operationId: string, res: LightMyRequestResponse, options: { allowDefault?: boolean } = {}): Promise<Json> {
  const { operation } = operationById(operationId);
  const status = String(res.statusCode);
  const key = operation.responses[status] ? status : options.allowDefault ? 'default' : null;
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
