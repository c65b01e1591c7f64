import { describe, expect, it } from 'vitest';
import { ClockBook } from '../server/clock/clockBook.js';
import { ControlledClock } from '../server/clock/controlledClock.js';
import { Settler } from '../server/settler.js';
import { createStore } from '../server/store/createStore.js';

/** A store with one record whose schedule is stale (nothing to settle): the background pass clears it. */
async function storeWithStaleSchedule() {
  const store = createStore('memory');
  await store.open();
  await store.transact('m1', () => ({ puts: [{ collection: 'settings', id: 'x', value: { n: 1 }, dueAt: 1 }], result: null }));
  return store;
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('Settler background pass on a shared store', () => {
  it('runs only while this process holds the lease, re-reading the clocks first', async () => {
    const store = await storeWithStaleSchedule();
    const lease = { held: false };
    let passes = 0;
    const settler = new Settler(store, new ClockBook(new ControlledClock(() => Date.now())), 'http://127.0.0.1:9', {
      lease,
      beforePass: async () => {
        passes++;
      },
    });
    settler.start(10);
    try {
      await pause(80);
      expect(passes).toBe(0);
      expect(await store.nextDue()).toBe(1);
      lease.held = true;
      await expect.poll(() => store.nextDue(), { interval: 10 }).toBeNull();
      expect(passes).toBeGreaterThan(0);
      // Nothing scheduled any more: later passes do not even re-read the clocks.
      await pause(30); // a pass that started before the schedule was cleared has finished
      const before = passes;
      await pause(60);
      expect(passes).toBe(before);
    } finally {
      await settler.stop();
      await store.close();
    }
  });
});
