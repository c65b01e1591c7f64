import { describe, expect, it } from 'vitest';
import { DueIndex, compareDue, type DueOwner } from '../../server/store/dueIndex.js';
import type { Collection, DueRecord } from '../../server/store/store.js';

/** A small deterministic PRNG, so a failure reproduces. */
function random(seed: number): () => number {
  return () => {
    seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
    return seed / 2 ** 31;
  };
}

describe('DueIndex', () => {
  it('agrees with a naive model over many random versions, removals, restores and bulk loads', () => {
    const next = random(42);
    const index = new DueIndex();
    const model = new Map<string, DueRecord>();
    /** The stored version of each record, as the store would hold it. */
    const versions = new Map<string, DueOwner>();
    const collections: Collection[] = ['charges', 'refunds'];
    const put = (ns: string, collection: Collection, id: string, dueAt: number | null, version: DueOwner = { due: null }) => {
      const key = `${ns}/${collection}/${id}`;
      const previous = versions.get(key);
      if (previous) index.remove(previous);
      versions.set(key, version);
      if (dueAt !== null) {
        index.add({ ns, collection, id, dueAt }, version);
        model.set(key, { ns, collection, id, dueAt });
      } else model.delete(key);
      return previous;
    };
    for (let step = 0; step < 1500; step++) {
      const ns = `m${Math.floor(next() * 3)}`;
      const collection = collections[Math.floor(next() * 2)]!;
      const id = `id${Math.floor(next() * 40)}`;
      const key = `${ns}/${collection}/${id}`;
      const roll = next();
      if (roll < 0.5) {
        put(ns, collection, id, Math.floor(next() * 100));
      } else if (roll < 0.8) {
        const version = versions.get(key);
        if (version) index.remove(version);
        versions.delete(key);
        model.delete(key);
      } else if (roll < 0.97) {
        // A commit taken back: the previous version (and its due time) is stored again.
        const before = model.get(key);
        const previous = put(ns, collection, id, Math.floor(next() * 100));
        if (previous) {
          index.remove(versions.get(key)!);
          versions.set(key, previous);
          if (before) index.add({ ns, collection, id, dueAt: before.dueAt }, previous);
        } else {
          index.remove(versions.get(key)!);
          versions.delete(key);
        }
        if (before) model.set(key, before);
        else model.delete(key);
      } else {
        // Many at once, as a snapshot load appends them: placed in one rebuild at the next query.
        for (let k = 0; k < 30; k++) put(`m${k % 3}`, 'charges', `bulk${Math.floor(next() * 60)}`, Math.floor(next() * 100));
      }
      const now = Math.floor(next() * 100);
      const expected = [...model.values()].sort(compareDue);
      expect(index.due(now)).toEqual(expected.filter((r) => r.dueAt <= now));
      expect(index.next()).toBe(expected[0]?.dueAt ?? null);
      expect(index.all()).toEqual(expected);
      expect(index.size).toBe(model.size);
    }
  });
});
