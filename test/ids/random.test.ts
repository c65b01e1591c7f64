import { describe, expect, it } from 'vitest';
import { pooledRandom } from '../../server/ids/random.js';

describe('pooledRandom', () => {
  it('serves small requests from one block and passes large ones through', () => {
    const calls: number[] = [];
    let counter = 0;
    const source = (n: number) => {
      calls.push(n);
      return Uint8Array.from({ length: n }, () => counter++ % 256);
    };
    const pooled = pooledRandom(source, 64);
    const a = pooled(16);
    const b = pooled(16);
    expect(calls).toEqual([64]);
    expect([...a, ...b]).toEqual(Array.from({ length: 32 }, (_, i) => i));
    pooled(40); // does not fit the 32 left: a new block
    expect(calls).toEqual([64, 64]);
    pooled(100);
    expect(calls).toEqual([64, 64, 100]);
  });
});
