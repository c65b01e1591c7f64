import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { MemoryStore } from '../../server/store/memoryStore.js';
import { readSnapshot, writeSnapshot } from '../../server/store/snapshot.js';
import { tempDirs } from './tempDir.js';

const temp = tempDirs();
afterEach(() => temp.cleanup());

describe('writeSnapshot', () => {
  it('lets the event loop run between slices while it writes many records, and the snapshot reads back whole', async () => {
    const N = 20_000;
    const state = new MemoryStore({ coldAfterMs: Infinity });
    for (let i = 0; i < N; i += 1000) {
      await state.commit('m1', Array.from({ length: 1000 }, (_, k) => ({ collection: 'charges' as const, id: `C${i + k}`, value: { n: i + k, note: 'é'.repeat(k % 7) }, dueAt: (i + k) % 3 === 0 ? i + k : null })));
    }
    const file = path.join(await temp.make(), 'db.json');
    // Count turns of the event loop while the snapshot is written: a chain of setImmediate callbacks
    // advances once per turn, so it moves only when the writer yields.
    let turns = 0;
    let writing = true;
    const tick = () => {
      turns++;
      if (writing) setImmediate(tick);
    };
    setImmediate(tick);
    const written = await writeSnapshot(file, state, { logGeneration: 1, sliceMs: 0 }); // a slice of 0 ms: yield whenever it checks
    writing = false;
    expect(written.records).toBe(N);
    // It checks every 64 records; without slices only its few file writes would let the loop turn.
    expect(turns).toBeGreaterThanOrEqual(N / 64 / 2);

    const back = new MemoryStore({ coldAfterMs: Infinity });
    expect(await readSnapshot(file, back)).toEqual({ logGeneration: 1, records: N });
    expect(back.list('m1', 'charges')).toEqual(state.list('m1', 'charges'));
    expect(back.dueRecords()).toEqual(state.dueRecords());
  });

  it('writes every line exactly as JSON.stringify would, packed or not, whatever the ids hold', async () => {
    let now = 1_000;
    const state = new MemoryStore({ coldAfterMs: 10, now: () => now });
    const ids = ['plain-1', 'with "quote"', 'back\\slash', 'line\u2028sep', 'ünï', 'a/b+c=d:e~f.g'];
    await state.commit('ns "odd"', ids.map((id, i) => ({ collection: 'charges' as const, id, value: { i, text: `v${i}` }, dueAt: i % 2 === 0 ? 1.5 * i : null })));
    now += 11;
    await state.packCold();
    await state.commit('m1', [{ collection: 'refunds', id: 'hot', value: { hot: true } }]); // stays hot
    const file = path.join(await temp.make(), 'db.json');
    await writeSnapshot(file, state, { logGeneration: 3 });
    const lines = (await readFile(file, 'utf8')).trimEnd().split('\n');
    expect(lines.filter((l) => l.startsWith('["z"'))).toHaveLength(ids.length);
    expect(lines.filter((l) => l.startsWith('["r"'))).toHaveLength(1);
    for (const line of lines) expect(line).toBe(JSON.stringify(JSON.parse(line)));
    const back = new MemoryStore({ coldAfterMs: Infinity });
    await readSnapshot(file, back);
    for (const id of ids) expect(back.get('ns "odd"', 'charges', id)).toEqual(state.get('ns "odd"', 'charges', id));
    expect(back.dueRecords()).toEqual(state.dueRecords());
  });
});
