import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { backgroundSlices, SliceQueue } from '../../server/store/backgroundSlices.js';
import { MemoryStore } from '../../server/store/memoryStore.js';
import { writeSnapshot } from '../../server/store/snapshot.js';
import { tempDirs } from './tempDir.js';

const temp = tempDirs();
afterEach(() => temp.cleanup());

describe('SliceQueue', () => {
  it('gives jobs that run together one slice per turn of the event loop, in the order they asked', async () => {
    const queue = new SliceQueue();
    const log: string[] = [];
    const job = async (name: string, slices: number) => {
      for (let i = 0; i < slices; i++) {
        await queue.next();
        log.push(name);
      }
    };
    let turns = 0;
    let running = true;
    const tick = () => {
      turns++;
      log.push('|');
      if (running) setImmediate(tick);
    };
    setImmediate(tick);
    await Promise.all([job('a', 5), job('b', 5), job('c', 3)]);
    running = false;
    const slices = log.filter((x) => x !== '|');
    expect(slices).toEqual(['a', 'b', 'c', 'a', 'b', 'c', 'a', 'b', 'c', 'a', 'b', 'a', 'b']);
    // Between any two slices the loop turned: never two in the same turn.
    const joined = log.join('');
    expect(joined).not.toMatch(/[abc][abc]/);
    expect(turns).toBeGreaterThanOrEqual(slices.length - 1);
    expect(queue.waiting).toBe(0);
  });

  it('starts a slice in a later turn even when nobody else waits', async () => {
    const queue = new SliceQueue();
    let ran = false;
    const slice = queue.next().then(() => {
      ran = true;
    });
    await Promise.resolve();
    expect(ran).toBe(false);
    await slice;
    expect(ran).toBe(true);
  });
});

describe('the store’s background jobs take turns', () => {
  /** A state with `n` records, all cold (packable) once `now` moves past them. */
  async function coldState(n: number, clock: { now: number }): Promise<MemoryStore> {
    const state = new MemoryStore({ coldAfterMs: 10, now: () => clock.now });
    for (let i = 0; i < n; i += 500) {
      await state.commit('m1', Array.from({ length: Math.min(500, n - i) }, (_, k) => ({ collection: 'charges' as const, id: `C${i + k}`, value: { n: i + k, note: 'x'.repeat(40) } })));
    }
    clock.now += 11;
    return state;
  }

  it('a snapshot and packing cold records running together never work in the same turn of the event loop', async () => {
    const dir = await temp.make();
    const snapshotState = await coldState(6_400, { now: 1_000 });
    const packState = await coldState(100, { now: 1_000 });
    // Each job looks its records up one by one in its state's maps: a lookup marks its work in
    // the log ('w' the snapshot, 'p' packing), and a chain of setImmediate callbacks marks each
    // turn of the event loop ('|').
    const log: string[] = [];
    const watch = (state: MemoryStore, mark: string) => {
      for (const [, , records] of state.groups()) {
        const map = records as Map<string, unknown>;
        const get = map.get.bind(map);
        map.get = (id: string) => {
          log.push(mark);
          return get(id);
        };
      }
    };
    watch(snapshotState, 'w');
    watch(packState, 'p');
    let running = true;
    const tick = () => {
      log.push('|');
      if (running) setImmediate(tick);
    };
    setImmediate(tick);
    // A slice of 0 ms makes each job yield at every check: the snapshot every 64 records, packing after each record.
    const [written, packed] = await Promise.all([writeSnapshot(path.join(dir, 'db.json'), snapshotState, { logGeneration: 1, sliceMs: 0 }), packState.packCold(0)]);
    running = false;
    expect(written.records).toBe(6_400);
    expect(packed).toBe(100);
    const turns = log.join('').split('|');
    const both = turns.filter((turn) => turn.includes('w') && turn.includes('p'));
    // Each on its own setImmediate, the two would run side by side in the same turns.
    expect(both).toEqual([]);
    expect(log.filter((mark) => mark === 'w')).toHaveLength(6_400);
    expect(turns.filter((turn) => turn.includes('p'))).toHaveLength(100);
    expect(backgroundSlices.waiting).toBe(0);
  });

  it('finding expired records waits for its turn like the others, even when its walk is short', async () => {
    const state = await coldState(2_000, { now: 1_000 });
    const packing = state.packCold(0);
    const finding = state.expired(Number.MAX_SAFE_INTEGER);
    // Neither started synchronously: each asked for a slice.
    expect(backgroundSlices.waiting).toBe(2);
    const [packed, expired] = await Promise.all([packing, finding]);
    expect(packed).toBe(2_000);
    expect(expired).toHaveLength(2_000);
    expect(backgroundSlices.waiting).toBe(0);
  });
});
