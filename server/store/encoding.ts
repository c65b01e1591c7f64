import { collections, type Collection, type Put } from './store.js';

/** A put as logged: `dueAt` always present; `seq` (insertion number) for values that are not deletes. */
export interface StoredPut {
  collection: Collection;
  id: string;
  value: unknown;
  dueAt: number | null;
  seq?: number;
}

/** One line of the write-ahead log: a whole commit (`at`: real time of the write), or a reset. */
export type LogEntry =
  | { op: 'put'; ns: string; at?: number; puts: StoredPut[] }
  | { op: 'reset'; ns?: string };

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

/** Validates a commit; throws a TypeError naming what is wrong before anything is applied. */
export function checkCommit(ns: string, puts: readonly Put[]): void {
  checkNamespace(ns);
  if (!Array.isArray(puts)) throw new TypeError('store: puts must be an array');
  puts.forEach(checkPut);
  puts.forEach((p, i) => takeOwnership(p.value, `put #${i} (${p.collection}/${p.id})`));
}

/**
 * The log line (no newline) of a checked commit, serialized now: what is on disk is what was
 * committed. Throws (before anything is applied) when a value has no JSON form.
 */
export function encodeCommit(ns: string, puts: readonly Put[], at: number, seqs: readonly (number | null)[]): string {
  const stored: StoredPut[] = puts.map((p, i) => {
    const seq = seqs[i];
    return seq === null || seq === undefined ? { collection: p.collection, id: p.id, value: p.value, dueAt: p.dueAt ?? null } : { collection: p.collection, id: p.id, value: p.value, dueAt: p.dueAt ?? null, seq };
  });
  return JSON.stringify({ op: 'put', ns, at, puts: stored });
}

/** Serializes a reset for the log. */
export function encodeReset(ns?: string): { line: string; entry: LogEntry & { op: 'reset' } } {
  if (ns !== undefined) checkNamespace(ns);
  const entry: LogEntry & { op: 'reset' } = ns === undefined ? { op: 'reset' } : { op: 'reset', ns };
  return { line: JSON.stringify(entry), entry };
}

/** Checks a parsed log line; throws a TypeError naming what is wrong. */
export function checkLogEntry(value: unknown): asserts value is LogEntry {
  const entry = value as Partial<Record<string, unknown>> | null;
  if (entry === null || typeof entry !== 'object') throw new TypeError('entry is not an object');
  if (entry.op === 'reset') {
    if (entry.ns !== undefined) checkNamespace(entry.ns);
    return;
  }
  if (entry.op !== 'put') throw new TypeError(`unknown op ${JSON.stringify(entry.op)}`);
  checkNamespace(entry.ns);
  if (entry.at !== undefined && !Number.isFinite(entry.at)) throw new TypeError('at is not a number');
  if (!Array.isArray(entry.puts)) throw new TypeError('puts is not an array');
  entry.puts.forEach((p: StoredPut, i: number) => {
    checkPut(p, i);
    if (p.seq !== undefined && !Number.isSafeInteger(p.seq)) throw new TypeError(`put #${i} has a bad seq`);
  });
}

/** Freezes a parsed JSON value in place, so a caller mutating what `get` returned fails loudly. */
export function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

const MAX_DEPTH = 256;

/**
 * Takes ownership of a committed value without copying it: checks that it is plain JSON (plain
 * objects, arrays, strings, numbers, booleans, null; `undefined` fields are dropped on disk) and
 * deep-freezes it, so the caller can no longer change what the store holds. Subtrees already
 * frozen were checked when they were committed, and are skipped: a new version of a record that
 * shares its unchanged parts with the old one costs only its new parts.
 */
export function takeOwnership(value: unknown, label: string): void {
  if (value === null || typeof value !== 'object') {
    walkOwned(value, label, 0);
    return;
  }
  try {
    walkOwned(value, label, 0);
  } finally {
    ancestors.length = 0;
  }
}

/**
 * The objects from the root to the one being walked. An object is frozen before its children are
 * walked, so a cycle leads back to a frozen object that is on this path; a frozen object that is
 * not (checked by an earlier commit, or shared) is skipped. A short array beats a set here.
 */
const ancestors: object[] = [];

function walkOwned(value: unknown, label: string, depth0: number): void {
  const walk = (v: unknown, depth: number): void => {
    if (v === null) return;
    const kind = typeof v;
    if (kind !== 'object') {
      if (kind === 'function' || kind === 'symbol' || kind === 'bigint') throw new TypeError(`store: ${label} holds a ${kind}, which is not JSON`);
      return;
    }
    const object = v as Record<string, unknown>;
    if (Object.isFrozen(object)) {
      if (ancestors.includes(object)) throw new TypeError(`store: ${label} refers to itself (circular)`);
      return;
    }
    const proto: unknown = Object.getPrototypeOf(object);
    if (proto !== Object.prototype && proto !== Array.prototype && proto !== null) {
      throw new TypeError(`store: ${label} holds a ${(proto as { constructor?: { name?: string } } | null)?.constructor?.name ?? 'non-plain object'}; values must be plain JSON`);
    }
    if (depth > MAX_DEPTH) throw new TypeError(`store: ${label} is nested deeper than ${MAX_DEPTH} levels`);
    ancestors.push(object);
    Object.freeze(object);
    for (const key in object) walk(object[key], depth + 1);
    ancestors.pop();
  };
  walk(value, depth0);
}
