import { describe, expect, it } from 'vitest';
import { deepFreeze } from '../../server/store/encoding.js';
import { applyPatch, checkPatch, patchOf, type Patch } from '../../server/store/logPatch.js';

/** A stored session-like record, frozen as the store holds it. */
function storedRecord() {
  return deepFreeze({
    session: {
      checkoutSessionId: 's-1',
      webCheckoutDetails: { checkoutReviewReturnUrl: 'https://m.example/r', amazonPayRedirectUrl: 'https://pay.example/x' },
      buyer: { name: 'Test Buyer', email: 'b@example.com' },
      statusDetails: { state: 'Open', reasonCode: null, lastUpdatedTimestamp: '20261130T000000Z' },
      chargeId: null as string | null,
      constraints: [] as unknown[],
      creationTimestamp: '20261130T000000Z',
    },
    meta: { region: 'na', createdAt: 1 },
  });
}

describe('patchOf', () => {
  it('lists only the fields whose references changed, nesting into objects with the same keys', () => {
    const before = storedRecord();
    const after = {
      ...before,
      session: { ...before.session, statusDetails: { ...before.session.statusDetails, state: 'Completed' }, chargeId: 'c-1', constraints: [] },
    };
    expect(patchOf(before, after)).toEqual([['session', [['statusDetails', [['state', 'Completed']], 1], ['chargeId', 'c-1'], ['constraints', []]], 1]]);
  });

  it('gives an empty patch for a new version that changed nothing', () => {
    const before = storedRecord();
    expect(patchOf(before, { ...before })).toEqual([]);
  });

  it('gives up (null) when keys were added, removed or reordered, so the replayed version serializes like the live one', () => {
    const before = storedRecord();
    expect(patchOf(before, { ...before, added: 1 })).toBeNull();
    expect(patchOf(before, { session: before.session })).toBeNull();
    expect(patchOf(before, { meta: before.meta, session: { ...before.session, chargeId: 'c' } })).toBeNull();
  });

  it('logs a nested object whole when its keys changed, and still patches the rest', () => {
    const before = storedRecord();
    const after = { ...before, session: { ...before.session, buyer: { name: 'Other' }, chargeId: 'c' } };
    expect(patchOf(before, after)).toEqual([['session', [['buyer', { name: 'Other' }], ['chargeId', 'c']], 1]]);
  });

  it('gives up when most fields were replaced', () => {
    expect(patchOf({ a: 1, b: 2, c: 3 }, { a: 9, b: 8, c: 3 })).toBeNull();
    expect(patchOf({ a: 1, b: 2, c: 3 }, { a: 9, b: 2, c: 3 })).toEqual([['a', 9]]);
  });

  it('gives up when a changed field is undefined, which JSON drops from an object but a step would write as null', () => {
    expect(patchOf({ a: 1, b: 2, c: 3 }, { a: undefined, b: 2, c: 3 })).toBeNull();
  });

  it('gives up when a changed field was undefined: the logged version lacks it, so a step would add it last, out of order', () => {
    expect(patchOf({ a: undefined, b: 2, c: 3 }, { a: 1, b: 2, c: 3 })).toBeNull();
    expect(patchOf({ n: { a: undefined, b: 2 }, c: 3 }, { n: { a: 1, b: 2 }, c: 3 })).toEqual([['n', { a: 1, b: 2 }]]);
  });

  it('patches only plain objects: arrays and primitives are logged whole', () => {
    expect(patchOf([1, 2], [1, 3])).toBeNull();
    expect(patchOf('a', 'b')).toBeNull();
    expect(patchOf(null, { a: 1 })).toBeNull();
    expect(patchOf({ list: [1, 2], n: 1, m: 2 }, { list: [1, 3], n: 1, m: 2 })).toEqual([['list', [1, 3]]]);
  });
});

describe('applyPatch', () => {
  it('rebuilds the new version: equal JSON text, key order included, sharing every part the patch does not touch', () => {
    const before = storedRecord();
    const after = {
      ...before,
      session: { ...before.session, webCheckoutDetails: { ...before.session.webCheckoutDetails, amazonPayRedirectUrl: null }, chargeId: 'c-1' },
    };
    const patch = patchOf(before, after)!;
    const rebuilt = applyPatch(before, JSON.parse(JSON.stringify(patch)) as Patch) as typeof after;
    expect(JSON.stringify(rebuilt)).toBe(JSON.stringify(after));
    expect(rebuilt.meta).toBe(before.meta);
    expect(rebuilt.session.buyer).toBe(before.session.buyer);
    expect(Object.isFrozen(before.session)).toBe(true);
    expect(before.session.chargeId).toBeNull();
  });

  it('writes a field named __proto__ as a field, leaving the prototype alone', () => {
    const base = deepFreeze(JSON.parse('{"__proto__":{"x":1},"n":1}') as Record<string, unknown>);
    const rebuilt = applyPatch(base, [['__proto__', { polluted: true }]]);
    expect(Object.getPrototypeOf(rebuilt)).toBe(Object.prototype);
    expect(JSON.stringify(rebuilt)).toBe('{"__proto__":{"polluted":true},"n":1}');
    expect(({} as { polluted?: unknown }).polluted).toBeUndefined();
  });

  it('applied to a later version than the one it was made against, is undone by the later patches replayed after it', () => {
    // v0 -> v1 -> v2; a snapshot taken meanwhile holds v2, then the log replays both patches on it.
    const v0 = storedRecord();
    const v1 = deepFreeze({ ...v0, session: { ...v0.session, statusDetails: { ...v0.session.statusDetails, state: 'Completed' }, chargeId: 'c-1' } });
    const v2 = deepFreeze({ ...v1, session: { ...v1.session, statusDetails: { ...v1.session.statusDetails, state: 'Canceled' } } });
    const p1 = patchOf(v0, v1)!;
    const p2 = patchOf(v1, v2)!;
    expect(JSON.stringify(applyPatch(applyPatch(v2, p1), p2))).toBe(JSON.stringify(v2));
  });

  it('puts a field the base lacks last, and patches into a base field that is not an object as into an empty one', () => {
    expect(JSON.stringify(applyPatch({ a: 1 }, [['b', 2]]))).toBe('{"a":1,"b":2}');
    expect(applyPatch({ a: 1 }, [['a', [['x', 1]], 1]])).toEqual({ a: { x: 1 } });
    expect(applyPatch(undefined, [['x', 1]])).toEqual({ x: 1 });
  });
});

describe('checkPatch', () => {
  it('accepts what patchOf makes, read back from JSON', () => {
    const before = storedRecord();
    const patch = patchOf(before, { ...before, session: { ...before.session, statusDetails: { ...before.session.statusDetails, state: 'X' } } });
    expect(() => checkPatch(JSON.parse(JSON.stringify(patch)))).not.toThrow();
  });

  it('refuses anything else, naming what is wrong', () => {
    expect(() => checkPatch({})).toThrow('patch is not an array');
    expect(() => checkPatch([['a']])).toThrow('a patch step is not [key, value] or [key, patch, 1]');
    expect(() => checkPatch([[1, 2]])).toThrow('a patch step is not [key, value] or [key, patch, 1]');
    expect(() => checkPatch([['a', [], 2]])).toThrow('a nested patch step does not end in 1');
    expect(() => checkPatch([['a', 'x', 1]])).toThrow('patch is not an array');
    let deep: unknown = [];
    for (let i = 0; i < 70; i++) deep = [['k', deep, 1]];
    expect(() => checkPatch(deep)).toThrow('patch is nested too deep');
  });
});
