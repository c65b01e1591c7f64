import { checkPatch, patchOf, type Patch } from './logPatch.js';
import { collections, type Collection, type KeptRecords, type Put } from './store.js';

/**
 * A put as logged: `dueAt` always present; `seq` (insertion number) for values that are not
 * deletes; the new value whole (`value`) or, for a new version of a stored record, as a `patch` of
 * the version before it (see logPatch.ts).
 */
export type StoredPut = { collection: Collection; id: string; dueAt: number | null; seq?: number } & ({ value: unknown; patch?: undefined } | { patch: Patch; value?: undefined });

/**
 * One line of the write-ahead log: a whole commit (`at`: real time of the write), or a reset with
 * what it kept (`keep`; absent, as in logs written before it existed: nothing kept).
 */
export type LogEntry =
  | { op: 'put'; ns: string; at?: number; puts: StoredPut[] }
  | { op: 'reset'; ns?: string; keep?: KeptRecords[] };

const knownCollections = new Set<string>(collections);

export function isCollection(value: unknown): value is Collection {
  return typeof value === 'string' && knownCollections.has(value);
}

export function checkNamespace(ns: unknown): asserts ns is string {
  if (typeof ns !== 'string' || ns === '') throw new TypeError(`store: namespace must be a non-empty string, got ${JSON.stringify(ns)}`);
}

function checkPut(put: Put, index: number): void {
  if (put === null || typeof put !== 'object') throw new TypeError(`store: put #${index} is not an object`);
  const kind = typeof put.value;
  if (put.value === undefined || kind === 'function' || kind === 'symbol' || kind === 'bigint') {
    throw new TypeError(`store: put #${index} (${String(put.collection)}/${String(put.id)}) has no JSON value; use null to delete`);
  }
  if (!isCollection(put.collection)) {
    throw new TypeError(`store: put #${index} has unknown collection ${JSON.stringify(put.collection)} (known: ${collections.join(', ')})`);
  }
  if (typeof put.id !== 'string' || put.id === '') throw new TypeError(`store: put #${index} needs a non-empty string id`);
  if (put.dueAt !== undefined && put.dueAt !== null && !Number.isFinite(put.dueAt)) {
    throw new TypeError(`store: put #${index} (${put.collection}/${put.id}) has dueAt ${String(put.dueAt)}; expected a finite number or null`);
  }
}

/**
 * Validates a commit and takes ownership of its values (see takeOwnership); throws a TypeError
 * naming what is wrong before anything is applied. Returns the puts with the values to store.
 */
export function checkCommit(ns: string, puts: readonly Put[]): Put[] {
  checkNamespace(ns);
  if (!Array.isArray(puts)) throw new TypeError('store: puts must be an array');
  for (let i = 0; i < puts.length; i++) checkPut(puts[i]!, i);
  const owned: Put[] = [];
  for (let i = 0; i < puts.length; i++) {
    const put = puts[i]!;
    owned.push({ collection: put.collection, id: put.id, value: takeOwnership(put.value, `put #${i} (${put.collection}/${put.id})`), dueAt: put.dueAt });
  }
  return owned;
}

/**
 * The log line (no newline) of a checked commit, serialized now: what is on disk is what was
 * committed. `previous[i]` is the value puts[i] replaces, when the caller had it at hand: a new
 * version is then logged as a patch of it where that is shorter. Throws (before anything is
 * applied) when a value has no JSON form.
 */
export function encodeCommit(ns: string, puts: readonly Put[], at: number, seqs: readonly (number | null)[], previous: readonly unknown[]): string {
  const stored: StoredPut[] = [];
  for (let i = 0; i < puts.length; i++) {
    const { collection, id, value } = puts[i]!;
    const dueAt = puts[i]!.dueAt ?? null;
    const seq = seqs[i];
    const patch = previous[i] === undefined ? null : patchOf(previous[i], value);
    const put: StoredPut = patch === null ? { collection, id, value, dueAt } : { collection, id, patch, dueAt };
    if (seq !== null && seq !== undefined) put.seq = seq;
    stored.push(put);
  }
  return JSON.stringify({ op: 'put', ns, at, puts: stored });
}

/**
 * Checks what a reset keeps and returns a copy of it (only the known fields, so the caller cannot
 * change it afterwards); throws a TypeError naming what is wrong.
 */
export function checkKeep(keep: unknown): KeptRecords[] {
  if (keep === undefined) return [];
  if (!Array.isArray(keep)) throw new TypeError('store: keep must be an array');
  return keep.map((k: Partial<KeptRecords> | null, i) => {
    if (k === null || typeof k !== 'object') throw new TypeError(`store: keep #${i} is not an object`);
    checkNamespace(k.ns);
    if (!isCollection(k.collection)) throw new TypeError(`store: keep #${i} has unknown collection ${JSON.stringify(k.collection)}`);
    if (k.id === undefined) return { ns: k.ns, collection: k.collection };
    if (typeof k.id !== 'string' || k.id === '') throw new TypeError(`store: keep #${i} needs a non-empty string id, or none for the whole collection`);
    return { ns: k.ns, collection: k.collection, id: k.id };
  });
}

/** Serializes a reset for the log, with what it keeps (checked; see checkKeep), so replaying it gives the same state. */
export function encodeReset(ns?: string, keep?: readonly KeptRecords[]): { line: string; entry: LogEntry & { op: 'reset' } } {
  if (ns !== undefined) checkNamespace(ns);
  const kept = checkKeep(keep);
  const entry: LogEntry & { op: 'reset' } = ns === undefined ? { op: 'reset' } : { op: 'reset', ns };
  if (kept.length > 0) entry.keep = kept;
  return { line: JSON.stringify(entry), entry };
}

