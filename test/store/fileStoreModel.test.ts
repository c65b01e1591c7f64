import { cp } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FileStore, collections, type Collection, type EmbeddedEngine } from '../../server/store/index.js';
import { tempDirs } from './tempDir.js';

const temp = tempDirs();
afterEach(() => temp.cleanup());

function random(seed: number): () => number {
  return () => {
    seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
    return seed / 2 ** 31;
  };
}

/** The directory as a crash would leave it now; again if a background compaction deleted a file mid-copy. */
async function crashCopy(dir: string): Promise<string> {
  for (;;) {
    const copy = await temp.make();
    try {
      await cp(dir, copy, { recursive: true });
      return copy;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
  }
}

/** Everything a store holds, in a comparable form. */
function dump(store: EmbeddedEngine): unknown {
  const records: Record<string, unknown> = {};
  for (const ns of store.namespaces()) {
    for (const collection of collections) {
      const list = store.list(ns, collection);
      if (list.length > 0) records[`${ns}/${collection}`] = list;
    }
  }
  return { records, due: store.due(Number.MAX_SAFE_INTEGER) };
}

describe('FileStore against a naive model', () => {
  it('reads back the same state after restarts and crashes, whatever the mix of commits, deletes, resets and compactions', async () => {
    const next = random(7);
    const dir = await temp.make();
    let file = path.join(dir, 'db.json');
    let store = new FileStore(file, { compactEvery: 7 });
    await store.open();
    const model = new Map<string, { value: unknown; dueAt: number | null }>();
    const pending: Promise<void>[] = [];
    const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!;

    for (let step = 0; step < 600; step++) {
      const roll = next();
      if (roll < 0.85) {
        const ns = pick(['m1', 'm2', 'm3']);
        const puts = Array.from({ length: 1 + Math.floor(next() * 3) }, () => {
          const collection: Collection = pick(['charges', 'refunds', 'checkoutSessions']);
          const id = `id${Math.floor(next() * 15)}`;
          const value = next() < 0.2 ? null : { step, nested: { list: [step, id] } };
          const dueAt = next() < 0.5 ? Math.floor(next() * 1000) : null;
          return { collection, id, value, dueAt };
        });
        pending.push(store.commit(ns, puts));
        for (const p of puts) {
          // Deleting and re-adding moves a record to the end, as a Map does.
          const key = `${ns}\u0000${p.collection}\u0000${p.id}`;
          if (p.value === null) model.delete(key);
          else model.set(key, { value: p.value, dueAt: p.dueAt });
        }
      } else if (roll < 0.88) {
        const ns = next() < 0.5 ? undefined : pick(['m1', 'm2', 'm3']);
        pending.push(store.reset(ns));
        for (const key of [...model.keys()]) if (ns === undefined || key.startsWith(`${ns}\u0000`)) model.delete(key);
      } else if (roll < 0.92) {
        pending.push(store.compact().catch(() => {}));
      } else if (roll < 0.96) {
        // Crash: copy the files as they are once the commits so far are acknowledged.
        await Promise.all(pending.splice(0));
        const copy = await crashCopy(path.dirname(file));
        const survivor = new FileStore(path.join(copy, 'db.json'), { compactEvery: 7 });
        await survivor.open();
        expect(dump(survivor)).toEqual(dump(store));
        await store.close();
        store = survivor;
        file = path.join(copy, 'db.json');
      } else {
        await Promise.all(pending.splice(0));
        await store.close();
        store = new FileStore(file, { compactEvery: 7 });
        await store.open();
      }
      const expected = new Map<string, Map<string, unknown[]>>();
      for (const [key, { value }] of model) {
        const [ns, collection] = key.split('\u0000') as [string, string];
        expect(store.get(ns, collection as Collection, key.split('\u0000')[2]!)).toEqual(value);
        if (!expected.has(ns)) expected.set(ns, new Map());
        const list = expected.get(ns)!.get(collection) ?? [];
        list.push(value);
        expected.get(ns)!.set(collection, list);
      }
      expect(store.namespaces()).toEqual([...expected.keys()].sort());
      for (const [ns, byCollection] of expected) {
        for (const [collection, list] of byCollection) expect(store.list(ns, collection as Collection)).toEqual(list);
      }
      expect(store.due(Number.MAX_SAFE_INTEGER).length).toBe([...model.values()].filter((r) => r.value !== null && r.dueAt !== null).length);
    }
    await Promise.all(pending);
    await store.close();
    const before = dump(store);
    const reopened = new FileStore(file);
    await reopened.open();
    expect(dump(reopened)).toEqual(before);
    await reopened.close();
  });
});
