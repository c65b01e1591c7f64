import { fieldOf, isJsonObject } from '../../domain/jsonObject.js';
import type { JournalEntry } from '../../journal/journal.js';
import { namesMerchant } from '../../signing/keyRegistry.js';
import type { Collection } from '../../store/store.js';
import { stateTimeline, type TimelineEvent } from './timeline.js';
import type { MockContext } from '../../context.js';

/**
 * Everything the dashboard reads, in one place: the merchants, their objects a page at a time,
 * one object with its timeline, the journal. Asynchronous already, so the store can move to an
 * asynchronous read API without the pages changing.
 */

/** The object collections the dashboard shows, with the key of the wire object in each record. */
export const objectKinds = [
  { collection: 'checkoutSessions', label: 'Checkout Sessions', wireKey: 'session', idKey: 'checkoutSessionId' },
  { collection: 'chargePermissions', label: 'Charge Permissions', wireKey: 'chargePermission', idKey: 'chargePermissionId' },
  { collection: 'charges', label: 'Charges', wireKey: 'charge', idKey: 'chargeId' },
  { collection: 'refunds', label: 'Refunds', wireKey: 'refund', idKey: 'refundId' },
] as const satisfies readonly { collection: Collection; label: string; wireKey: string; idKey: string }[];

export type ObjectKind = (typeof objectKinds)[number];

export function kindOf(collection: string): ObjectKind | undefined {
  return objectKinds.find((k) => k.collection === collection);
}

/** A wire object as the lists show it. */
export interface ObjectRow {
  id: string;
  state: string;
  reasonCode: string | null;
  created: string;
  updated: string | null;
  object: Record<string, unknown>;
}

export interface MerchantSummary {
  ns: string;
  counts: Record<string, number>;
}

export const PAGE_SIZE = 50;

const textOrNull = (value: unknown): string | null => (typeof value === 'string' ? value : null);

function rowOf(kind: ObjectKind, record: unknown): ObjectRow | null {
  const object = fieldOf(record, kind.wireKey);
  if (!isJsonObject(object)) return null;
  const status = object.statusDetails;
  return {
    id: String(object[kind.idKey]),
    state: String(fieldOf(status, 'state') ?? ''),
    reasonCode: textOrNull(fieldOf(status, 'reasonCode')),
    created: String(object.creationTimestamp ?? ''),
    updated: textOrNull(fieldOf(status, 'lastUpdatedTimestamp')),
    object,
  };
}

/**
 * The namespaces that belong to merchants, sorted: those with stored objects, and those the request
 * journal has calls of (a merchant whose every call was refused, say for its signature, has only
 * these, and its journal is where the signature diagnostics are). The server keeps its own state
 * (registered keys, the saved server clock, the id generator's mark) in a namespace of its own,
 * which no key id can name: shown as a merchant, its clock form would overwrite the saved server clock.
 */
export async function merchantNamespaces(deps: MockContext): Promise<string[]> {
  const [stored, journaled] = await Promise.all([deps.store.namespaces(), deps.journal.merchants()]);
  return [...new Set([...stored, ...journaled])].filter((ns) => namesMerchant(ns)).sort();
}

/** Every merchant with objects, and how many of each kind it has. */
export async function merchants(deps: MockContext): Promise<MerchantSummary[]> {
  const namespaces = await merchantNamespaces(deps);
  return Promise.all(
    namespaces.map(async (ns) => ({ ns, counts: Object.fromEntries(await Promise.all(objectKinds.map(async (k) => [k.collection, (await deps.store.readAll(ns, k.collection)).length] as const))) })),
  );
}

/** Which objects to list: a merchant's of one kind, one page, optionally only in one state. */
export interface ObjectListing {
  ns: string;
  kind: ObjectKind;
  page: number;
  state: string | null;
}

/** One page of a merchant's objects of one kind, newest first, optionally only in one state. */
export async function objectPage(deps: MockContext, { ns, kind, page, state }: ObjectListing): Promise<{ rows: ObjectRow[]; total: number; pages: number; states: string[] }> {
  const all = (await deps.store.readAll(ns, kind.collection))
    .map((r) => rowOf(kind, r))
    .filter((r): r is ObjectRow => r !== null);
  const states = [...new Set(all.map((r) => r.state))].sort();
  const matching = state ? all.filter((r) => r.state === state) : all;
  // Amazon timestamps (YYYYMMDDTHHMMSSZ, then ids) sort as text.
  matching.sort((a, b) => (a.created < b.created ? 1 : a.created > b.created ? -1 : a.id < b.id ? 1 : -1));
  const pages = Math.max(1, Math.ceil(matching.length / PAGE_SIZE));
  const start = (Math.min(page, pages) - 1) * PAGE_SIZE;
  return { rows: matching.slice(start, start + PAGE_SIZE), total: matching.length, pages, states };
}

/** One object with its timeline and the journal entries that name it; null when it does not exist. */
export async function objectDetail(deps: MockContext, { ns, kind, id }: { ns: string; kind: ObjectKind; id: string }): Promise<{ row: ObjectRow; timeline: TimelineEvent[]; entries: JournalEntry[] } | null> {
  const row = rowOf(kind, await deps.store.read(ns, kind.collection, id));
  if (!row) return null;
  const entries = await deps.journal.query({ merchant: ns, objectId: id, limit: 10_000 });
  return { row, timeline: stateTimeline(id, row.object, entries), entries };
}

/** One page of a merchant's journal, newest first. */
export async function journalPage(deps: MockContext, ns: string, page: number): Promise<{ entries: JournalEntry[]; pages: number; total: number }> {
  const all = await deps.journal.query({ merchant: ns, limit: Number.MAX_SAFE_INTEGER });
  const pages = Math.max(1, Math.ceil(all.length / PAGE_SIZE));
  const start = (Math.min(page, pages) - 1) * PAGE_SIZE;
  return { entries: all.slice(start, start + PAGE_SIZE), pages, total: all.length };
}

/** A journal entry by its id, or null. */
export async function journalEntry(deps: MockContext, id: number): Promise<JournalEntry | null> {
  return (await deps.journal.query({ limit: Number.MAX_SAFE_INTEGER })).find((e) => e.id === id) ?? null;
}
