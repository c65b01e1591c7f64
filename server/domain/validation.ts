import { echo } from './echo.js';
import { isJsonObject } from './jsonObject.js';
import { apiError } from './errors.js';
import { currencies, maxTransactionMinor, toMinor } from './money.js';

/**
 * A small schema language for request bodies, so every operation states its fields once and every
 * violation gets Amazon's answer: unknown field -> UnrecognizedField, wrong type or value ->
 * InvalidParameterValue, required but absent -> MissingParameterValue. JSON null counts as absent.
 * `Infer<typeof schema>` is the TypeScript type of what a schema accepts.
 */
export type Schema =
  | { type: 'string'; max?: number; pattern?: RegExp; enum?: readonly string[] }
  | { type: 'boolean' }
  | { type: 'price'; overMaximum?: 'InvalidParameterValue' | 'TransactionAmountExceeded' }
  | { type: 'amountOrNumberString' }
  /** A whole number from 0 to `max`, as a JSON number or a string of digits (`wholeNumberOf` reads it). */
  | { type: 'wholeNumber'; max: number }
  | { type: 'object'; fields: Fields; required?: readonly string[]; open?: boolean }
  | { type: 'array'; items: Schema; max?: number }
  /** A JSON object used as a map: keys matching `keys`, each value of one schema, at most `max` entries. */
  | { type: 'map'; keys: RegExp; values: Schema; max: number };

/** An object schema: its fields, which of them are required, and whether other fields are kept. */
type ObjectSchema = Extract<Schema, { type: 'object' }>;

/** The fields of an object schema, by name. */
export type Fields = { readonly [name: string]: Schema };

/** A request Price as accepted: the amount may still be a JSON number. */
export interface PriceInput {
  amount: string | number;
  currencyCode: string;
}

/** Flattens an intersection so editors show one object type. */
type Flat<T> = { [K in keyof T]: T[K] } & {};

/**
 * The type of an object with `fields`: the `required` ones present, the others optional and
 * nullable. Fields not known by name (a plain `Fields`) give an untyped record.
 */
export type InferFields<F extends Fields, R extends PropertyKey = never> = string extends keyof F ? Record<string, unknown> : Flat<
  { -readonly [K in keyof F & R]: Infer<F[K]> } & { -readonly [K in Exclude<keyof F, R>]?: Infer<F[K]> | null }
>;

/** The TypeScript type of the values a schema accepts (after `validate`); unknown for a schema not known in detail. */
export type Infer<S> = [Schema] extends [S] ? unknown : InferKnown<S>;

type InferKnown<S> = S extends { type: 'string'; enum: readonly (infer E)[] }
  ? E
  : S extends { type: 'string' }
    ? string
    : S extends { type: 'boolean' }
      ? boolean
      : S extends { type: 'price' }
        ? PriceInput
        : S extends { type: 'amountOrNumberString' } | { type: 'wholeNumber' }
          ? string | number
          : S extends { type: 'object'; fields: infer F extends Fields }
            ? InferFields<F, S extends { required: readonly (infer R extends PropertyKey)[] } ? R : never> & (S extends { open: true } ? Record<string, unknown> : {})
            : S extends { type: 'array'; items: infer I }
              ? Infer<I>[]
              : S extends { type: 'map'; values: infer V }
                ? Record<string, Infer<V> | null>
                : never;

/** Strings with no stated limit still have one, so no field can carry a megabyte. */
export const DEFAULT_STRING_MAX = 2048;

function invalid(path: string, value: unknown, why: string) {
  return apiError('InvalidParameterValue', `The value '${echo(value)}' provided for '${echo(path)}' is invalid. ${why}`);
}

