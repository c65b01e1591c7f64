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

describe('Settler and a clock moved back during a pass', () => {
  it('keeps the schedule of a dispute that is no longer due, so its deadline still passes with nobody reading it', async () => {
    const deadline = Date.UTC(2030, 0, 10);
    const clock = new ControlledClock(() => deadline + 1000);
    const inner = createStore('memory');
    await inner.open();
    const dispute = { dispute: { disputeId: 'S01-1111111-2222222-B000001', statusDetails: { state: 'ActionRequired' } }, meta: { environment: 'sandbox', deadlineMs: deadline } };
    await inner.transact('m1', () => ({ puts: [{ collection: 'disputes', id: dispute.dispute.disputeId, value: dispute, dueAt: deadline }], result: null }));
    // The pass finds the dispute due; before its transaction runs, the control API moves the clock back an hour.
    const store = Object.assign(Object.create(inner), {
      transact(ns: string, work: Parameters<typeof inner.transact>[1]) {
        clock.advance(-3_600_000);
        return inner.transact(ns, work);
      },
    });
    const settler = new Settler(store, new ClockBook(clock), 'http://127.0.0.1:9');
    try {
      await settler.settleAll();
      expect(await inner.nextDue()).toBe(deadline);
    } finally {
      await settler.stop();
      await inner.close();
    }
  });
});

describe('Settler and merchants on clocks of their own', () => {
  it('checks a call against its own merchant\'s schedule only, however far its clock is ahead of the others\'', async () => {
    const store = createStore('memory');
    await store.open();
    const clocks = new ClockBook(new ControlledClock(() => 0));
    // 500 records of a merchant whose clock has not reached them, and one of the caller's.
    await store.transact('slow', () => ({ puts: Array.from({ length: 500 }, (_, i) => ({ collection: 'settings' as const, id: `s${i}`, value: { i }, dueAt: 1000 + i })), result: null }));
    await store.transact('fast', () => ({ puts: [{ collection: 'settings', id: 'own', value: { n: 1 }, dueAt: 20_000 }], result: null }));
    clocks.control('fast').advance(10_000);
    const looked: number[] = [];
    const due = store.due.bind(store);
    store.due = async (now, ns) => {
      const records = await due(now, ns);
      looked.push(records.length);
      return records;
    };
    const settler = new Settler(store, clocks, 'http://127.0.0.1:9');
    await settler.settleNamespace('fast');
    expect(looked).toEqual([]); // its own record is not due yet: one lookup, no walk through 'slow'
    clocks.control('fast').advance(15_000);
    await settler.settleNamespace('fast');
    expect(looked).toEqual([1, 0]); // its own record, settled (a stale schedule, cleared), and nothing of 'slow'
    expect(await store.nextDue('fast')).toBeNull();
    expect(await store.nextDue('slow')).toBe(1000);
    expect(await store.nextDue()).toBe(1000);
  });
});
