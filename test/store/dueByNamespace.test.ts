import { describe, expect, it } from 'vitest';
import { DueByNamespace } from '../../server/store/dueByNamespace.js';
import { compareDue, type DueOwner } from '../../server/store/dueIndex.js';
import type { Collection, DueRecord } from '../../server/store/store.js';
import { seededRandom as random } from '../helpers/seededRandom.js';

describe('DueByNamespace', () => {
  it('answers each namespace and all of them like a naive model, over random versions and removals', () => {
    const next = random(7);
    const index = new DueByNamespace();
    const model = new Map<string, DueRecord>();
    const versions = new Map<string, DueOwner>();
    const namespaces = ['m0', 'm1', 'm2', 'm3'];
    const collections: Collection[] = ['charges', 'refunds'];
    const expectAgreement = (now: number) => {
      const all = [...model.values()];
      expect(index.due(now)).toEqual(all.filter((r) => r.dueAt <= now).sort(compareDue));
      expect(index.next()).toBe(all.length ? Math.min(...all.map((r) => r.dueAt)) : null);
      expect(index.size).toBe(all.length);
      for (const ns of namespaces) {
        const own = all.filter((r) => r.ns === ns);
        expect(index.due(now, ns)).toEqual(own.filter((r) => r.dueAt <= now).sort(compareDue));
        expect(index.next(ns)).toBe(own.length ? Math.min(...own.map((r) => r.dueAt)) : null);
      }
    };
    for (let step = 0; step < 1200; step++) {
      const ns = namespaces[Math.floor(next() * namespaces.length)]!;
      const collection = collections[Math.floor(next() * 2)]!;
      const id = `id${Math.floor(next() * 30)}`;
      const key = `${ns}/${collection}/${id}`;
      const previous = versions.get(key);
      const roll = next();
      if (roll < 0.6) {
        // A new version, with a due time or (a fifth of the time) without one.
        const dueAt = next() < 0.8 ? Math.floor(next() * 100) : null;
        const version: DueOwner = { due: null };
        const moved = previous !== undefined && next() < 0.5 ? index.replace(ns, previous, version, dueAt) : (previous && index.remove(ns, previous), false);
        if (dueAt !== null && !moved) index.add({ ns, collection, id, dueAt }, version);
        versions.set(key, version);
        if (dueAt === null) model.delete(key);
        else model.set(key, { ns, collection, id, dueAt });
      } else if (previous) {
        index.remove(ns, previous);
        versions.delete(key);
        model.delete(key);
      }
      if (step % 25 === 0) expectAgreement(Math.floor(next() * 110));
    }
    expectAgreement(1000);
  });

  it('forgets a namespace once nothing of it is scheduled', () => {
    const index = new DueByNamespace();
    const a: DueOwner = { due: null };
    const b: DueOwner = { due: null };
    index.add({ ns: 'm1', collection: 'charges', id: 'a', dueAt: 5 }, a);
    index.add({ ns: 'm2', collection: 'charges', id: 'b', dueAt: 9 }, b);
    expect(index.replace('m1', a, { due: null }, null)).toBe(true);
    expect(index.next('m1')).toBeNull();
    expect(index.next()).toBe(9);
    index.remove('m2', b);
    expect(index.size).toBe(0);
    expect(index.due(100)).toEqual([]);
  });
});
