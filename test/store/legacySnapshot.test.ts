import path from 'node:path';
import { readFile, writeFile } from 'node:fs/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { FileStore, snapshotFormat } from '../../server/store/index.js';
import { tempDirs } from './tempDir.js';

const temp = tempDirs();
afterEach(() => temp.cleanup());

/** A snapshot exactly as the first versions wrote it: lowdb's pretty-printed JSON. */
function legacySnapshot(): string {
  return JSON.stringify(
    {
      format: 'amazon-pay-mock/store@1',
      logGeneration: 3,
      namespaces: {
        'SANDBOX-A': {
          checkoutSessions: { 'S01-1': { checkoutSessionId: 'S01-1', nested: { list: [1, { deep: '}\n]' }], empty: {} } } },
          charges: JSON.parse('{"C \\"quoted\\" id": 5, "__proto__": {"odd": true}, "plain": "text {", "arr": []}') as unknown,
          refunds: {},
        },
        'SANDBOX-B': { idempotency: { 'sandbox:k1': { fingerprint: 'f', status: 201, payload: '{"a":"b\\n"}', createdAt: 1 } } },
        empty: {},
      },
      due: [
        { ns: 'SANDBOX-A', collection: 'checkoutSessions', id: 'S01-1', dueAt: 86_400_000 },
        { ns: 'SANDBOX-A', collection: 'charges', id: 'plain', dueAt: 7 },
      ],
    },
    null,
    2,
  );
}

describe('FileStore: snapshots of the first versions', () => {
  it('reads the old pretty-printed snapshot, replays newer logs, converts it once and says so', async () => {
    const dir = await temp.make();
    const file = path.join(dir, 'db.json');
    await writeFile(file, legacySnapshot());
    await writeFile(`${file}.3.log`, `${JSON.stringify({ op: 'put', ns: 'SANDBOX-A', puts: [{ collection: 'charges', id: 'fromLog', value: { n: 1 }, dueAt: null }] })}\n`);

    const store = new FileStore(file);
    await store.open();
    expect(store.notes()).toContainEqual({ level: 'info', message: expect.stringMatching(/old pretty-printed format; read 6 records and converting it/) });
    expect(store.get('SANDBOX-A', 'checkoutSessions', 'S01-1')).toEqual({ checkoutSessionId: 'S01-1', nested: { list: [1, { deep: '}\n]' }], empty: {} } });
    expect(store.get('SANDBOX-A', 'charges', 'C "quoted" id')).toBe(5);
    expect(store.get('SANDBOX-A', 'charges', '__proto__')).toEqual({ odd: true });
    expect(store.list('SANDBOX-A', 'charges')).toEqual([5, { odd: true }, 'text {', [], { n: 1 }]);
    expect(store.get<{ payload: string }>('SANDBOX-B', 'idempotency', 'sandbox:k1')!.payload).toBe('{"a":"b\\n"}');
    expect(store.due(100).map((d) => d.id)).toEqual(['plain']);
    await store.flush();
    await store.close(); // waits for the conversion

    expect((await readFile(file, 'utf8')).startsWith(`{"format":"${snapshotFormat}"`)).toBe(true);
    const again = new FileStore(file);
    await again.open();
    expect(again.notes().some((n) => /old pretty-printed/.test(n.message))).toBe(false);
    expect(again.list('SANDBOX-A', 'charges')).toEqual([5, { odd: true }, 'text {', [], { n: 1 }]);
    expect(again.nextDue()).toBe(7);
    await again.close();
  });

  it('refuses an old snapshot cut short, instead of starting with part of it and converting that over the whole', async () => {
    const text = legacySnapshot();
    for (const cut of [text.indexOf('"SANDBOX-B"'), text.indexOf('"due"'), text.lastIndexOf('}')]) {
      const file = path.join(await temp.make(), 'db.json');
      await writeFile(file, text.slice(0, cut));
      await expect(new FileStore(file).open()).rejects.toThrow(/cannot read the snapshot .*db\.json: .*cut short/);
      expect(await readFile(file, 'utf8')).toBe(text.slice(0, cut));
    }
  });

  it('reads an old snapshot that ends with a newline', async () => {
    const file = path.join(await temp.make(), 'db.json');
    await writeFile(file, `${legacySnapshot()}\n`);
    const store = new FileStore(file);
    await store.open();
    expect(store.get('SANDBOX-A', 'charges', 'plain')).toBe('text {');
    await store.close();
  });

  it('refuses an old snapshot with an unknown collection, naming the file and line', async () => {
    const file = path.join(await temp.make(), 'db.json');
    await writeFile(file, legacySnapshot().replace('"refunds"', '"nonsense"'));
    await expect(new FileStore(file).open()).rejects.toThrow(/cannot read the snapshot .*unknown collection "nonsense" at .*db\.json line \d+/);
  });
});
