import { collections, type Collection, type Put } from './store.js';

/** A put as stored and logged: a private JSON copy, `dueAt` always present. */
export interface StoredPut {
  collection: Collection;
  id: string;
  value: unknown;
  dueAt: number | null;
}

/** One line of the write-ahead log: a whole commit, or a reset. */
export type LogEntry =
  | { op: 'put'; ns: string; puts: StoredPut[] }
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
  if (!isCollection(put.collection)) {
    throw new TypeError(`store: put #${index} has unknown collection ${JSON.stringify(put.collection)} (known: ${collections.join(', ')})`);
  }
  if (typeof put.id !== 'string' || put.id === '') throw new TypeError(`store: put #${index} needs a non-empty string id`);
  if (put.dueAt !== undefined && put.dueAt !== null && !Number.isFinite(put.dueAt)) {
    throw new TypeError(`store: put #${index} (${put.collection}/${put.id}) has dueAt ${String(put.dueAt)}; expected a finite number or null`);
  }
}

/**
 * Validates a commit and serializes it now, so that a caller mutating its objects later changes
 * neither memory nor disk. Returns the log line (no newline) and the parsed private copy, which
 * is plain JSON exactly as it will read back after a restart. Throws before anything is applied.
 */
export function encodeCommit(ns: string, puts: readonly Put[]): { line: string; entry: LogEntry & { op: 'put' } } {
  checkNamespace(ns);
  if (!Array.isArray(puts)) throw new TypeError('store: puts must be an array');
  puts.forEach(checkPut);
  const line = JSON.stringify({
    op: 'put',
    ns,
    puts: puts.map((p) => ({ collection: p.collection, id: p.id, value: p.value, dueAt: p.dueAt ?? null })),
  });
  const entry = JSON.parse(line) as LogEntry & { op: 'put' };
  entry.puts.forEach((p, i) => {
    // JSON.stringify drops undefined and functions; `null` is the only way to delete.
    if (p.value === undefined) throw new TypeError(`store: put #${i} (${p.collection}/${p.id}) has no JSON value; use null to delete`);
  });
  return { line, entry };
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
  if (!Array.isArray(entry.puts)) throw new TypeError('puts is not an array');
  entry.puts.forEach((p: StoredPut, i: number) => {
    checkPut(p, i);
    if (p.value === undefined) throw new TypeError(`put #${i} has no value`);
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
