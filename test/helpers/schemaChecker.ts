import Fastify from 'fastify';
import { doc, responseSchemas, type Json } from './openapiDocument.js';

// A JSON Schema validator for the document's schemas, borrowed from Fastify (its Ajv with the
// OpenAPI `nullable` keyword), set up to report instead of coerce or strip.

export interface SchemaChecker {
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

/** Prepares a checker for every component schema and every documented response body. */
export async function schemaChecker(): Promise<SchemaChecker> {
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
