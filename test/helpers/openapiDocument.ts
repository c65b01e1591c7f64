/* eslint-disable @typescript-eslint/no-explicit-any */
import { readFileSync } from 'node:fs';
import { expect } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { packagePath } from '../../server/config.js';

/** A node of the parsed document (OpenAPI is untyped JSON here). */
export type Json = any;

export const docText = readFileSync(packagePath('openapi.yaml'), 'utf8');
/** openapi.yaml, parsed. */
export const doc: Json = parseYaml(docText);

export const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;

/** The node a local `#/...` reference points at; throws when it does not resolve. */
export function pointer(ref: string): Json {
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
export function deref(node: Json): Json {
  let current = node;
  for (let hops = 0; current && typeof current === 'object' && typeof current.$ref === 'string'; hops++) {
    if (hops > 20) throw new Error(`reference loop at ${node.$ref}`);
    current = pointer(current.$ref);
  }
  return current;
}

export interface DocOperation {
  path: string;
  method: string;
  operation: Json;
}

export function documentedOperations(): DocOperation[] {
  return Object.entries(doc.paths as Record<string, Json>).flatMap(([path, item]) =>
    HTTP_METHODS.filter((m) => item[m]).map((m) => ({ path, method: m.toUpperCase(), operation: item[m] })),
  );
}

export function operationById(id: string): DocOperation {
  const found = documentedOperations().filter((o) => o.operation.operationId === id);
  expect(found, `operationId ${id}`).toHaveLength(1);
  return found[0]!;
}

/** `/{environment}/v2/x/{id}` -> `/:environment/v2/x/:id` */
export const fastifyPath = (openApiPath: string) => openApiPath.replace(/\{([^}]+)\}/g, ':$1');

/** Every object schema reachable from `node` (through $ref, properties, items, combinators), with where it was found. */
export function* objectSchemas(node: Json, where: string, seen = new Set<Json>()): Generator<{ schema: Json; where: string }> {
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
export function responseSchemas(): { where: string; schema: Json }[] {
  return documentedOperations().flatMap(({ operation }) =>
    Object.entries(operation.responses as Record<string, Json>).flatMap(([status, response]) => {
      const schema = deref(response).content?.['application/json']?.schema;
      return schema ? [{ where: `${operation.operationId} ${status}`, schema }] : [];
    }),
  );
}

/** Keys a wire object leaves out instead of sending null, by schema name, and why. */
export const optionalKeys: Record<string, { keys: string[]; why: string }> = {
  CheckoutSession: { keys: ['shippingAddressList', 'multiAddressesCheckoutMetadata'], why: 'only multi-address sessions have them' },
  FinalizedCheckoutSession: { keys: ['shippingAddressList', 'multiAddressesCheckoutMetadata'], why: 'only multi-address sessions have them' },
  ScenarioMatch: { keys: ['checkoutSessionId', 'merchantReferenceId', 'currency', 'publicKeyId', 'amount', 'header'], why: 'a rule lists only the conditions it was given' },
  IpnDeliveryAttempt: { keys: ['status', 'error', 'response'], why: 'an answered attempt has a status (and the start of a refusal), an unanswered one an error' },
  MerchantAccountIds: { keys: ['authorizationToken'], why: 'only createMerchantAccount (a login-able account) answers a token' },
};

export const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/**
 * Where the keys of `value` are not in the documented order, recursively through closed objects
 * and arrays (presence and absence are the validator's job).
 */
export function keyOrderProblems(value: Json, node: Json, where: string): string[] {
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

/** A reference to a named component schema. */
export const component = (name: string) => ({ $ref: `#/components/schemas/${name}` });
