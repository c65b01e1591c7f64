import { describe, expect, it } from 'vitest';
import { Journal, type DeferredEntry, type JournalEntry } from '../../server/journal/journal.js';

const at = (n: number) => Date.UTC(2026, 0, 1, 0, 0, n);

function entry(n: number, merchant = 'm1'): Omit<JournalEntry, 'id'> {
  return { time: new Date(at(n)).toISOString(), merchant, publicKeyId: null, operation: `op${n}`, method: 'GET', path: '/', status: 200, durationMs: 1, reasonCode: null, scenario: null, replayed: false, objectIds: [], request: { headers: {}, body: null }, response: { body: null }, proxy: null, signature: null };
}

/** A deferred entry that counts how often it is built. */
function deferred(n: number, merchant = 'm1') {
  const counter = { builds: 0 };
  const toRecord: DeferredEntry = {
    at: at(n),
    merchant,
    build: () => {
      counter.builds++;
      return entry(n, merchant);
    },
  };
  return { toRecord, counter };
}

describe('Journal', () => {
  it('keeps the last N calls newest first as the ring wraps around, ids still rising', () => {
    const journal = new Journal(3);
    for (let n = 1; n <= 7; n++) journal.record(entry(n));
    const entries = journal.query();
    expect(entries.map((e) => e.operation)).toEqual(['op7', 'op6', 'op5']);
    expect(entries.map((e) => e.id)).toEqual([7, 6, 5]);
    expect(journal.size).toBe(3);
  });

  it('builds a deferred entry only when it is read, and only once', () => {
    const journal = new Journal(5);
    const first = deferred(1);
    const second = deferred(2, 'm2');
    journal.record(first.toRecord);
    journal.record(second.toRecord);
    expect([first.counter.builds, second.counter.builds]).toEqual([0, 0]);
    // A merchant filter is answered without building the other merchant's entries.
    expect(journal.query({ merchant: 'm1' }).map((e) => e.operation)).toEqual(['op1']);
    expect([first.counter.builds, second.counter.builds]).toEqual([1, 0]);
    expect(journal.query().map((e) => e.operation)).toEqual(['op2', 'op1']);
    journal.query();
    expect([first.counter.builds, second.counter.builds]).toEqual([1, 1]);
  });

  it('never builds an entry that was overwritten, cleared or dropped by retention before anyone read it', () => {
    const journal = new Journal(2);
    const calls = [1, 2, 3, 4, 5].map((n) => deferred(n, n === 4 ? 'm2' : 'm1'));
    for (const c of calls) journal.record(c.toRecord);
    expect(journal.dropBefore(at(5))).toBe(1); // op4 goes; op5 stays
    expect(journal.clear('m1')).toBe(1);
    expect(journal.query()).toEqual([]);
    expect(calls.map((c) => c.counter.builds)).toEqual([0, 0, 0, 0, 0]);
  });

  it('drops by retention and clears per merchant across the wrap point, keeping the order', () => {
    const journal = new Journal(4);
    for (let n = 1; n <= 6; n++) journal.record(entry(n, n % 2 ? 'odd' : 'even'));
    expect(journal.dropBefore(at(4))).toBe(1); // op3
    expect(journal.clear('odd')).toBe(1); // op5
    journal.record(entry(7, 'odd'));
    expect(journal.query().map((e) => e.operation)).toEqual(['op7', 'op6', 'op4']);
  });

  it('names the merchants it has entries of, without building them', () => {
    const journal = new Journal(3);
    const built = [deferred(1, 'm1'), deferred(2, 'm2'), deferred(3, 'm1')];
    for (const d of built) journal.record(d.toRecord);
    journal.record({ ...entry(4), merchant: null });
    expect(journal.merchants().sort()).toEqual(['m1', 'm2']);
    expect(built.map((d) => d.counter.builds)).toEqual([0, 0, 0]);
    journal.clear('m2');
    expect(journal.merchants()).toEqual(['m1']);
  });

  it('records nothing with a capacity of 0', () => {
    const journal = new Journal(0);
    const call = deferred(1);
    journal.record(call.toRecord);
    expect(journal.query()).toEqual([]);
    expect(call.counter.builds).toBe(0);
  });
});