/** Validates `value` against `schema`; returns it unchanged (null when absent) or throws an AmazonPayError. */
export function validate<const S extends Schema>(value: unknown, schema: S, path: string): Infer<S> | null;
export function validate(value: unknown, schema: Schema, path: string): unknown {
  if (value === null || value === undefined) return null;
  switch (schema.type) {
    case 'string': {
      if (typeof value !== 'string') throw invalid(path, value, 'Expected a string.');
      const max = schema.max ?? DEFAULT_STRING_MAX;
      // Length in code points; the UTF-16 length bounds it from above, so long strings stop early.
      if (value.length > max && [...value].length > max) throw invalid(path, value, `It must be at most ${max} characters.`);
      if (schema.enum && !schema.enum.includes(value)) throw invalid(path, value, `Allowed values: ${schema.enum.join(', ')}.`);
      if (schema.pattern && !schema.pattern.test(value)) throw invalid(path, value, 'It does not have the expected format.');
      return value;
    }
    case 'boolean':
      if (typeof value !== 'boolean') throw invalid(path, value, 'Expected true or false.');
      return value;
    case 'amountOrNumberString':
      if (typeof value !== 'string' && typeof value !== 'number') throw invalid(path, value, 'Expected a number or a numeric string.');
      if (typeof value === 'number' && !Number.isFinite(value)) throw invalid(path, value, 'Expected a finite number.');
      if (typeof value === 'string' && value.length > 64) throw invalid(path, value, 'Expected a number of at most 64 characters.');
      return value;
    case 'wholeNumber': {
      const n = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value;
      if (!(typeof n === 'number' && Number.isInteger(n) && n >= 0 && n <= schema.max)) throw invalid(path, value, `Use a whole number from 0 to ${schema.max}.`);
      return value;
    }
    case 'price': {
      const p = checkObject(value, priceObject, path);
      const currency = p.currencyCode as string;
      if (!(currencies as readonly string[]).includes(currency)) throw invalid(`${path}.currencyCode`, currency, `Supported currencies: ${currencies.join(', ')}.`);
      const minor = toMinor(p.amount, currency, `${path}.amount`);
      if (minor > maxTransactionMinor(currency)) {
        const why = `It exceeds the maximum transaction amount of ${currency === 'JPY' ? '10,000,000 JPY' : `150,000 ${currency}`}.`;
        if (schema.overMaximum === 'TransactionAmountExceeded') throw apiError('TransactionAmountExceeded', `The value '${String(p.amount)}' provided for '${path}.amount' is invalid. ${why}`);
        throw invalid(`${path}.amount`, p.amount, why);
      }
      return p;
    }
    case 'object':
      return checkObject(value, schema, path);
    case 'array': {
      if (!Array.isArray(value)) throw invalid(path, value, 'Expected an array.');
      if (schema.max !== undefined && value.length > schema.max) throw invalid(path, `[${value.length} items]`, `At most ${schema.max} items are allowed.`);
      return value.map((item, i) => {
        // null stands for "absent" in an object, but an absent array item means nothing.
        if (item === null || item === undefined) throw invalid(`${path}[${i}]`, null, 'Array items may not be null.');
        return validate(item, schema.items, `${path}[${i}]`);
      });
    }
    case 'map': {
      if (!isJsonObject(value)) throw invalid(path, value, 'Expected a JSON object.');
      const entries = Object.entries(value);
      if (entries.length > schema.max) throw invalid(path, `{${entries.length} entries}`, `At most ${schema.max} entries are allowed.`);
      for (const [key, item] of entries) {
        if (!schema.keys.test(key)) throw invalid(`${path}.${key}`, key, 'This key is not allowed here.');
        validate(item, schema.values, `${path}.${key}`);
      }
      return value;
    }
  }
}

/** The shape of a Price, checked before its amount and currency are. */
const priceObject = { type: 'object', fields: { amount: { type: 'amountOrNumberString' }, currencyCode: { type: 'string' } }, required: ['amount', 'currencyCode'] } as const;

