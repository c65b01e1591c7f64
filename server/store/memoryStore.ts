import { backgroundSlices } from './backgroundSlices.js';
import { DueByNamespace } from './dueByNamespace.js';
import type { DueItem, DueOwner } from './dueIndex.js';
import { checkCommit, checkKeep, checkNamespace, deepFreeze } from './encoding.js';
import { Packer } from './packing.js';
import { configurationCollections, type Collection, type DueRecord, type EmbeddedEngine, type KeptRecords, type Put } from './store.js';

/** Configuration, which retention never removes (see `configurationCollections`). */
const kept: ReadonlySet<Collection> = new Set(configurationCollections);

/** One stored record, as `FileStore` snapshots it. */
export interface StoredRecord {
  ns: string;
  collection: Collection;
  id: string;
  value: unknown;
}

/**
 * One stored record. Hot: `value` is the frozen value and `packed` is null. Cold: `packed` holds
 * the deflated JSON (see Packer) and `value` is undefined. `changedAt` is the real time of the
 * last write (retention counts from it); `dueAt` feeds the due index.
 */
export class Entry implements DueOwner {
  /** This version's item in the due index while it is stored with a due time. */
  due: DueItem | null = null;

  constructor(
    public value: unknown,
    public packed: string | null,
    readonly dueAt: number | null,
    readonly changedAt: number,
    /** Real time it last became hot; it packs `coldAfterMs` later unless touched again. */
    public hotSince: number,
    /** Insertion order: a new id gets the next number, a new version keeps it (`list` order). */
    readonly seq: number,
  ) {}
}

type Records = Map<string, Entry>;

/** A record as a snapshot holds it: its value, or its packed form (`value` then undefined). */
export interface LoadedRecord {
  value: unknown;
  packed: string | null;
  dueAt: number | null;
  changedAt: number;
  seq: number;
}

/** Undoes one apply or clear (newest first), restoring exactly what was there before. */
export type Undo = () => void;

export interface MemoryStoreOptions {
  /** Records unchanged and unread this long are packed small (ms; default 30 s; Infinity never). */
  coldAfterMs?: number;
  /** Real time, for `changedAt`, retention and packing (tests move it). Default Date.now. */
  now?: () => number;
  /** Records unchanged this long are removed by the retention sweep (ms); null keeps everything. */
  retentionMs?: number | null;
  /** How often the retention sweep runs (ms; default an hour, or a tenth of the retention if shorter). */
  sweepEveryMs?: number;
}

/** A put whose value is private and checked (from `checkCommit`, a log line or a snapshot). */
export interface AppliedPut {
  collection: Collection;
  id: string;
  value: unknown;
  dueAt?: number | null;
  /** Insertion number as logged (replay); new ids get the next one when absent. */
  seq?: number;
}

/**
 * The whole state in memory: `ns -> collection -> id -> Entry`, plus the due index. The store
 * owns what is committed: the new parts of a value are copied and deep-frozen, the parts frozen
 * already are kept as they are (see takeOwnership), so a commit costs no JSON round-trip and what
 * `get` returns cannot be changed. Records nobody touched for a while are packed (deflated with a
 * per-collection dictionary) in the background, a few ms at a time, and unpacked when read.
 * `list` returns records in insertion order. Also the state engine inside `FileStore`.
 */
export class MemoryStore implements EmbeddedEngine {
  readonly #data = new Map<string, Map<Collection, Records>>();
  readonly #due = new DueByNamespace();
  readonly #packer = new Packer();
  readonly #coldAfterMs: number;
  readonly #retentionMs: number | null;
  readonly #sweepEveryMs: number;
  readonly now: () => number;
  /**
   * Records in the order they became hot, as three parallel queues (map, id, hotSince): no object
   * per slot, and no reference to the entry, so a replaced or deleted version is garbage at once
   * instead of living on until its slot comes up. A slot whose record changed since is skipped.
   */
  #hotRecords: (Records | undefined)[] = [];
  #hotIds: (string | undefined)[] = [];
  #hotSince: number[] = [];
  #hotHead = 0;
  #records = 0;
  /** Last insertion number handed out. */
  #seq = 0;
  #packedBytes = 0;
  #closed = false;
  #timers: NodeJS.Timeout[] = [];
  #packing = false;

