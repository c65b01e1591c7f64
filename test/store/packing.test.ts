import path from 'node:path';
import { readFile } from 'node:fs/promises';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterEach, describe, expect, it } from 'vitest';
import { FileStore, MemoryStore } from '../../server/store/index.js';
import { MAX_DICTIONARY, Packer } from '../../server/store/packing.js';
import { tempDirs } from './tempDir.js';

const temp = tempDirs();
afterEach(() => temp.cleanup());

/** A record shaped like a checkout session: many keys, many nulls, a few unique values. */
function sessionLike(i: number): Record<string, unknown> {
  return {
    checkoutSessionId: `0000${i}-aaaa-4bbb-8ccc-${String(i).padStart(12, '0')}`,
    webCheckoutDetails: { checkoutReviewReturnUrl: 'https://merchant.example/review', checkoutResultReturnUrl: 'https://merchant.example/result', amazonPayRedirectUrl: null },
    paymentDetails: { paymentIntent: 'Authorize', canHandlePendingAuthorization: false, chargeAmount: { amount: `${i}.00`, currencyCode: 'USD' }, totalOrderAmount: null },
    statusDetails: { state: 'Open', reasonCode: null, reasonDescription: null, lastUpdatedTimestamp: '20261129T120000Z' },
    buyer: null, shippingAddress: null, billingAddress: null, paymentPreferences: [null], constraints: [],
    creationTimestamp: '20261129T120000Z', expirationTimestamp: '20261130T120000Z', chargePermissionId: null, chargeId: null,
    merchantMetadata: { merchantReferenceId: `order-${i}`, merchantStoreName: 'Demo Store', noteToBuyer: null, customInformation: null },
  };
}

describe('Packer', () => {
  it('packs a record far below its JSON size with a dictionary of its collection, and unpacks it exactly', () => {
    const packer = new Packer();
    const samples = [1, 2, 3].map((i) => JSON.stringify(sessionLike(i)));
    packer.chooseDictionary('checkoutSessions', samples);
    const json = JSON.stringify(sessionLike(42));
    const packed = packer.pack('checkoutSessions', json);
    expect(packed.length).toBeLessThan(json.length / 5);
    expect(packer.unpack('checkoutSessions', packed)).toBe(json);
  });

  it('chooses a dictionary of whole samples no longer than 8 KiB, the most typical sample last', () => {
    const packer = new Packer();
    const samples = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12].map((i) => JSON.stringify(sessionLike(i)));
    packer.chooseDictionary('checkoutSessions', samples);
    const dictionary = packer.dictionary('checkoutSessions')!.toString();
    expect(MAX_DICTIONARY).toBe(8 * 1024);
    expect(dictionary.length).toBeLessThanOrEqual(MAX_DICTIONARY);
    // As many whole samples as fit: one more would not have.
    expect(dictionary.length + samples[0]!.length).toBeGreaterThan(MAX_DICTIONARY);
    expect(dictionary.endsWith(samples[0]!)).toBe(true);
    const json = JSON.stringify(sessionLike(42));
    expect(packer.unpack('checkoutSessions', packer.pack('checkoutSessions', json))).toBe(json);
  });

  it('still unpacks records packed with a longer dictionary an older version chose', () => {
    const packer = new Packer();
    const old = Buffer.from([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 37, 38, 39, 40].map((i) => JSON.stringify(sessionLike(i))).join('').slice(0, 32 * 1024));
    packer.setDictionary('checkoutSessions', old);
    const json = JSON.stringify(sessionLike(7));
    expect(packer.unpack('checkoutSessions', packer.pack('checkoutSessions', json))).toBe(json);
  });

  it('never changes a dictionary once chosen (packed records depend on it)', () => {
    const packer = new Packer();
    packer.chooseDictionary('charges', ['{"a":1}']);
    packer.chooseDictionary('charges', ['{"b":2}']);
    expect(packer.dictionary('charges')!.toString()).toBe('{"a":1}');
    expect(() => packer.setDictionary('charges', Buffer.from('{"c":3}'))).toThrow(/already set/);
  });
});

