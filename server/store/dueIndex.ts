import type { Collection, DueRecord } from './store.js';

/** Total order of due records: dueAt, then ns, collection, id (code-unit order, locale-free). */
export function compareDue(a: DueRecord, b: DueRecord): number {
  if (a.dueAt !== b.dueAt) return a.dueAt < b.dueAt ? -1 : 1;
  if (a.ns !== b.ns) return a.ns < b.ns ? -1 : 1;
  if (a.collection !== b.collection) return a.collection < b.collection ? -1 : 1;
  if (a.id !== b.id) return a.id < b.id ? -1 : 1;
  return 0;
}

/** A stored version of a record, as the index knows it: `due` is its item in the heap, or null. */
export interface DueOwner {
  due: DueItem | null;
}

/** One due time in the heap, for one version (`owner`) of a record; `pos` is its place in the heap array. */
export class DueItem implements DueRecord {
  constructor(
    /** Changes only through `DueIndex.replace`, which moves the item to match. */
    public dueAt: number,
    readonly ns: string,
    readonly collection: Collection,
    readonly id: string,
    public owner: DueOwner,
    public pos: number,
  ) {}
}

/** Appended items beyond this share of the heap are placed by rebuilding it whole (O(n)) rather than one by one. */
const REBUILD_SHARE = 0.125;

/**
 * Which records change on their own, and when: a binary min-heap in which every item knows its
 * place, so replacing or removing a record takes its item out at once in O(log n). Nothing stale
 * piles up, so no sweep or rebuild of a large heap ever stalls a running store, and no map of keys
 * is needed: each stored version owns its item. New items are appended unordered and put in place
 * at the next query or removal, all at once (O(n)) when there are many, so loading a million
 * records costs no sifting.
 */
export class DueIndex {
  #heap: DueItem[] = [];
  /** Items from this index on were appended and are not in heap order yet. */
  #placed = 0;

  get size(): number {
    return this.#heap.length;
  }

  /** A version of a record with a due time is now stored. */
  add({ ns, collection, id, dueAt }: DueRecord, owner: DueOwner): void {
    if (owner.due !== null) this.remove(owner);
    const item = new DueItem(dueAt, ns, collection, id, owner, this.#heap.length);
    owner.due = item;
    this.#heap.push(item);
  }

  /**
   * A new version (`owner`) of a record replaces `previous`, with `dueAt` (null: none). When the
   * previous version had an item, it moves over and up or down to its new place (one short sift,
   * nothing allocated, instead of a removal and an insertion) or leaves, and this returns true;
   * otherwise it returns false and the caller adds the new version's due time, if any.
   */
  replace(previous: DueOwner, owner: DueOwner, dueAt: number | null): boolean {
    const item = previous.due;
    if (item === null) return false;
    if (previous === owner) return true;
    if (dueAt === null) {
      this.remove(previous);
      return true;
    }
    if (owner.due !== null) this.remove(owner);
    previous.due = null;
    item.owner = owner;
    owner.due = item;
    if (item.dueAt === dueAt) return true;
    // Sift only within the ordered heap: appended items are placed first.
    this.#order();
    const earlier = dueAt < item.dueAt;
    item.dueAt = dueAt;
    if (earlier) this.#siftUp(item.pos);
    else siftDown(this.#heap, item.pos, item);
    return true;
  }

  /** A version is no longer stored (replaced or deleted): its item leaves the heap. */
  remove(owner: DueOwner): void {
    const item = owner.due;
    if (item === null) return;
    owner.due = null;
    this.#order();
    const heap = this.#heap;
    const last = heap.pop()!;
    this.#placed = heap.length;
    if (last === item) return;
    // The last item takes the removed one's place, then moves up or down to where it belongs.
    last.pos = item.pos;
    heap[item.pos] = last;
    if (last.pos > 0 && compareDue(last, heap[(last.pos - 1) >> 1]!) < 0) this.#siftUp(last.pos);
    else siftDown(heap, last.pos, last);
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
      out.push(recordOf(item));
      const left = 2 * i + 1;
      if (left < heap.length) stack.push(left);
      if (left + 1 < heap.length) stack.push(left + 1);
    }
    return out.sort(compareDue);
  }

  /** The earliest dueAt, or null. */
  next(): number | null {
    this.#order();
    return this.#heap[0]?.dueAt ?? null;
  }

  /** Every record, earliest first. */
  all(): DueRecord[] {
    return this.#heap.map(recordOf).sort(compareDue);
  }

  /** Puts appended items in heap order: one by one when few, else by rebuilding. */
  #order(): void {
    const heap = this.#heap;
    if (this.#placed === heap.length) return;
    if (heap.length - this.#placed > heap.length * REBUILD_SHARE) {
      // Bottom-up (Floyd, O(n)).
      for (let i = (heap.length >> 1) - 1; i >= 0; i--) siftDown(heap, i, heap[i]!);
    } else {
      for (let i = this.#placed; i < heap.length; i++) this.#siftUp(i);
    }
    this.#placed = heap.length;
  }

  #siftUp(from: number): void {
    const heap = this.#heap;
    const item = heap[from]!;
    let i = from;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const above = heap[parent]!;
      if (compareDue(above, item) <= 0) break;
      heap[i] = above;
      above.pos = i;
      i = parent;
    }
    heap[i] = item;
    item.pos = i;
  }
}

/** Moves `item` (now at `from`) down to where it belongs, updating positions. */
function siftDown(heap: DueItem[], from: number, item: DueItem): void {
  let i = from;
  for (;;) {
    const left = 2 * i + 1;
    if (left >= heap.length) break;
    const right = left + 1;
    const child = right < heap.length && compareDue(heap[right]!, heap[left]!) < 0 ? right : left;
    const below = heap[child]!;
    if (compareDue(below, item) >= 0) break;
    heap[i] = below;
    below.pos = i;
    i = child;
  }
  heap[i] = item;
  item.pos = i;
}

/** What callers get: a plain frozen record, not the heap's item. */
function recordOf(item: DueItem): DueRecord {
  return Object.freeze({ ns: item.ns, collection: item.collection, id: item.id, dueAt: item.dueAt });
}
