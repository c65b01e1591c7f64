import { describe, expect, it } from 'vitest';
import { checkCommit, checkLogEntry, deepFreeze, encodeReset, takeOwnership } from '../../server/store/encoding.js';

describe('takeOwnership', () => {
  it('returns a deeply frozen copy of every part not frozen yet, however nested, and leaves the caller\'s value as it was', () => {
    const value = { a: { b: [{ c: 1 }, [2, { d: [] as unknown[] }]] }, e: null, f: 'x' };
    const owned = takeOwnership(value, 'v');
    expect(owned).toEqual(value);
    const inner = owned.a.b[1] as [number, { d: unknown[] }];
    for (const object of [owned, owned.a, owned.a.b, owned.a.b[0], inner, inner[1], inner[1].d]) expect(Object.isFrozen(object)).toBe(true);
    expect([owned, owned.a, owned.a.b, owned.a.b[0], inner].some((part, i) => part === [value, value.a, value.a.b, value.a.b[0], value.a.b[1]][i])).toBe(false);
    expect(Object.isFrozen(value) || Object.isFrozen(value.a.b)).toBe(false);
  });

  it('keeps a part frozen already as itself, so a new version shares what it did not change', () => {
    const unchanged = deepFreeze({ address: { city: 'Seattle' }, tags: ['a'] });
    const owned = takeOwnership({ status: 'Completed', buyer: unchanged }, 'v');
    expect(owned.buyer).toBe(unchanged);
    expect(takeOwnership(unchanged, 'v')).toBe(unchanged);
  });

  it('copies a field named __proto__ as a field, leaving the prototype alone', () => {
    const value = JSON.parse('{"__proto__":{"polluted":true},"n":1}') as Record<string, unknown>;
    const owned = takeOwnership(value, 'v');
    expect(Object.getPrototypeOf(owned)).toBe(Object.prototype);
    expect(Object.keys(owned)).toEqual(['__proto__', 'n']);
    expect((owned as { polluted?: unknown }).polluted).toBeUndefined();
    expect(JSON.stringify(owned)).toBe('{"__proto__":{"polluted":true},"n":1}');
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

describe('encodeReset and checkLogEntry', () => {
  it('logs a reset without a keep list as before, and one with it carrying only the known fields', () => {
    expect(encodeReset().line).toBe('{"op":"reset"}');
    expect(encodeReset('m1', []).line).toBe('{"op":"reset","ns":"m1"}');
    const keep = [{ ns: 'server', collection: 'publicKeys' as const, extra: 1 }, { ns: 'server', collection: 'settings' as const, id: 'k' }];
    expect(JSON.parse(encodeReset(undefined, keep).line)).toEqual({ op: 'reset', keep: [{ ns: 'server', collection: 'publicKeys' }, { ns: 'server', collection: 'settings', id: 'k' }] });
  });

  it('accepts an old reset line and a reset line with a keep list, and refuses a malformed keep list', () => {
    expect(() => checkLogEntry({ op: 'reset' })).not.toThrow();
    expect(() => checkLogEntry({ op: 'reset', keep: [{ ns: 'server', collection: 'publicKeys' }] })).not.toThrow();
    expect(() => checkLogEntry({ op: 'reset', keep: {} })).toThrow(/array/);
    expect(() => checkLogEntry({ op: 'reset', keep: [{ ns: 'server', collection: 'nope' }] })).toThrow(/unknown collection/);
    expect(() => checkLogEntry({ op: 'reset', keep: [{ ns: 'server', collection: 'settings', id: 5 }] })).toThrow(/id/);
  });
});
