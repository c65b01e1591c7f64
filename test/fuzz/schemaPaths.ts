import type { Schema } from '../../server/domain/validation.js';

/** One place in a request body: the keys and indexes leading to it, and the schema there. */
export interface SchemaPath {
  path: (string | number)[];
  schema: Schema;
}

/** Every field of a body schema, at every depth (array items as index 0, map values under 'US'). */
export function schemaPaths(fields: Record<string, Schema>, prefix: (string | number)[] = []): SchemaPath[] {
  const out: SchemaPath[] = [];
  const visit = (schema: Schema, path: (string | number)[]) => {
    out.push({ path, schema });
    if (schema.type === 'object') for (const [k, s] of Object.entries(schema.fields)) visit(s, [...path, k]);
    if (schema.type === 'price') {
      visit({ type: 'amountOrNumberString' }, [...path, 'amount']);
      visit({ type: 'string' }, [...path, 'currencyCode']);
    }
    if (schema.type === 'array') visit(schema.items, [...path, 0]);
    if (schema.type === 'map') visit(schema.values, [...path, 'US']);
  };
  for (const [k, s] of Object.entries(fields)) visit(s, [...prefix, k]);
  return out;
}

/** Values of the wrong JSON type for a schema (never null: null means absent). */
export function wrongTypes(schema: Schema): unknown[] {
  switch (schema.type) {
    case 'string':
      return [42, true, [], {}, ['a']];
    case 'boolean':
      return ['true', 1, [], {}];
    case 'amountOrNumberString':
      return [true, [], {}, ['1.00']];
    case 'wholeNumber':
      return [true, [], {}, ['1']];
    case 'price':
    case 'object':
    case 'map':
      return ['x', 7, false, [], [{}]];
    case 'array':
      return ['x', 7, true, {}, [null]];
  }
}

/** A small valid value for a schema, with every required field filled in. */
export function sampleOf(schema: Schema): unknown {
  switch (schema.type) {
    case 'string':
      if (schema.enum) return schema.enum[0];
      if (schema.pattern?.source.includes('https?')) return 'https://shop.example/return';
      if (schema.pattern?.source.includes('amzn1')) return 'amzn1.application-oa2-client.0123456789abcdef';
      if (schema.pattern?.source === '^[A-Z]{2}$') return 'US';
      if (schema.pattern?.source === '^[A-Z]{3}$') return 'USD';
      return 'a';
    case 'boolean':
      return true;
    case 'amountOrNumberString':
      return '1.00';
    case 'price':
      return { amount: '1.00', currencyCode: 'USD' };
    case 'object':
      return Object.fromEntries((schema.required ?? []).map((k) => [k, sampleOf(schema.fields[k]!)]));
    case 'array':
      return [sampleOf(schema.items)];
    case 'map':
      return { US: sampleOf(schema.values) };
  }
}

/**
 * A body that is valid except for `value` at `path`: every container on the way is a valid sample
 * of its schema (required siblings present), so the only fault is the one planted.
 */
export function bodyWith(base: Record<string, unknown>, fields: Record<string, Schema>, path: (string | number)[], value: unknown): Record<string, unknown> {
  const root: any = structuredClone(base);
  let node = root;
  let schema: Schema = { type: 'object', fields };
  for (let i = 0; i < path.length - 1; i++) {
    const key = path[i]!;
    schema = childSchema(schema, key);
    if (node[key] === null || typeof node[key] !== 'object') node[key] = sampleOf(schema);
    node = node[key];
  }
  node[path[path.length - 1]!] = value;
  return root;
}

function childSchema(schema: Schema, key: string | number): Schema {
  if (schema.type === 'object') return schema.fields[key as string]!;
  if (schema.type === 'array') return schema.items;
  if (schema.type === 'map') return schema.values;
  if (schema.type === 'price') return key === 'amount' ? { type: 'amountOrNumberString' } : { type: 'string' };
  throw new Error(`no child ${String(key)} in a ${schema.type}`);
}
