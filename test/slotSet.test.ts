import { describe, expect, it } from 'vitest';
import { SlotSet } from '../server/slotSet.js';

describe('SlotSet', () => {
  it('holds what was added until it is deleted, and iterates over what it holds in slot order', () => {
    const set = new SlotSet<{ n: number }>();
    const a = { n: 1 };
    const b = { n: 2 };
    const c = { n: 3 };
    const slots = [set.add(a), set.add(b), set.add(c)];
    expect(slots).toEqual([0, 1, 2]);
    expect(set.size).toBe(3);
    set.delete(slots[1]!, b);
    expect(set.size).toBe(2);
    expect([...set]).toEqual([a, c]);
  });

  it('reuses a freed slot instead of growing', () => {
    const set = new SlotSet<string>();
    const first = set.add('a');
    set.add('b');
    set.delete(first, 'a');
    expect(set.add('c')).toBe(first);
    expect([...set]).toEqual(['c', 'b']);
    expect(set.size).toBe(2);
  });

  it('ignores a second delete, and a delete of a slot that now holds something else', () => {
    const set = new SlotSet<string>();
    const slot = set.add('a');
    set.delete(slot, 'a');
    set.delete(slot, 'a');
    expect(set.size).toBe(0);
    expect(set.add('b')).toBe(slot);
    // The old owner of the slot, deleting late (a second 'close' event), must not remove 'b'.
    set.delete(slot, 'a');
    expect([...set]).toEqual(['b']);
    expect(set.size).toBe(1);
  });

  it('may be changed while iterated: a deleted item not reached yet is skipped', () => {
    const set = new SlotSet<string>();
    const slots = ['a', 'b', 'c'].map((x) => set.add(x));
    const seen: string[] = [];
    for (const item of set) {
      seen.push(item);
      if (item === 'a') set.delete(slots[1]!, 'b');
    }
    expect(seen).toEqual(['a', 'c']);
  });
});