/** Checks a parsed log line; throws a TypeError naming what is wrong. */
export function checkLogEntry(value: unknown): asserts value is LogEntry {
  const entry = value as Partial<Record<string, unknown>> | null;
  if (entry === null || typeof entry !== 'object') throw new TypeError('entry is not an object');
  if (entry.op === 'reset') {
    if (entry.ns !== undefined) checkNamespace(entry.ns);
    checkKeep(entry.keep);
    return;
  }
  if (entry.op !== 'put') throw new TypeError(`unknown op ${JSON.stringify(entry.op)}`);
  checkNamespace(entry.ns);
  if (entry.at !== undefined && !Number.isFinite(entry.at)) throw new TypeError('at is not a number');
  if (!Array.isArray(entry.puts)) throw new TypeError('puts is not an array');
  entry.puts.forEach((p: StoredPut, i: number) => {
    if (p !== null && typeof p === 'object' && p.patch !== undefined) {
      if (p.value !== undefined) throw new TypeError(`put #${i} has both a value and a patch`);
      checkPatch(p.patch);
      checkPut({ collection: p.collection, id: p.id, value: null, dueAt: p.dueAt }, i);
    } else checkPut(p as Put, i);
    if (p.seq !== undefined && !Number.isSafeInteger(p.seq)) throw new TypeError(`put #${i} has a bad seq`);
  });
}

/** Freezes a parsed JSON value in place, so a caller mutating what `get` returns fails loudly. */
export function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) freezeTree(value);
  return value;
}

/** Freezes an object and everything under it not frozen yet (parsed JSON: arrays and plain objects). */
function freezeTree(object: object): void {
  Object.freeze(object);
  if (Array.isArray(object)) {
    for (let i = 0; i < object.length; i++) {
      const child: unknown = object[i];
      if (typeof child === 'object' && child !== null && !Object.isFrozen(child)) freezeTree(child);
    }
  } else {
    for (const key in object) {
      const child: unknown = (object as Record<string, unknown>)[key];
      if (typeof child === 'object' && child !== null && !Object.isFrozen(child)) freezeTree(child);
    }
  }
}

const MAX_DEPTH = 256;

/** Why a value is not plain JSON, thrown from deep in the walk; the caller names the value in a TypeError. */
class NotJson {
  constructor(readonly what: string) {}
}

/**
 * Takes ownership of a committed value: checks that it is plain JSON (plain objects, arrays,
 * strings, numbers, booleans, null; `undefined` fields are dropped on disk) and returns it deeply
 * frozen, so the caller can no longer change what the store holds. Subtrees already frozen were
 * checked when they were committed and are kept as they are: a new version of a record that
 * shares its unchanged parts with the old one costs only its new parts. A part not frozen yet is
 * copied, and the copy frozen, rather than frozen in place: V8 gives an object made by spreading
 * one that is not frozen (`{ ...fresh, key }`, as domain code builds its records) a hidden class
 * of its own once it is frozen, so every stored record would carry its own shape, descriptors and
 * enum cache (about 3.6 KB per checkout session) and reach every property through megamorphic
 * lookups; a copy made key by key shares its shape with every other copy of the same keys.
 * `label` names the value in the error.
 */
export function takeOwnership<T>(value: T, label: string): T {
  try {
    return own(value, 0) as T;
  } catch (err) {
    if (err instanceof NotJson) throw new TypeError(`store: ${label} ${err.what}`);
    throw err;
  } finally {
    ancestors.length = 0;
  }
}

/** The objects from the root to the one being copied: a cycle leads back to one of them. A short array beats a set here. */
const ancestors: object[] = [];

/** The owned form of one value: itself when primitive or frozen already, else a frozen copy of what it holds. */
function own(value: unknown, depth: number): unknown {
  if (typeof value !== 'object') {
    if (typeof value === 'function' || typeof value === 'symbol' || typeof value === 'bigint') throw new NotJson(`holds a ${typeof value}, which is not JSON`);
    return value;
  }
  if (value === null || Object.isFrozen(value)) return value;
  const proto: unknown = Object.getPrototypeOf(value);
  const array = Array.isArray(value);
  if (array ? proto !== Array.prototype : proto !== Object.prototype && proto !== null) {
    throw new NotJson(`holds a ${(proto as { constructor?: { name?: string } } | null)?.constructor?.name ?? 'non-plain object'}; values must be plain JSON`);
  }
  if (depth > MAX_DEPTH) throw new NotJson(`is nested deeper than ${MAX_DEPTH} levels`);
  if (ancestors.includes(value)) throw new NotJson('refers to itself (circular)');
  ancestors.push(value);
  let copy: unknown[] | Record<string, unknown>;
  if (array) {
    const items = value as unknown[];
    copy = [];
    for (let i = 0; i < items.length; i++) copy.push(own(items[i], depth + 1));
  } else {
    const object = value as Record<string, unknown>;
    const fields: Record<string, unknown> = {};
    for (const key in object) {
      const field = own(object[key], depth + 1);
      // Assigning '__proto__' would set the copy's prototype instead of a field named so.
      if (key === '__proto__') Object.defineProperty(fields, key, { value: field, enumerable: true, writable: true, configurable: true });
      else fields[key] = field;
    }
    copy = fields;
  }
  ancestors.pop();
  return Object.freeze(copy);
}
