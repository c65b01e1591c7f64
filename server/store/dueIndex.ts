import type { Collection, DueRecord } from './store.js';

/** Total order of due records: dueAt, then ns, collection, id (code-unit order, locale-free). */
export function compareDue(a: DueRecord, b: DueRecord): number {
  if (a.dueAt !== b.dueAt) return a.dueAt < b.dueAt ? -1 : 1;
  if (a.ns !== b.ns) return a.ns < b.ns ? -1 : 1;
  if (a.collection !== b.collection) return a.collection < b.collection ? -1 : 1;
  if (a.id !== b.id) return a.id < b.id ? -1 : 1;
  return 0;
}

/** A stored version of a record, as the index knows it: `due` is its live item, or null. */
export interface DueOwner {
  due: DueItem | null;
}

/** One due time in the heap, for one version (`owner`) of a record; live while `owner.due` is this item. */
export class DueItem implements DueRecord {
  constructor(
    readonly dueAt: number,
    readonly ns: string,
    readonly collection: Collection,
    readonly id: string,
    readonly owner: DueOwner,
  ) {}
}

/** Appended items beyond this share of the heap are placed by rebuilding it whole (O(n)) rather than one by one. */
const REBUILD_SHARE = 0.125;

/**
 * Which records change on their own, and when: a min-heap with lazy deletion. Each stored version
 * of a record with a due time owns one item; replacing or removing the version only unlinks it
 * (`owner.due = null`), and the heap forgets stale items when they surface or once they outnumber
 * live ones. No map of keys: liveness is one pointer comparison. New items are appended unordered
 * and put in place at the next query, all at once (O(n)) when there are many, so loading a
 * million records costs no sifting, and a running store O(log n) per change.
 */
export class DueIndex {
  #heap: DueItem[] = [];
  /** Items from this index on were appended and are not in heap order yet. */
  #placed = 0;
  #live = 0;

  get size(): number {
    return this.#live;
  }

  /** A version of a record with a due time is now stored. */
  add(ns: string, collection: Collection, id: string, dueAt: number, owner: DueOwner): void {
    if (owner.due !== null) this.remove(owner);
    const item = new DueItem(dueAt, ns, collection, id, owner);
    owner.due = item;
    this.#live++;
    this.#heap.push(item);
  }

  /** A version is no longer stored (replaced or deleted): its item goes stale. */
  remove(owner: DueOwner): void {
    if (owner.due === null) return;
    owner.due = null;
    this.#live--;
    if (this.#heap.length > 2 * this.#live + 64) this.#rebuild();
  }

  /** Records with dueAt <= now, earliest first. */
  due(now: number): DueRecord[] {
    this.#order();
    const out: DueRecord[] = [];
    const heap = this.#heap;
    // Walk only the part of the heap that is <= now: a node's children are never earlier than it.
    const stack = heap.length > 0 ? [0] : [];
    while (stack.length > 0) {
      const i = stack.pop()!;
      const item = heap[i]!;
      if (item.dueAt > now) continue;
      if (item.owner.due === item) out.push(recordOf(item));
      const left = 2 * i + 1;
      if (left < heap.length) stack.push(left);
      if (left + 1 < heap.length) stack.push(left + 1);
    }
    return out.sort(compareDue);
  }

  /** The earliest dueAt, or null. */
  next(): number | null {
    this.#order();
    const heap = this.#heap;
    while (heap.length > 0 && heap[0]!.owner.due !== heap[0]) this.#pop();
    return heap.length > 0 ? heap[0]!.dueAt : null;
  }

  /** Every live record, earliest first. */
  all(): DueRecord[] {
    return this.#heap.filter((item) => item.owner.due === item).map(recordOf).sort(compareDue);
  }

  /** Puts appended items in heap order: one by one when few, else by rebuilding. */
  #order(): void {
    const heap = this.#heap;
    if (this.#placed === heap.length) return;
    if (heap.length - this.#placed > heap.length * REBUILD_SHARE) {
      this.#rebuild();
      return;
    }
    for (let i = this.#placed; i < heap.length; i++) this.#siftUp(i);
    this.#placed = heap.length;
  }

  /** Drops stale items and builds the heap bottom-up (Floyd, O(n)). */
  #rebuild(): void {
    const heap = this.#heap.filter((item) => item.owner.due === item);
    for (let i = (heap.length >> 1) - 1; i >= 0; i--) siftDown(heap, i, heap[i]!);
    this.#heap = heap;
    this.#placed = heap.length;
  }

  #siftUp(from: number): void {
    const heap = this.#heap;
    const item = heap[from]!;
    let i = from;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (compareDue(heap[parent]!, item) <= 0) break;
      heap[i] = heap[parent]!;
      i = parent;
    }
    heap[i] = item;
  }

  /** Removes the top (the heap is in order). */
  #pop(): void {
    const heap = this.#heap;
    const last = heap.pop()!;
    this.#placed = heap.length;
    if (heap.length > 0) siftDown(heap, 0, last);
  }
}

function siftDown(heap: DueItem[], from: number, item: DueItem): void {
  let i = from;
  for (;;) {
    const left = 2 * i + 1;
    if (left >= heap.length) break;
    const right = left + 1;
    const child = right < heap.length && compareDue(heap[right]!, heap[left]!) < 0 ? right : left;
    if (compareDue(heap[child]!, item) >= 0) break;
    heap[i] = heap[child]!;
    i = child;
  }
  heap[i] = item;
}

/** What callers get: a plain frozen record, not the heap's item. */
function recordOf(item: DueItem): DueRecord {
  return Object.freeze({ ns: item.ns, collection: item.collection, id: item.id, dueAt: item.dueAt });
}
