import { checkNamespace, isCollection } from './encoding.js';
import type { MemoryStore } from './memoryStore.js';
import type { Collection, DueRecord } from './store.js';

export const snapshotFormat = 'amazon-pay-mock/store@1';

/**
 * The lowdb JSON file: every record, readable by a person. `logGeneration` says which log files
 * are newer than this snapshot: on open, `<file>.<n>.log` for every n >= logGeneration is
 * replayed on top of it.
 */
export interface Snapshot {
  format: typeof snapshotFormat;
  logGeneration: number;
  /** ns -> collection -> id -> value */
  namespaces: Record<string, Partial<Record<Collection, Record<string, unknown>>>>;
  /** Records that change on their own, earliest first. */
  due: DueRecord[];
}

export function emptySnapshot(): Snapshot {
  return { format: snapshotFormat, logGeneration: 0, namespaces: {}, due: [] };
}

/**
 * Captures the state as a fresh object tree that shares the (frozen) values: later commits
 * replace entries of the store's maps, never this tree, so it can be serialized later.
 */
export function buildSnapshot(state: MemoryStore, logGeneration: number): Snapshot {
  const namespaces = new Map<string, Map<Collection, [string, unknown][]>>();
  for (const { ns, collection, id, value } of state.records()) {
    let byCollection = namespaces.get(ns);
    if (!byCollection) namespaces.set(ns, (byCollection = new Map()));
    let records = byCollection.get(collection);
    if (!records) byCollection.set(collection, (records = []));
    records.push([id, value]);
  }
  // Object.fromEntries defines own properties, so an id like "__proto__" stays an ordinary key.
  return {
    format: snapshotFormat,
    logGeneration,
    namespaces: Object.fromEntries(
      [...namespaces].map(([ns, byCollection]) => [
        ns,
        Object.fromEntries([...byCollection].map(([collection, records]) => [collection, Object.fromEntries(records)])),
      ]),
    ),
    due: state.dueRecords(),
  };
}

function fail(file: string, what: string): never {
  throw new Error(`store: ${file} is not a valid snapshot: ${what}. Fix or move the file (its log files may hold newer writes).`);
}

const own = (object: object, key: string): boolean => Object.prototype.hasOwnProperty.call(object, key);

/** Validates a parsed snapshot and loads it into an empty state. */
export function loadSnapshot(file: string, data: unknown, state: MemoryStore): number {
  const snapshot = data as Partial<Snapshot> | null;
  if (snapshot === null || typeof snapshot !== 'object' || Array.isArray(snapshot)) fail(file, 'not a JSON object');
  if (snapshot.format !== snapshotFormat) fail(file, `format is ${JSON.stringify(snapshot.format)}, expected "${snapshotFormat}"`);
  const generation = snapshot.logGeneration;
  if (!Number.isSafeInteger(generation) || generation! < 0) fail(file, 'logGeneration is not a non-negative integer');
  const namespaces = snapshot.namespaces;
  if (namespaces === null || typeof namespaces !== 'object' || Array.isArray(namespaces)) fail(file, '"namespaces" is not an object');
  const dueAt = new Map<string, number>();
  if (!Array.isArray(snapshot.due)) fail(file, '"due" is not an array');
  for (const record of snapshot.due) {
    if (record === null || typeof record !== 'object' || typeof record.ns !== 'string' || !isCollection(record.collection) || typeof record.id !== 'string' || !Number.isFinite(record.dueAt)) {
      fail(file, `bad "due" entry ${JSON.stringify(record)}`);
    }
    dueAt.set(JSON.stringify([record.ns, record.collection, record.id]), record.dueAt);
  }
  for (const [ns, byCollection] of Object.entries(namespaces)) {
    try {
      checkNamespace(ns);
    } catch {
      fail(file, 'an empty namespace name');
    }
    if (byCollection === null || typeof byCollection !== 'object') fail(file, `namespace ${JSON.stringify(ns)} is not an object`);
    for (const [collection, records] of Object.entries(byCollection)) {
      if (!isCollection(collection)) fail(file, `unknown collection ${JSON.stringify(collection)} in namespace ${JSON.stringify(ns)}`);
      if (records === null || typeof records !== 'object') fail(file, `${ns}/${collection} is not an object`);
      state.apply(
        ns,
        Object.keys(records)
          .filter((id) => own(records, id) && records[id] !== null)
          .map((id) => ({ collection, id, value: records[id], dueAt: dueAt.get(JSON.stringify([ns, collection, id])) ?? null })),
      );
    }
  }
  return generation!;
}
