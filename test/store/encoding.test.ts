import { describe, expect, it } from 'vitest';
import { checkCommit, deepFreeze, takeOwnership } from '../../server/store/encoding.js';

describe('takeOwnership', () => {
  it('freezes every object and array of a value, however nested', () => {
    const value = { a: { b: [{ c: 1 }, [2, { d: [] as unknown[] }]] }, e: null, f: 'x' };
    takeOwnership(value, 'v');
    const inner = value.a.b[1] as [number, { d: unknown[] }];
    for (const object of [value, value.a, value.a.b, value.a.b[0], inner, inner[1], inner[1].d]) expect(Object.isFrozen(object)).toBe(true);
  });

  it('refuses what is not plain JSON wherever it sits, arrays included, naming the value and the problem', () => {
    class Thing {}
    class List extends Array {}
    const cases: [unknown, RegExp][] = [
      [{ list: [1, new Date(0)] }, /^store: v holds a Date; values must be plain JSON$/],
      [{ list: [[new Thing()]] }, /^store: v holds a Thing; values must be plain JSON$/],
      [{ list: List.from([1]) }, /^store: v holds a List; values must be plain JSON$/],
      [{ list: [() => 1] }, /^store: v holds a function, which is not JSON$/],
      [{ n: 1n }, /^store: v holds a bigint, which is not JSON$/],
      [[Symbol('s')], /^store: v holds a symbol, which is not JSON$/],
    ];
    for (const [value, message] of cases) expect(() => takeOwnership(value, 'v')).toThrow(message);
  });

  it('refuses a cycle, through an array too, but accepts a frozen subtree shared twice', () => {
    const loop: unknown[] = [];
    loop.push({ back: loop });
    expect(() => takeOwnership({ loop }, 'v')).toThrow(/^store: v refers to itself \(circular\)$/);
    const shared = deepFreeze({ s: [1] });
    expect(() => takeOwnership({ one: shared, two: [shared] }, 'v')).not.toThrow();
  });

  it('refuses values nested deeper than 256 levels', () => {
    let deep: unknown = 1;
    for (let i = 0; i < 300; i++) deep = i % 2 ? { d: deep } : [deep];
    expect(() => takeOwnership(deep, 'v')).toThrow(/^store: v is nested deeper than 256 levels$/);
  });
});

describe('checkCommit', () => {
  it('names the put whose value is not JSON, by index, collection and id', () => {
    expect(() =>
      checkCommit('m1', [
        { collection: 'charges', id: 'C1', value: { ok: true } },
        { collection: 'charges', id: 'C2', value: { at: [new Map()] } },
      ]),
    ).toThrow(/^store: put #1 \(charges\/C2\) holds a Map; values must be plain JSON$/);
  });
});

describe('deepFreeze', () => {
  it('freezes parsed JSON all the way down, arrays included', () => {
    const value = deepFreeze(JSON.parse('{"a":[{"b":[1,{"c":{}}]}],"d":{"e":[]}}') as { a: [{ b: [number, { c: object }] }]; d: { e: unknown[] } });
    for (const object of [value, value.a, value.a[0], value.a[0].b, value.a[0].b[1], value.a[0].b[1].c, value.d, value.d.e]) expect(Object.isFrozen(object)).toBe(true);
  });
});
