/**
 * A set of things in flight (the server's unfinished responses) kept in an array of reusable slots,
 * for long-lived collections that every request adds to and removes from. (The verify worker's
 * batches, answered in order, use a plain array as a queue for the same reason.)
 *
 * Not a `Set` or `Map` on purpose. V8 keeps what passed through a long-lived `Set` or `Map` with
 * steady additions and removals alive through young-generation collections until the next full
 * collection, so everything such an entry reaches is copied to the old generation: with the
 * server's in-flight responses in a `Set`, each request's whole object graph (request, response,
 * headers, the operation's objects) was promoted. An array whose slot is cleared when the item
 * leaves lets it die young (docs/benchmark-log.md).
 *
 * `add` returns the item's slot; `delete` takes it back (a slot no longer holding that item is
 * left alone, so a second delete is harmless). Iteration visits the items present, in slot order.
 */
export class SlotSet<T> {
  readonly #slots: (T | undefined)[] = [];
  readonly #free: number[] = [];
  #size = 0;

  get size(): number {
    return this.#size;
  }

  add(item: T): number {
    const slot = this.#free.pop() ?? this.#slots.length;
    this.#slots[slot] = item;
    this.#size++;
    return slot;
  }

  delete(slot: number, item: T): void {
    if (this.#slots[slot] !== item || item === undefined) return;
    this.#slots[slot] = undefined;
    this.#free.push(slot);
    this.#size--;
  }

  *[Symbol.iterator](): IterableIterator<T> {
    for (const item of this.#slots) if (item !== undefined) yield item;
  }
}
