import type { Collection, DueRecord } from './store.js';

/** Total order of due records: dueAt, then ns, collection, id (code-unit order, locale-free). */
export function compareDue(a: DueRecord, b: DueRecord): number {
  if (a.dueAt !== b.dueAt) return a.dueAt < b.dueAt ? -1 : 1;
  if (a.ns !== b.ns) return a.ns < b.ns ? -1 : 1;
  if (a.collection !== b.collection) return a.collection < b.collection ? -1 : 1;
  if (a.id !== b.id) return a.id < b.id ? -1 : 1;
  return 0;
}

function keyOf(ns: string, collection: Collection, id: string): string {
  // JSON of the triple: unambiguous whatever characters ns or id contain.
  return JSON.stringify([ns, collection, id]);
}

/**
 * Which records change on their own, and when. A min-heap with lazy deletion: replacing or
 * removing a record only drops it from the map, and the heap forgets stale entries when they
 * surface or when they outnumber live ones. Every operation is O(log n), so replaying a long log
 * at start-up stays O(n log n) instead of the O(n²) of a sorted array.
 */
export class DueIndex {
  /** The live record of each key; a heap entry is live only if it is this very object. */
  readonly #live = new Map<string, DueRecord>();
  #heap: DueRecord[] = [];

  get size(): number {
    return this.#live.size;
  }

  /** Sets (dueAt a number) or removes (null) the due time of one record. */
  set(ns: string, collection: Collection, id: string, dueAt: number | null): void {
    const key = keyOf(ns, collection, id);
    if (dueAt === null) {
      if (this.#live.delete(key)) this.#maybeRebuild();
      return;
    }
    const record: DueRecord = Object.freeze({ ns, collection, id, dueAt });
    this.#live.set(key, record);
    this.#push(record);
    this.#maybeRebuild();
  }

  /** Drops every record of one namespace, or all records. */
  clear(ns?: string): void {
    if (ns === undefined) {
      this.#live.clear();
      this.#heap = [];
      return;
    }
    for (const [key, record] of this.#live) if (record.ns === ns) this.#live.delete(key);
    this.#rebuild();
  }

  /** Records with dueAt <= now, earliest first. */
  due(now: number): DueRecord[] {
    const out: DueRecord[] = [];
    // Walk only the part of the heap that is <= now: a node's children are never earlier than it.
    const stack = this.#heap.length > 0 ? [0] : [];
    while (stack.length > 0) {
      const i = stack.pop()!;
      const record = this.#heap[i]!;
      if (record.dueAt > now) continue;
      if (this.#isLive(record)) out.push(record);
      const left = 2 * i + 1;
      if (left < this.#heap.length) stack.push(left);
      if (left + 1 < this.#heap.length) stack.push(left + 1);
    }
    return out.sort(compareDue);
  }

  /** The earliest dueAt, or null. */
  next(): number | null {
    while (this.#heap.length > 0 && !this.#isLive(this.#heap[0]!)) this.#pop();
    return this.#heap.length > 0 ? this.#heap[0]!.dueAt : null;
  }

  /** Every live record, earliest first. */
  all(): DueRecord[] {
    return [...this.#live.values()].sort(compareDue);
  }

  #isLive(record: DueRecord): boolean {
    return this.#live.get(keyOf(record.ns, record.collection, record.id)) === record;
  }

  #maybeRebuild(): void {
    if (this.#heap.length > 2 * this.#live.size + 64) this.#rebuild();
  }

  #rebuild(): void {
    this.#heap = [...this.#live.values()].sort(compareDue); // a sorted array is a valid heap
  }

  #push(record: DueRecord): void {
    const heap = this.#heap;
    heap.push(record);
    let i = heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (compareDue(heap[parent]!, record) <= 0) break;
      heap[i] = heap[parent]!;
      i = parent;
    }
    heap[i] = record;
  }

  #pop(): void {
    const heap = this.#heap;
    const last = heap.pop()!;
    if (heap.length === 0) return;
    let i = 0;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= heap.length) break;
      const right = left + 1;
      const child = right < heap.length && compareDue(heap[right]!, heap[left]!) < 0 ? right : left;
      if (compareDue(heap[child]!, last) >= 0) break;
      heap[i] = heap[child]!;
      i = child;
    }
    heap[i] = last;
  }
}
