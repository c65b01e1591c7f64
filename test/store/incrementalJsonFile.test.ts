import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { IncrementalJSONFile, prettyJsonPieces } from '../../server/store/incrementalJsonFile.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'apm-incjson-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const sample = {
  format: 'x',
  n: 3,
  empty: {},
  list: [],
  namespaces: { a: { checkoutSessions: { '1': { s: { x: [1, { y: null }], z: 'é"\n' } }, __proto__x: { deep: { deeper: { deepest: [true, false] } } } } } },
  mixed: [1, 'two', { three: [3] }, [], {}, null],
  skip: undefined,
};

describe('IncrementalJSONFile', () => {
  it('produces exactly JSON.stringify(value, null, 2), piece by piece', () => {
    expect([...prettyJsonPieces(sample)].join('')).toBe(JSON.stringify(sample, null, 2));
    expect([...prettyJsonPieces(sample, 1)].join('')).toBe(JSON.stringify(sample, null, 2));
    expect([...prettyJsonPieces([undefined, 1])].join('')).toBe(JSON.stringify([undefined, 1], null, 2));
    expect([...prettyJsonPieces('plain')].join('')).toBe('"plain"');
  });

  it('writes the file atomically and reads it back', async () => {
    const file = path.join(dir, 'db.json');
    const adapter = new IncrementalJSONFile<typeof sample>(file, 0);
    expect(await adapter.read()).toBeNull();
    await adapter.write(sample);
    expect(readFileSync(file, 'utf8')).toBe(`${JSON.stringify(sample, null, 2)}\n`);
    expect(await adapter.read()).toEqual(JSON.parse(JSON.stringify(sample)));
  });

  it('lets other work run while a large snapshot is written', async () => {
    const big = { records: Object.fromEntries(Array.from({ length: 20_000 }, (_, i) => [`id-${i}`, { i, text: 'x'.repeat(200), nested: { a: [1, 2, 3] } }])) };
    let ticks = 0;
    const timer = setInterval(() => ticks++, 1);
    try {
      await new IncrementalJSONFile(path.join(dir, 'big.json'), 2).write(big);
    } finally {
      clearInterval(timer);
    }
    expect(ticks).toBeGreaterThan(1);
    expect(JSON.parse(readFileSync(path.join(dir, 'big.json'), 'utf8')).records['id-19999'].i).toBe(19_999);
  });
});
