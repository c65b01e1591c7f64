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
 * A call to record whose entry is built only when someone reads the journal: answering a request
 * must not pay for parsing its bodies again and collecting ids that are rarely looked at. When it
 * began (retention) and whose it is (clearing one merchant) are known at once.
 */
export interface DeferredEntry {
  /** Real ms when the call began; the entry's `time`. */
  at: number;
  merchant: string | null;
  build(): Omit<JournalEntry, 'id'>;
}

/** What `record` takes: a finished entry, or one built on first read. */
export type EntryToRecord = Omit<JournalEntry, 'id'> | DeferredEntry;

const isDeferred = (entry: EntryToRecord): entry is DeferredEntry => typeof (entry as DeferredEntry).build === 'function';

/** The finished entry, building a deferred one now. */
export function finishedEntry(entry: EntryToRecord): Omit<JournalEntry, 'id'> {
  return isDeferred(entry) ? entry.build() : entry;
}

/**
 * What the app records calls in and reads them back from: the in-process `Journal` below, or one
 * shared by every process on a Redis store (`RedisJournal`). Recording never waits; reads may.
 */
export interface RequestJournal {
  record(entry: EntryToRecord): void;
  /** Matching entries, newest first. */
  query(q?: JournalQuery): JournalEntry[] | Promise<JournalEntry[]>;
  /** Drops one merchant's entries, or all. Returns how many went. */
  clear(merchant?: string): number | Promise<number>;
  /** The merchants that have entries (calls without a merchant aside), in no particular order. */
  merchants(): string[] | Promise<string[]>;
  /** Forgets entries recorded before `cutoff` (real ms; retention); returns how many. */
  dropBefore(cutoff: number): number | Promise<number>;
}

/** One place in the ring: the entry once built, or what builds it. */
interface Slot {
  id: number;
  at: number;
  merchant: string | null;
  entry: JournalEntry | null;
  deferred: DeferredEntry | null;
}

/**
 * The request journal: a ring of the last `capacity` calls, oldest overwritten first. Kept in
 * memory (it is a debugging aid, not state), filtered per merchant so parallel CI jobs see only
 * theirs. Entries are built when first read, then kept built.
 */
export class Journal implements RequestJournal {
  private slots: Slot[] = [];
  /** Index of the oldest slot once the ring is full. */
  private oldest = 0;
  private nextId = 1;

  constructor(private readonly capacity: number) {}

  record(entry: EntryToRecord): void {
    if (this.capacity <= 0) return;
    const id = this.nextId++;
    const slot: Slot = isDeferred(entry)
      ? { id, at: entry.at, merchant: entry.merchant, entry: null, deferred: entry }
      : { id, at: Date.parse(entry.time), merchant: entry.merchant, entry: { id, ...entry }, deferred: null };
    if (this.slots.length < this.capacity) {
      this.slots.push(slot);
    } else {
      this.slots[this.oldest] = slot;
      this.oldest = (this.oldest + 1) % this.capacity;
    }
  }

  /** Forgets entries recorded before `cutoff` (real ms; retention); returns how many. */
  dropBefore(cutoff: number): number {
    const ordered = this.#ordered();
    const keep = ordered.findIndex((s) => s.at >= cutoff);
    const dropped = keep === -1 ? ordered.length : keep;
    if (dropped > 0) this.#replace(ordered.slice(dropped));
    return dropped;
  }

  /** Matching entries, newest first. */
  query(q: JournalQuery = {}): JournalEntry[] {
    const out: JournalEntry[] = [];
    const limit = q.limit ?? 100;
    const n = this.slots.length;
    for (let i = n - 1; i >= 0 && out.length < limit; i--) {
      const slot = this.slots[(this.oldest + i) % n]!;
      if (q.merchant !== undefined && slot.merchant !== q.merchant) continue;
      const e = this.#built(slot);
      if (matchesQuery(e, q)) out.push(e);
    }
    return out;
  }

  /** Drops one merchant's entries, or all. Returns how many went. */
  clear(merchant?: string): number {
    const before = this.slots.length;
    this.#replace(merchant === undefined ? [] : this.#ordered().filter((s) => s.merchant !== merchant));
    return before - this.slots.length;
  }

  /** The merchants that have entries, without building any entry. */
  merchants(): string[] {
    const names = new Set<string>();
    for (const slot of this.slots) if (slot.merchant !== null) names.add(slot.merchant);
    return [...names];
  }

  get size(): number {
    return this.slots.length;
  }

  #built(slot: Slot): JournalEntry {
    if (slot.entry === null) {
      slot.entry = { id: slot.id, ...slot.deferred!.build() };
      slot.deferred = null; // let go of the request's parts
    }
    return slot.entry;
  }

  /** The slots, oldest first. */
  #ordered(): Slot[] {
    return [...this.slots.slice(this.oldest), ...this.slots.slice(0, this.oldest)];
  }

  #replace(ordered: Slot[]): void {
    this.slots = ordered;
    this.oldest = 0;
  }
}
