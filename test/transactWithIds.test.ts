import { describe, expect, it } from 'vitest';
import type { IdGenerator } from '../server/domain/ids.js';
import { RandomIdGenerator } from '../server/ids/randomIdGenerator.js';
import { seededRandom } from '../server/ids/random.js';
import { createStore } from '../server/store/createStore.js';
import { replayingIds, transactWithIds } from '../server/transactWithIds.js';

/** A seeded generator that counts the calls made to it (its own methods calling each other count once). */
function countingIds(): { ids: IdGenerator; drawn: () => number } {
  const inner = new RandomIdGenerator(seededRandom('replay'));
  let drawn = 0;
  const ids = {
    uuid: () => (drawn++, inner.uuid()),
    digits: (count: number) => (drawn++, inner.digits(count)),
    alphanumeric: (count: number) => (drawn++, inner.alphanumeric(count)),
    chargeId: (base: string) => (drawn++, inner.chargeId(base)),
  } as unknown as IdGenerator;
  return { ids, drawn: () => drawn };
}

describe('transactWithIds', () => {
  it('gives a run that the store repeats the ids the first run drew, drawing none anew', async () => {
    const store = createStore('memory');
    await store.open();
    const { ids, drawn } = countingIds();
    const written = store.transact('m1', () => ({ puts: [{ collection: 'charges', id: 'C1', value: { n: 1 } }], result: undefined }));
    const seen: string[][] = [];
    const result = await transactWithIds({ store, ids }, 'm1', (view, runIds) => {
      view.get('charges', 'C1'); // in flight on the first run: the store runs the work again
      const run = [runIds.uuid(), runIds.digits(4), runIds.chargeId('S01-1234567-1234567')];
      seen.push(run);
      return { puts: [{ collection: 'charges', id: run[2]!, value: { run } }], result: run };
    });
    await written;
    expect(seen).toHaveLength(2);
    expect(seen[1]).toEqual(seen[0]);
    expect(result).toEqual(seen[0]);
    expect(drawn()).toBe(3);
    await store.close();
  });
});

describe('replayingIds', () => {
  it('replays the same calls in the same order, and draws anew from where a run takes another path', () => {
    const { ids, drawn } = countingIds();
    const replaying = replayingIds(ids);
    const first = [replaying.ids.uuid(), replaying.ids.digits(3)];
    replaying.rewind();
    const again = replaying.ids.uuid();
    const other = replaying.ids.alphanumeric(5);
    expect(again).toBe(first[0]);
    expect(other).toMatch(/^[A-Z0-9]{5}$/);
    expect(drawn()).toBe(3);
    replaying.rewind();
    expect([replaying.ids.uuid(), replaying.ids.alphanumeric(5)]).toEqual([again, other]);
    expect(drawn()).toBe(3);
  });

  it('draws anew when the same method is called with other arguments', () => {
    const { ids, drawn } = countingIds();
    const replaying = replayingIds(ids);
    const short = replaying.ids.digits(3);
    replaying.rewind();
    const long = replaying.ids.digits(6);
    expect(short).toHaveLength(3);
    expect(long).toHaveLength(6);
    expect(drawn()).toBe(2);
  });

  it('keeps each transaction\'s draws to itself, on the same source', () => {
    const { ids } = countingIds();
    const a = replayingIds(ids);
    const b = replayingIds(ids);
    const fromA = a.ids.uuid();
    const fromB = b.ids.uuid();
    expect(fromB).not.toBe(fromA);
    a.rewind();
    b.rewind();
    expect([a.ids.uuid(), b.ids.uuid()]).toEqual([fromA, fromB]);
  });
});
