/** One recorded call to the emulated API, as GET /__admin/requests shows it. */
export interface JournalEntry {
  id: number;
  /** Wall time the request arrived, ISO 8601. */
  time: string;
  merchant: string | null;
  publicKeyId: string | null;
  operation: string | null;
  method: string;
  path: string;
  status: number;
  durationMs: number;
  reasonCode: string | null;
  scenario: string | null;
  replayed: boolean;
  /** Ids of the objects the call was about or created (sessions, permissions, charges, refunds). */
  objectIds: string[];
  request: { headers: Record<string, string>; body: unknown };
  response: { body: unknown };
  /** Set when the call came through the mock's proxy: the Amazon host it was addressed to and how (CONNECT tunnel or absolute-form target). */
  proxy: { host: string; mode: 'connect' | 'absolute-form' } | null;
  /** For signature failures: what the server computed, to diff against the client's. */
  signature: { canonicalRequest: string; stringToSign: string } | null;
}

export interface JournalQuery {
  merchant?: string;
  operation?: string;
  status?: number;
  publicKeyId?: string;
  /** Only entries at or after this time (ms since the epoch). */
  since?: number;
  objectId?: string;
  /** Newest first, at most this many. */
  limit?: number;
}

/** Whether an entry passes a query's filters (the limit aside). */
export function matchesQuery(e: JournalEntry, q: JournalQuery): boolean {
  if (q.merchant !== undefined && e.merchant !== q.merchant) return false;
  if (q.operation !== undefined && e.operation !== q.operation) return false;
  if (q.status !== undefined && e.status !== q.status) return false;
  if (q.publicKeyId !== undefined && e.publicKeyId !== q.publicKeyId) return false;
  if (q.since !== undefined && Date.parse(e.time) < q.since) return false;
  if (q.objectId !== undefined && !e.objectIds.includes(q.objectId)) return false;
  return true;
}

/**
 * What the app records calls in and reads them back from: the in-process `Journal` below, or one
 * shared by every process on a Redis store (`RedisJournal`). Recording never waits; reads may.
 */
export interface RequestJournal {
  record(entry: Omit<JournalEntry, 'id'>): void;
  /** Matching entries, newest first. */
  query(q?: JournalQuery): JournalEntry[] | Promise<JournalEntry[]>;
  /** Drops one merchant's entries, or all. Returns how many went. */
  clear(merchant?: string): number | Promise<number>;
  /** Forgets entries recorded before `cutoff` (real ms; retention); returns how many. */
  dropBefore(cutoff: number): number | Promise<number>;
}

/**
 * The request journal: a ring of the last `capacity` calls, oldest dropped first. Kept in memory
 * (it is a debugging aid, not state), filtered per merchant so parallel CI jobs see only theirs.
 */
export class Journal implements RequestJournal {
  private entries: JournalEntry[] = [];
  private nextId = 1;

  constructor(private readonly capacity: number) {}

  record(entry: Omit<JournalEntry, 'id'>): JournalEntry {
    const full = { id: this.nextId++, ...entry };
    if (this.capacity <= 0) return full;
    this.entries.push(full);
    if (this.entries.length > this.capacity) this.entries.splice(0, this.entries.length - this.capacity);
    return full;
  }

  /** Forgets entries recorded before `cutoff` (real ms; retention); returns how many. */
  dropBefore(cutoff: number): number {
    const keep = this.entries.findIndex((e) => Date.parse(e.time) >= cutoff);
    const dropped = keep === -1 ? this.entries.length : keep;
    this.entries.splice(0, dropped);
    return dropped;
  }

  /** Matching entries, newest first. */
  query(q: JournalQuery = {}): JournalEntry[] {
    const out: JournalEntry[] = [];
    const limit = q.limit ?? 100;
    for (let i = this.entries.length - 1; i >= 0 && out.length < limit; i--) {
      const e = this.entries[i]!;
      if (matchesQuery(e, q)) out.push(e);
    }
    return out;
  }

  /** Drops one merchant's entries, or all. Returns how many went. */
  clear(merchant?: string): number {
    const before = this.entries.length;
    this.entries = merchant === undefined ? [] : this.entries.filter((e) => e.merchant !== merchant);
    return before - this.entries.length;
  }

  get size(): number {
    return this.entries.length;
  }
}
