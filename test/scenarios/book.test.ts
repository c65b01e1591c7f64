import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
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

/** Runs `fn` on a scenarios directory holding `files` (name -> text), removed afterwards. */
async function withScenarioDir(files: Record<string, string>, fn: (dir: string) => Promise<void> | void): Promise<void> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'apm-scenarios-'));
  try {
    for (const [name, text] of Object.entries(files)) writeFileSync(path.join(dir, name), text);
    await fn(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('ScenarioBook.loadFiles', () => {
  it('warns when the directory cannot be read, so --log-level warn still shows it', () => {
    expect(new ScenarioBook('/nonexistent/scenarios-dir').loadFiles()).toEqual([{ level: 'warn', message: 'scenarios directory /nonexistent/scenarios-dir not found; no file rules loaded' }]);
  });

  it('reads YAML rule files (comments, block and flow style, .yaml and .yml) next to JSON ones, in name order', async () => {
    const files = {
      'a-pending.yaml': ['# a comment, as YAML allows', 'rules:', '  - name: yaml-pending', '    match: { operation: completeCheckoutSession, merchantReferenceId: "ref-1" }', '    outcome:', '      kind: pending', '      settleTo: Authorized', ''].join('\n'),
      'b-throttle.yml': '- name: yml-throttle\n  match: { operation: getCharge }\n  outcome: { kind: error, reasonCode: TooManyRequests }\n  times: 2\n',
      'c-json.json': JSON.stringify({ name: 'json-drop', match: { operation: 'getRefund' }, outcome: { kind: 'drop' } }),
    };
    await withScenarioDir(files, async (dir) => {
      const book = new ScenarioBook(dir);
      expect(book.loadFiles()).toEqual(['a-pending.yaml', 'b-throttle.yml', 'c-json.json'].map((name) => ({ level: 'info', message: `scenario file ${name}: 1 rule(s)` })));
      const rules = await book.list();
      expect(rules.map((r) => [r.name, r.source])).toEqual([['yaml-pending', 'a-pending.yaml'], ['yml-throttle', 'b-throttle.yml'], ['json-drop', 'c-json.json']]);
      expect(rules[0]!.outcome).toMatchObject({ kind: 'pending', settleTo: 'Authorized' });
      expect(rules[1]!.times).toBe(2);
    });
  });

  it('skips a YAML file that does not parse, saying why, and keeps the others', async () => {
    const files = { 'bad.yaml': 'rules: [ { name: x\n', 'good.json': JSON.stringify({ name: 'ok', match: { operation: 'getRefund' }, outcome: { kind: 'drop' } }) };
    await withScenarioDir(files, (dir) => {
      const notes = new ScenarioBook(dir).loadFiles();
      expect(notes[0]).toMatchObject({ level: 'warn', message: expect.stringMatching(/^scenario file bad\.yaml skipped: /) });
      expect(notes[1]).toEqual({ level: 'info', message: 'scenario file good.json: 1 rule(s)' });
    });
  });
});

describe('ScenarioBook.take', () => {
  const facts = { operation: 'getCharge', checkoutSessionId: null, merchantReferenceId: null, amount: null, currency: null, publicKeyId: null, headers: {} } as const;
  const onceFile = { 'once.json': JSON.stringify({ name: 'once', match: { operation: 'getCharge' }, outcome: { kind: 'drop' }, times: 1 }) };

  it('applies a file rule with times 1 to one call only, also when calls are in flight together', async () => {
    await withScenarioDir(onceFile, async (dir) => {
      const book = new ScenarioBook(dir);
      book.loadFiles();
      const taken = await Promise.all([book.take(facts, 'M'), book.take(facts, 'M'), book.take(facts, 'M')]);
      expect(taken.filter((t) => t?.rule?.name === 'once')).toHaveLength(1);
      expect((await book.list())[0]!.times).toBe(0);
    });
  });

  it('applies a file rule with times 1 to one call only on a shared store, whose steps take a round trip', async () => {
    const store = createStore('memory');
    await store.open();
    await withScenarioDir(onceFile, async (dir) => {
      const book = new ScenarioBook(dir, rulesInStore(store));
      book.loadFiles();
      const taken = await Promise.all([book.take(facts, 'M'), book.take(facts, 'M'), book.take(facts, 'M')]);
      expect(taken.filter((t) => t?.rule?.name === 'once')).toHaveLength(1);
    });
    await store.close();
  });

  it('gives back a file rule\'s count when the step that took it fails', async () => {
    await withScenarioDir(onceFile, async (dir) => {
      let fail = true;
      const flaky = {
        async update<R>(change: (rules: readonly never[]) => { result: R }): Promise<R> {
          const { result } = change([]);
          if (fail) throw new Error('store down');
          return result;
        },
        current: async () => [],
      };
      const book = new ScenarioBook(dir, flaky);
      book.loadFiles();
      await expect(book.take(facts, 'M')).rejects.toThrow('store down');
      fail = false;
      expect((await book.take(facts, 'M'))?.rule?.name).toBe('once');
      expect(await book.take(facts, 'M')).toBeNull();
    });
  });
});
