import { describe, expect, it } from 'vitest';
import { DueIndex, compareDue } from '../../server/store/dueIndex.js';
import type { Collection, DueRecord } from '../../server/store/store.js';

/** A small deterministic PRNG, so a failure reproduces. */
function random(seed: number): () => number {
  return () => {
    seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
    return seed / 2 ** 31;
  };
}

describe('DueIndex', () => {
  it('agrees with a naive model over many random sets, removals and clears', () => {
    const next = random(42);
    const index = new DueIndex();
    const model = new Map<string, DueRecord>();
    const collections: Collection[] = ['charges', 'refunds'];
    for (let step = 0; step < 2000; step++) {
      const ns = `m${Math.floor(next() * 3)}`;
      const collection = collections[Math.floor(next() * 2)]!;
      const id = `id${Math.floor(next() * 40)}`;
      const key = `${ns}/${collection}/${id}`;
      const roll = next();
      if (roll < 0.6) {
        const dueAt = Math.floor(next() * 100);
        index.set(ns, collection, id, dueAt);
        model.set(key, { ns, collection, id, dueAt });
      } else if (roll < 0.99) {
        index.set(ns, collection, id, null);
        model.delete(key);
      } else {
        index.clear(ns);
        for (const [k, r] of model) if (r.ns === ns) model.delete(k);
      }
      const now = Math.floor(next() * 100);
      const expected = [...model.values()].sort(compareDue);
      expect(index.due(now)).toEqual(expected.filter((r) => r.dueAt <= now));
      expect(index.next()).toBe(expected[0]?.dueAt ?? null);
      expect(index.size).toBe(model.size);
    }
  });
});
