import { cp, readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FileStore, collections, type Collection, type EmbeddedEngine, type FileStoreOptions } from '../../server/store/index.js';
import { tempDirs } from './tempDir.js';
import { seededRandom as random } from '../helpers/seededRandom.js';

const temp = tempDirs();
afterEach(() => temp.cleanup());

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

/**
 * A crash now: opens a store on a copy of the files as they are (`beforeOpen` sees the copy first),
 * checks it holds what `store` holds, and closes `store`. Returns the survivor and its file.
 */
async function survive(store: FileStore, file: string, options: FileStoreOptions, beforeOpen?: (copy: string) => Promise<void>): Promise<{ store: FileStore; file: string }> {
  const copy = await crashCopy(path.dirname(file));
  await beforeOpen?.(copy);
  const survivor = new FileStore(path.join(copy, 'db.json'), options);
  await survivor.open();
  expect(dump(survivor)).toEqual(dump(store));
  await store.close();
  return { store: survivor, file: path.join(copy, 'db.json') };
}

/** A clean stop and a start on the same file. */
async function reopen(store: FileStore, file: string, options: FileStoreOptions): Promise<FileStore> {
  await store.close();
  const next = new FileStore(file, options);
  await next.open();
  return next;
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
        ({ store, file } = await survive(store, file, { compactEvery: 7 }));
      } else {
        await Promise.all(pending.splice(0));
        store = await reopen(store, file, { compactEvery: 7 });
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

describe('FileStore against a naive model, new versions built from the stored ones', () => {
  it('reads back every version logged as a patch, byte for byte, after restarts, crashes and compactions taken while commits go on', async () => {
    const next = random(11);
    const dir = await temp.make();
    let file = path.join(dir, 'db.json');
    const options = { compactEvery: 9, coldAfterMs: 0 };
    let store = new FileStore(file, options);
    await store.open();
    // What each record should serialize to: JSON text keeps the key order a replay must keep too.
    const model = new Map<string, string>();
    const pending: Promise<void>[] = [];
    const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!;
    const keyOf = (ns: string, collection: Collection, id: string) => `${ns}\u0000${collection}\u0000${id}`;
    let patched = 0;

    /** A new version made the way the domain makes one: spread the stored version and change a few parts. */
    const newVersion = (base: Record<string, any> | undefined, step: number): unknown => {
      if (base === undefined) {
        const fresh: Record<string, unknown> = { id: step, status: { state: 'Open', at: step }, buyer: { name: `b${step}` }, list: [step], note: null };
        if (next() < 0.2) Object.defineProperty(fresh, '__proto__', { value: { p: step }, enumerable: true, writable: true, configurable: true });
        return fresh;
      }
      const kind = next();
      if (kind < 0.35) return { ...base, status: { ...base.status, state: `s${step}` } };
      if (kind < 0.5) return { ...base, note: `n${step}`, list: [...base.list, step] };
      if (kind < 0.6) return { ...base, [`extra${step % 3}`]: step }; // a key added (or one already there changed)
      if (kind < 0.7) {
        const { note: _dropped, ...rest } = base; // a key removed
        return rest;
      }
      if (kind < 0.78) return { ...base, note: undefined }; // dropped by JSON
      if (kind < 0.86) return { ...base, buyer: { name: base.buyer?.name, email: `e${step}` } }; // nested keys changed
      if (kind < 0.93) return { ...base, status: { ...base.status, at: step }, buyer: base.buyer };
      return { ...base }; // nothing changed
    };

    for (let step = 0; step < 700; step++) {
      const roll = next();
      if (roll < 0.84) {
        const ns = pick(['m1', 'm2']);
        const collection: Collection = pick(['charges', 'checkoutSessions']);
        const id = `id${Math.floor(next() * 12)}`;
        const value = next() < 0.08 ? null : newVersion(store.get(ns, collection, id), step);
        const puts = [{ collection, id, value, dueAt: next() < 0.3 ? step : null }];
        if (value !== null && next() < 0.15) {
          // One commit writing the record twice: the second version is a patch of the first.
          const again = newVersion(value as Record<string, any>, step + 0.5);
          puts.push({ collection, id, value: again, dueAt: next() < 0.5 ? step : null });
          model.set(keyOf(ns, collection, id), JSON.stringify(again));
        }
        pending.push(store.commit(ns, puts));
        if (value === null) model.delete(keyOf(ns, collection, id));
        else if (puts.length === 1) model.set(keyOf(ns, collection, id), JSON.stringify(value));
      } else if (roll < 0.86) {
        const ns = pick(['m1', 'm2']);
        pending.push(store.reset(ns));
        for (const key of [...model.keys()]) if (key.startsWith(`${ns}\u0000`)) model.delete(key);
      } else if (roll < 0.92) {
        // Commits go on while the snapshot is written, so it may hold versions newer than the log's first patches.
        pending.push(store.compact().catch(() => {}));
      } else if (roll < 0.96) {
        if (next() < 0.5) await store.state.packCold(); // a patch's base may be packed when the log replays
        await Promise.all(pending.splice(0));
        ({ store, file } = await survive(store, file, options, async (copy) => {
          patched += await countPatches(copy);
        }));
      } else {
        await Promise.all(pending.splice(0));
        store = await reopen(store, file, options);
      }
      for (const [key, json] of model) {
        const [ns, collection, id] = key.split('\u0000') as [string, Collection, string];
        expect(JSON.stringify(store.get(ns, collection, id))).toBe(json);
      }
    }
    await Promise.all(pending);
    await store.close();
    patched += await countPatches(path.dirname(file));
    const reopened = new FileStore(file);
    await reopened.open();
    for (const [key, json] of model) {
      const [ns, collection, id] = key.split('\u0000') as [string, Collection, string];
      expect(JSON.stringify(reopened.get(ns, collection, id))).toBe(json);
    }
    await reopened.close();
    // The run did exercise patches (a store logging every version whole would pass the rest).
    expect(patched).toBeGreaterThan(50);
  });
});

/** Puts logged as patches in the log files of a data directory. */
async function countPatches(dir: string): Promise<number> {
  let n = 0;
  for (const name of await readdir(dir)) {
    if (!name.endsWith('.log')) continue;
    for (const line of (await readFile(path.join(dir, name), 'utf8')).split('\n')) {
      if (line === '') continue;
      const entry = JSON.parse(line) as { puts?: { patch?: unknown }[] };
      n += entry.puts?.filter((p) => p.patch !== undefined).length ?? 0;
    }
  }
  return n;
}
