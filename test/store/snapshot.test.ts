import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { MemoryStore } from '../../server/store/memoryStore.js';
import { readSnapshot, writeNumber, writeSnapshot } from '../../server/store/snapshot.js';
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

  it('writes times and insertion numbers of any size as JSON does, the 13 digits of a real clock included', async () => {
    let now = 1_796_006_864_323;
    const state = new MemoryStore({ coldAfterMs: 10, now: () => now });
    const dueTimes = [0, 9, 10, 99_999_999, 100_000_000, 100_000_001, 1_796_093_264_323, Number.MAX_SAFE_INTEGER, -5, 2.25];
    await state.commit('m1', dueTimes.map((dueAt, i) => ({ collection: 'charges' as const, id: `C${i}`, value: { i }, dueAt })));
    now += 11;
    await state.packCold();
    const file = path.join(await temp.make(), 'db.json');
    await writeSnapshot(file, state, { logGeneration: 1 });
    const lines = (await readFile(file, 'utf8')).trimEnd().split('\n');
    const records = lines.filter((l) => l.startsWith('["z"'));
    expect(records.map((l) => (JSON.parse(l) as unknown[])[5])).toEqual(dueTimes);
    for (const line of records) expect(line).toBe(JSON.stringify(JSON.parse(line)));
    expect(records.every((l) => (JSON.parse(l) as unknown[])[4] === 1_796_006_864_323)).toBe(true);
  });
});

describe('writeNumber', () => {
  it('writes the same characters as JSON.stringify, and returns where they end', () => {
    const buffer = Buffer.alloc(64);
    for (const n of [0, 7, 10, 12_345_678, 99_999_999, 1e8, 100_000_007, 1_796_006_864_323, 2 ** 53 - 1, 2 ** 53, -1, 0.5, 1e21, NaN, Infinity]) {
      const end = writeNumber(buffer, 3, n);
      expect(buffer.toString('latin1', 3, end)).toBe(JSON.stringify(n));
    }
  });
});
