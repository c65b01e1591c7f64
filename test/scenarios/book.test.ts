import { describe, expect, it } from 'vitest';
import { ScenarioBook, rulesInStore } from '../../server/scenarios/book.js';
import { parseRule } from '../../server/scenarios/rules.js';
import { createStore } from '../../server/store/createStore.js';

const rule = (name: string) => parseRule({ name, match: { operation: 'getCharge' }, outcome: { kind: 'drop' } }, name);

describe('ScenarioBook.anyFor', () => {
  it('is false with no rules, true for a rule of the merchant or of everyone, false for another merchant\'s only', async () => {
    const book = new ScenarioBook(null);
    expect(await book.anyFor('M')).toBe(false);
    await book.add([rule('theirs')], 'OTHER');
    expect(await book.anyFor('M')).toBe(false);
    expect(await book.anyFor('OTHER')).toBe(true);
    await book.add([rule('everyone')], null);
    expect(await book.anyFor('M')).toBe(true);
  });

  it('sees rules another process added to a shared store', async () => {
    const store = createStore('memory');
    await store.open();
    const here = new ScenarioBook(null, rulesInStore(store));
    const there = new ScenarioBook(null, rulesInStore(store));
    expect(await here.anyFor('M')).toBe(false);
    await there.add([rule('shared')], 'M');
    expect(await here.anyFor('M')).toBe(true);
    await store.close();
  });
});
