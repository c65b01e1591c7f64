import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FileStore } from '../../server/store/index.js';
import { tempDirs } from './tempDir.js';

const temp = tempDirs();
afterAll(() => temp.cleanup());

const COUNT = 1_000_000;
const PER_COMMIT = 10_000;

describe('FileStore at a million records', () => {
  it('writes a million small records, restarts from its snapshot and log, and reads every one back', { timeout: 300_000 }, async () => {
    const file = path.join(await temp.make(), 'db.json');
    const store = new FileStore(file);
    await store.open();
    for (let start = 0; start < COUNT; start += PER_COMMIT) {
      const puts = [];
      for (let i = start; i < start + PER_COMMIT; i++) puts.push({ collection: 'charges' as const, id: `C${i}`, value: { i, state: 'Open' }, dueAt: i % 1000 === 0 ? i : null });
      await store.commit(`m${start % 3}`, puts);
    }
    await store.compact(); // the snapshot: far past the 512 MiB a single string could hold at real record sizes
    await store.commit('m0', [{ collection: 'charges', id: 'C0', value: { i: 0, state: 'Closed' }, dueAt: 0 }]); // and a log on top
    await store.close();

    const again = new FileStore(file);
    await again.open();
    let seen = 0;
    for (const ns of ['m0', 'm1', 'm2']) {
      const list = again.list<{ i: number }>(ns, 'charges');
      seen += list.length;
      let ordered = true;
      for (let k = 1; k < list.length; k++) ordered &&= list[k]!.i > list[k - 1]!.i;
      expect(ordered).toBe(true);
    }
    expect(seen).toBe(COUNT);
    expect(again.get('m0', 'charges', 'C0')).toEqual({ i: 0, state: 'Closed' });
    expect(again.get('m1', 'charges', `C${PER_COMMIT + 123}`)).toEqual({ i: PER_COMMIT + 123, state: 'Open' });
    expect(again.due(Number.MAX_SAFE_INTEGER)).toHaveLength(COUNT / 1000);
    await again.close();
  });
});