function checkObject(value: unknown, { fields, required = [], open = false }: ObjectSchema, path: string): Record<string, unknown> {
  if (!isJsonObject(value)) throw invalid(path, value, 'Expected a JSON object.');
  const record = value;
  const prefix = path ? `${path}.` : '';
  if (!open) {
    for (const key of Object.keys(record)) {
      // Amazon names the leaf field only ("Manage errors": The field 'checkoutMode' is invalid for this API.).
      if (!Object.hasOwn(fields, key)) throw apiError('UnrecognizedField', `The field '${echo(key)}' is invalid for this API.`);
    }
  }
  for (const key of required) {
    if (record[key] === null || record[key] === undefined) throw apiError('MissingParameterValue', `The parameter '${prefix}${key}' is required but was not provided.`);
  }
  // for-in over a schema literal (no inherited keys) rather than Object.entries: no array per call.
  for (const key in fields) validate(record[key], fields[key]!, `${prefix}${key}`);
  return record;
}

/** Validates a whole request body (`{}` when the body is empty). */
export function validateBody<const F extends Fields, const R extends keyof F & string = never>(body: unknown, fields: F, required: readonly R[] = []): InferFields<F, R> {
  return checkObject(body ?? {}, { type: 'object', fields, required }, '') as InferFields<F, R>;
}


/** Some of an object's fields, typed by their names. */
export function pickFields<F extends Fields, const K extends keyof F & string>(fields: F, keys: readonly K[]): Pick<F, K> {
  return Object.fromEntries(keys.map((k) => [k, fields[k]])) as Pick<F, K>;
}

/** An object's fields but the named ones. */
export function omitFields<F extends Fields, const K extends keyof F & string>(fields: F, keys: readonly K[]): Omit<F, K> {
  return Object.fromEntries(Object.entries(fields).filter(([k]) => !(keys as readonly string[]).includes(k))) as Omit<F, K>;
}

/** The number a validated `wholeNumber` field holds, or null when absent. */
export const wholeNumberOf = (value: string | number | null | undefined): number | null => (value === null || value === undefined ? null : Number(value));

// Reusable field schemas.
export const str = (max?: number): { type: 'string'; max?: number } => (max === undefined ? { type: 'string' } : { type: 'string', max });
export const oneOf = <const V extends string>(...values: readonly V[]): { type: 'string'; enum: readonly V[] } => ({ type: 'string', enum: values });
export const bool = { type: 'boolean' } as const satisfies Schema;
export const priceSchema = { type: 'price' } as const satisfies Schema;
/** A transaction amount (charge, capture, refund): above the maximum is TransactionAmountExceeded. */
export const transactionPrice = { type: 'price', overMaximum: 'TransactionAmountExceeded' } as const satisfies Schema;
export const obj = <const F extends Fields, const R extends keyof F & string = never>(fields: F, required?: readonly R[]): { type: 'object'; fields: F; required: readonly R[] } => ({
  type: 'object',
  fields,
  required: required ?? [],
});
/** An http(s) URL a browser is sent to: no whitespace or control characters (they cannot go in a Location header). */
export const url = { type: 'string', max: 2048, pattern: /^https?:\/\/[^\s\x00-\x1f\x7f]+$/ } as const satisfies Schema;

/** merchantMetadata limits (docs/amazon-pay-notes.md, "Field length limits"). */
export const merchantMetadataSchema = obj({
  merchantReferenceId: str(256),
  merchantStoreName: str(50),
  noteToBuyer: str(255),
  customInformation: str(4096),
});

/** Address limits from the "Buyer" reference page. */
export const addressSchema = obj({
  name: str(50),
  addressLine1: str(180),
  addressLine2: str(60),
  addressLine3: str(60),
  city: str(50),
  county: str(50),
  district: str(50),
  stateOrRegion: str(50),
  postalCode: str(20),
  countryCode: { type: 'string', pattern: /^[A-Z]{2}$/ },
  phoneNumber: str(20),
});