  constructor(options: MemoryStoreOptions = {}) {
    this.#coldAfterMs = options.coldAfterMs ?? 30_000;
    this.now = options.now ?? Date.now;
    const retention = options.retentionMs ?? null;
    if (retention !== null && !(retention > 0)) throw new TypeError('store: retentionMs must be positive or null');
    this.#retentionMs = retention;
    this.#sweepEveryMs = options.sweepEveryMs ?? Math.min(3_600_000, Math.max(1_000, (retention ?? Infinity) / 10));
  }

  async open(): Promise<void> {
    this.startBackground(() => this.sweepRetention().then(() => {}));
  }

  /** Starts the packing and retention timers (unref'd); `sweep` runs the retention sweep. */
  startBackground(sweep: () => Promise<void>): void {
    if (this.#timers.length > 0 || this.#closed) return;
    if (Number.isFinite(this.#coldAfterMs)) {
      const every = Math.min(5_000, Math.max(100, this.#coldAfterMs / 2));
      this.#timers.push(setInterval(() => void this.packCold(), every).unref());
    }
    if (this.#retentionMs !== null) this.#timers.push(setInterval(() => void sweep().catch(() => {}), this.#sweepEveryMs).unref());
  }

  get<T>(ns: string, collection: Collection, id: string): T | undefined {
    const records = this.#data.get(ns)?.get(collection);
    const entry = records?.get(id);
    if (entry === undefined) return undefined;
    if (entry.packed !== null) this.#unpack(records!, id, collection, entry);
    return entry.value as T;
  }

  list<T>(ns: string, collection: Collection): T[] {
    const records = this.#data.get(ns)?.get(collection);
    if (!records) return [];
    const out: T[] = [];
    for (const [id, entry] of records) {
      if (entry.packed !== null) this.#unpack(records, id, collection, entry);
      out.push(entry.value as T);
    }
    return out;
  }

  commit(ns: string, puts: readonly Put[]): Promise<void> {
    try {
      this.#checkOpen();
      const owned = checkCommit(ns, puts);
      if (owned.length > 0) this.apply(ns, owned, this.now());
      return Promise.resolve();
    } catch (err) {
      return Promise.reject(err);
    }
  }

  due(now: number, ns?: string): DueRecord[] {
    return this.#due.due(now, ns);
  }

  nextDue(ns?: string): number | null {
    return this.#due.next(ns);
  }

  reset(ns?: string, keep?: readonly KeptRecords[]): Promise<void> {
    try {
      this.#checkOpen();
      if (ns !== undefined) checkNamespace(ns);
      this.clear(ns, checkKeep(keep));
      return Promise.resolve();
    } catch (err) {
      return Promise.reject(err);
    }
  }

  namespaces(): string[] {
    return [...this.#data.keys()].sort();
  }

  async flush(): Promise<void> {}

  async close(): Promise<void> {
    this.#closed = true;
    this.stopBackground();
  }

  /** Stops the background timers. */
  stopBackground(): void {
    for (const timer of this.#timers.splice(0)) clearInterval(timer);
  }

  /** How many records are stored, all namespaces together. */
  get size(): number {
    return this.#records;
  }

  /** Records, how many are packed, and the bytes their packed form takes. */
  stats(): { records: number; hot: number; packed: number; packedBytes: number } {
    let packed = 0;
    for (const [, , , entry] of this.entries()) if (entry.packed !== null) packed++;
    return { records: this.#records, hot: this.#records - packed, packed, packedBytes: this.#packedBytes };
  }

  /** The packer, whose dictionaries the snapshot carries. */
  get packer(): Packer {
    return this.#packer;
  }

  /**
   * Applies puts all at once whose values are owned already (`checkCommit`, or parsed and frozen).
   * `changedAt` is the real time of the write. Returns how to undo it. `seqs` receives each put's
   * insertion number (null for a delete), `replaced` the value each put replaced when it was at
   * hand (undefined when there was none, or it was packed).
   */
  apply(ns: string, puts: readonly AppliedPut[], changedAt: number, seqs?: (number | null)[], replaced?: unknown[]): Undo {
    const undo: [Collection, string, Entry | undefined][] = [];
    for (const put of puts) {
      const previous = this.#data.get(ns)?.get(put.collection)?.get(put.id);
      undo.push([put.collection, put.id, previous]);
      replaced?.push(previous?.value);
      if (put.value === null) {
        this.#delete(ns, put.collection, put.id);
        seqs?.push(null);
      } else {
        const seq = put.seq ?? previous?.seq ?? ++this.#seq;
        if (seq > this.#seq) this.#seq = seq;
        this.#set(ns, put.collection, put.id, new Entry(put.value, null, put.dueAt ?? null, changedAt, this.now(), seq));
        seqs?.push(seq);
      }
    }
    return () => {
      const touched = new Set<Records>();
      for (let i = undo.length - 1; i >= 0; i--) {
        const [collection, id, previous] = undo[i]!;
        if (previous === undefined) this.#delete(ns, collection, id);
        else touched.add(this.#set(ns, collection, id, previous));
      }
      for (const records of touched) this.#reorder(records);
    };
  }

  /** Loads one record as a snapshot holds it (packed or not), without its real time changing. */
  load({ ns, collection, id }: Omit<DueRecord, 'dueAt'>, { value, packed, dueAt, changedAt, seq }: LoadedRecord): void {
    const entry = packed === null ? new Entry(deepFreeze(value), null, dueAt, changedAt, this.now(), seq) : new Entry(undefined, packed, dueAt, changedAt, 0, seq);
    if (seq > this.#seq) this.#seq = seq;
    this.#set(ns, collection, id, entry);
  }

  /**
   * Puts every collection back in insertion order after a load: a snapshot written while commits
   * went on, with the log replayed on top, can hold the right records in another order.
   */
  restoreOrder(): void {
    for (const byCollection of this.#data.values()) for (const records of byCollection.values()) this.#reorder(records);
  }

  #reorder(records: Records): void {
    let last = -Infinity;
    let sorted = true;
    for (const entry of records.values()) {
      if (entry.seq < last) {
        sorted = false;
        break;
      }
      last = entry.seq;
    }
    if (sorted) return;
    const entries = [...records].sort((a, b) => a[1].seq - b[1].seq);
    records.clear();
    for (const [id, entry] of entries) records.set(id, entry);
  }

  /**
   * Synchronously clears one namespace, or everything, except the records `keep` names (checked).
   * Kept entries are not touched at all, so their due items, packing and hot slots stay valid.
   * Returns how to undo it.
   */
  clear(ns?: string, keep: readonly KeptRecords[] = []): Undo {
    const wholeKept = new Set<string>();
    const idsKept = new Map<string, Set<string>>();
    for (const k of keep) {
      const group = `${k.ns}\0${k.collection}`;
      if (k.id === undefined) wholeKept.add(group);
      else {
        let ids = idsKept.get(group);
        if (!ids) idsKept.set(group, (ids = new Set()));
        ids.add(k.id);
      }
    }
    const removed: [string, Collection, string, Entry][] = [];
    for (const [name, byCollection] of ns === undefined ? this.#data : this.#data.has(ns) ? [[ns, this.#data.get(ns)!] as const] : []) {
      for (const [collection, records] of byCollection) {
        const group = `${name}\0${collection}`;
        if (wholeKept.has(group)) continue;
        const ids = idsKept.get(group);
        for (const [id, entry] of records) if (ids === undefined || !ids.has(id)) removed.push([name, collection, id, entry]);
      }
    }
    for (const [name, collection, id] of removed) this.#delete(name, collection, id);
    return () => {
      const touched = new Set<Records>();
      for (const [name, collection, id, entry] of removed) touched.add(this.#set(name, collection, id, entry));
      for (const records of touched) this.#reorder(records);
    };
  }

  /** Every record, namespace by namespace, collection by collection, in insertion order. */
  *records(): Generator<StoredRecord> {
    for (const [ns, collection, id] of this.entries()) yield { ns, collection, id, value: this.get(ns, collection, id) };
  }

  /**
   * Every entry, live: commits made while the caller pauses between steps show up or not, but a
   * record is never seen twice, and nothing the iteration already passed is changed by it.
   */
  *entries(): Generator<[string, Collection, string, Entry]> {
    for (const [ns, collection, records] of this.groups()) {
      for (const [id, entry] of records) yield [ns, collection, id, entry];
    }
  }

  /**
   * The entries by namespace and collection, live as `entries()` is, for a caller that walks
   * millions of them (the snapshot) without an array per entry. Read only.
   */
  *groups(): Generator<[string, Collection, ReadonlyMap<string, Entry>]> {
    for (const [ns, byCollection] of this.#data) {
      for (const [collection, records] of byCollection) yield [ns, collection, records];
    }
  }

  /** Every due record, earliest first. */
  dueRecords(): DueRecord[] {
    return this.#due.all();
  }

  /**
   * Packs records that stayed untouched for `coldAfterMs`, `budgetMs` of work per turn of the
   * event loop, taking turns with the store's other background work (backgroundSlices.ts).
   * Returns how many it packed.
   */
  async packCold(budgetMs = 4): Promise<number> {
    if (this.#packing) return 0;
    this.#packing = true;
    let packed = 0;
    try {
      for (;;) {
        await backgroundSlices.next();
        if (this.#closed) return packed;
        const start = performance.now();
        const cutoff = this.now() - this.#coldAfterMs;
        let more = false;
        while (this.#hotHead < this.#hotSince.length) {
          const head = this.#hotHead;
          const since = this.#hotSince[head]!;
          if (since > cutoff) break;
          const records = this.#hotRecords[head]!;
          const entry = records.get(this.#hotIds[head]!);
          this.#hotRecords[head] = this.#hotIds[head] = undefined;
          this.#hotHead++;
          // Deleted, replaced or touched again since this slot was queued: a later slot has it.
          if (entry !== undefined && entry.packed === null && entry.hotSince === since) {
            this.#pack(records, entry);
            packed++;
          }
          if (performance.now() - start >= budgetMs) {
            more = true;
            break;
          }
        }
        if (this.#hotHead > 1024 && this.#hotHead * 2 > this.#hotSince.length) {
          this.#hotRecords = this.#hotRecords.slice(this.#hotHead);
          this.#hotIds = this.#hotIds.slice(this.#hotHead);
          this.#hotSince = this.#hotSince.slice(this.#hotHead);
          this.#hotHead = 0;
        }
        if (!more) return packed;
      }
    } finally {
      this.#packing = false;
    }
  }

  /**
   * Records unchanged since before `cutoff` (real ms), skipping configuration (which retention
   * never removes) and those `keep` says are in use. Walks the whole store in slices of a few ms
   * (backgroundSlices.ts).
   */
  async expired(cutoff: number, keep: (ns: string, collection: Collection, id: string) => boolean = () => false): Promise<[string, Collection, string][]> {
    const out: [string, Collection, string][] = [];
    await backgroundSlices.next();
    let start = performance.now();
    for (const [ns, collection, records] of this.groups()) {
      if (kept.has(collection)) continue;
      // Keys, then a lookup, as the snapshot does: no array made per record walked.
      for (const id of records.keys()) {
        const entry = records.get(id);
        if (entry !== undefined && entry.changedAt < cutoff && !keep(ns, collection, id)) out.push([ns, collection, id]);
        if (performance.now() - start >= 4) {
          await backgroundSlices.next();
          start = performance.now();
        }
      }
    }
    return out;
  }

  /**
   * Removes every record unchanged for the retention period (nothing without one), one namespace
   * per synchronous step, re-checking each record at that moment so a record changed meanwhile
   * stays. Returns how many it removed.
   */
  async sweepRetention(remove: (ns: string, puts: Put[]) => Promise<void> = (ns, puts) => this.commitDeletes(ns, puts)): Promise<number> {
    if (this.#retentionMs === null || this.#closed) return 0;
    const cutoff = this.now() - this.#retentionMs;
    const candidates = await this.expired(cutoff);
    const byNs = new Map<string, Put[]>();
    for (const [ns, collection, id] of candidates) {
      let puts = byNs.get(ns);
      if (!puts) byNs.set(ns, (puts = []));
      puts.push({ collection, id, value: null });
    }
    let removed = 0;
    const done: Promise<void>[] = [];
    for (const [ns, puts] of byNs) {
      const still = puts.filter((p) => {
        const entry = this.#data.get(ns)?.get(p.collection)?.get(p.id);
        return entry !== undefined && entry.changedAt < cutoff;
      });
      if (still.length === 0) continue;
      removed += still.length;
      done.push(remove(ns, still));
    }
    await Promise.all(done);
    return removed;
  }

  /** Deletes records (memory only; FileStore logs its own). */
  commitDeletes(ns: string, puts: Put[]): Promise<void> {
    this.apply(ns, puts, this.now());
    return Promise.resolve();
  }

  /** When a record was last written (real ms), or undefined. */
  changedAt(ns: string, collection: Collection, id: string): number | undefined {
    return this.#data.get(ns)?.get(collection)?.get(id)?.changedAt;
  }

  #checkOpen(): void {
    if (this.#closed) throw new Error('store: this MemoryStore is closed');
  }

  #unpack(records: Records, id: string, collection: Collection, entry: Entry): void {
    const value = deepFreeze(JSON.parse(this.#packer.unpack(collection, entry.packed!)));
    this.#packedBytes -= entry.packed!.length;
    entry.value = value;
    entry.packed = null;
    this.#makeHot(records, id, entry);
  }

  #makeHot(records: Records, id: string, entry: Entry): void {
    if (!Number.isFinite(this.#coldAfterMs)) return;
    entry.hotSince = this.now();
    this.#hotRecords.push(records);
    this.#hotIds.push(id);
    this.#hotSince.push(entry.hotSince);
  }

  #pack(records: Records, entry: Entry): void {
    const collection = this.#collectionOf(records);
    if (collection === undefined) return;
    if (!this.#packer.dictionary(collection)) {
      const samples: string[] = [];
      for (const other of records.values()) {
        if (other.packed === null) samples.push(JSON.stringify(other.value));
        if (samples.length === 4) break;
      }
      this.#packer.chooseDictionary(collection, samples);
    }
    const packed = this.#packer.pack(collection, JSON.stringify(entry.value));
    entry.packed = packed;
    entry.value = undefined;
    this.#packedBytes += packed.length;
  }

  /** Which collection a records map belongs to (the maps know their collection through #owner). */
  #collectionOf(records: Records): Collection | undefined {
    return this.#owner.get(records);
  }

  readonly #owner = new WeakMap<Records, Collection>();

  #set(ns: string, collection: Collection, id: string, entry: Entry): Records {
    let byCollection = this.#data.get(ns);
    if (!byCollection) this.#data.set(ns, (byCollection = new Map()));
    let records = byCollection.get(collection);
    if (!records) {
      byCollection.set(collection, (records = new Map()));
      this.#owner.set(records, collection);
    }
    const previous = records.get(id);
    if (previous === undefined) this.#records++;
    else if (previous.packed !== null) this.#packedBytes -= previous.packed.length;
    records.set(id, entry);
    if (entry.packed !== null) this.#packedBytes += entry.packed.length;
    const moved = previous !== undefined && this.#due.replace(ns, previous, entry, entry.dueAt);
    if (!moved && entry.dueAt !== null) this.#due.add({ ns, collection, id, dueAt: entry.dueAt }, entry);
    if (entry.packed === null) this.#makeHot(records, id, entry);
    return records;
  }

  #delete(ns: string, collection: Collection, id: string): void {
    const byCollection = this.#data.get(ns);
    const records = byCollection?.get(collection);
    const previous = records?.get(id);
    if (!byCollection || !records || previous === undefined) return;
    this.#due.remove(ns, previous);
    records.delete(id);
    if (previous.packed !== null) this.#packedBytes -= previous.packed.length;
    this.#records--;
    // Empty maps go, so `namespaces()` lists only namespaces that hold a record.
    if (records.size === 0) byCollection.delete(collection);
    if (byCollection.size === 0) this.#data.delete(ns);
  }
}
