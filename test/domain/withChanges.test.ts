import { describe, expect, it } from 'vitest';
import { withChanges } from '../../server/domain/withChanges.js';

describe('withChanges', () => {
  it('gives what a spread gives, keys in the same order, and leaves the base as it was', () => {
    const base = { a: 1, b: { nested: true }, c: 'three' };
    const changed = withChanges(base, { b: { nested: false }, c: 'changed' });
    expect(changed).toEqual({ ...base, ...{ b: { nested: false }, c: 'changed' } });
    expect(Object.keys(changed)).toEqual(['a', 'b', 'c']);
    expect(changed).not.toBe(base);
    expect(base).toEqual({ a: 1, b: { nested: true }, c: 'three' });
  });

  it('copies a frozen base into an object that can be changed, keeping its unchanged parts shared', () => {
    const inner = Object.freeze({ x: 1 });
    const base: Readonly<{ inner: { x: number }; n: number }> = Object.freeze({ inner, n: 1 });
    const changed = withChanges(base, { n: 2 });
    expect(Object.isFrozen(changed)).toBe(false);
    expect(changed.inner).toBe(inner);
    expect(changed.n).toBe(2);
  });
});