describe('MemoryStore: packing cold records', () => {
  it('packs records nobody touched for coldAfterMs, and reads them back unchanged and frozen', async () => {
    let now = 1_000;
    const store = new MemoryStore({ coldAfterMs: 100, now: () => now });
    for (let i = 0; i < 50; i++) await store.commit('m1', [{ collection: 'checkoutSessions', id: `S${i}`, value: sessionLike(i) }]);
    now += 101;
    expect(await store.packCold()).toBe(50);
    const stats = store.stats();
    expect(stats.packed).toBe(50);
    expect(stats.packedBytes / 50).toBeLessThan(JSON.stringify(sessionLike(1)).length / 5);
    const read = store.get<Record<string, unknown>>('m1', 'checkoutSessions', 'S7')!;
    expect(read).toEqual(sessionLike(7));
    expect(Object.isFrozen(read.paymentDetails)).toBe(true);
    expect(store.list('m1', 'checkoutSessions')).toHaveLength(50);
    await store.close();
  });

  it('keeps touched records hot: a record read again is not packed until it rests again', async () => {
    let now = 0;
    const store = new MemoryStore({ coldAfterMs: 100, now: () => now });
    await store.commit('m1', [{ collection: 'charges', id: 'C1', value: { n: 1 } }, { collection: 'charges', id: 'C2', value: { n: 2 } }]);
    now = 101;
    await store.packCold();
    store.get('m1', 'charges', 'C1'); // unpacked, hot again
    now = 150;
    expect(await store.packCold()).toBe(0);
    expect(store.stats()).toMatchObject({ hot: 1, packed: 1 });
    now = 202;
    expect(await store.packCold()).toBe(1);
  });
});

/** A full garbage collection (the flag makes `gc` available to new contexts). */
function collectGarbage(): void {
  setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
}

describe('MemoryStore: what waits to be packed', () => {
  it('does not keep a replaced or deleted version alive until it would have been packed', async () => {
    const store = new MemoryStore({ coldAfterMs: 60_000 });
    const refs: WeakRef<object>[] = [];
    const commitVersion = async (id: string, n: number) => {
      await store.commit('m1', [{ collection: 'charges', id, value: { n, nested: { big: 'x'.repeat(1000) } } }]);
      refs.push(new WeakRef(store.get<object>('m1', 'charges', id)!)); // the version the store holds
    };
    await commitVersion('C1', 1);
    await commitVersion('C2', 1);
    await commitVersion('C1', 2);
    await store.commit('m1', [{ collection: 'charges', id: 'C2', value: null }]);
    await nextTurn(); // WeakRef targets are held until the current job ends
    collectGarbage();
    expect(refs.map((ref) => ref.deref() !== undefined)).toEqual([false, false, true]);
    expect(store.get('m1', 'charges', 'C1')).toEqual({ n: 2, nested: { big: 'x'.repeat(1000) } });
    await store.close();
  });
});

describe('FileStore: packed records on disk', () => {
  it('writes packed records and their dictionary into the snapshot and reads them back after a restart', async () => {
    const file = path.join(await temp.make(), 'db.json');
    let now = 1_000;
    const store = new FileStore(file, { coldAfterMs: 100, now: () => now });
    await store.open();
    for (let i = 0; i < 30; i++) await store.commit('m1', [{ collection: 'checkoutSessions', id: `S${i}`, value: sessionLike(i), dueAt: i }]);
    await store.commit('m1', [{ collection: 'charges', id: 'hot', value: { hot: true } }]);
    now += 50;
    await store.commit('m1', [{ collection: 'charges', id: 'hot2', value: { hot: 2 } }]);
    now += 60; // the sessions and 'hot' rest long enough, 'hot2' does not
    await store.state.packCold();
    await store.compact();
    await store.close();

    const lines = (await readFile(file, 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as unknown[]);
    expect(lines.filter((l) => l[0] === 'd').map((l) => l[1]).sort()).toEqual(['charges', 'checkoutSessions']);
    expect(lines.filter((l) => l[0] === 'z')).toHaveLength(31);
    expect(lines.filter((l) => l[0] === 'r')).toEqual([['r', 'm1', 'charges', 'hot2', 1_050, null, { hot: 2 }, 32]]);

    const again = new FileStore(file);
    await again.open();
    expect(again.get('m1', 'checkoutSessions', 'S29')).toEqual(sessionLike(29));
    expect(again.list('m1', 'checkoutSessions')).toEqual(Array.from({ length: 30 }, (_, i) => sessionLike(i)));
    expect(again.list('m1', 'charges')).toEqual([{ hot: true }, { hot: 2 }]);
    expect(again.due(5).map((d) => d.id)).toEqual(['S0', 'S1', 'S2', 'S3', 'S4', 'S5']);
    await again.close();
  });
});
