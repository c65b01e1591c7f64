import { describe, expect, it } from 'vitest';
import { DueIndex, compareDue, type DueOwner } from '../../server/store/dueIndex.js';
import type { Collection, DueRecord } from '../../server/store/store.js';
import { seededRandom as random } from '../helpers/seededRandom.js';

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
      // Half the time as the store replaces a version (the item moves), else as a removal and an insertion.
      const moved = previous !== undefined && next() < 0.5 ? index.replace(previous, version, dueAt) : (previous && index.remove(previous), false);
      versions.set(key, version);
      if (dueAt !== null) {
        if (!moved) index.add({ ns, collection, id, dueAt }, version);
        model.set(key, { ns, collection, id, dueAt });
      } else model.delete(key);
      if (previous) expect(previous.due).toBeNull();
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
      } else if (roll < 0.6) {
        // A new version without a due time: the record leaves the index.
        put(ns, collection, id, null);
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

  it('moves a replaced record\'s item to the new version, earlier or later, without a second item', () => {
    const index = new DueIndex();
    const versions: DueOwner[] = Array.from({ length: 8 }, () => ({ due: null }));
    for (let i = 0; i < 8; i++) index.add({ ns: 'm1', collection: 'charges', id: `C${i}`, dueAt: 10 * (i + 1) }, versions[i]!);
    const later: DueOwner = { due: null };
    expect(index.replace(versions[0]!, later, 75)).toBe(true);
    expect(versions[0]!.due).toBeNull();
    expect(later.due?.owner).toBe(later);
    expect(index.size).toBe(8);
    expect(index.next()).toBe(20);
    const earlier: DueOwner = { due: null };
    expect(index.replace(versions[7]!, earlier, 5)).toBe(true);
    expect(index.next()).toBe(5);
    expect(index.all().map((r) => `${r.id}@${r.dueAt}`)).toEqual(['C7@5', 'C1@20', 'C2@30', 'C3@40', 'C4@50', 'C5@60', 'C6@70', 'C0@75']);
    expect(index.replace(later, { due: null }, null)).toBe(true);
    expect(index.size).toBe(7);
    expect(index.replace({ due: null }, { due: null }, 1)).toBe(false);
  });
});
