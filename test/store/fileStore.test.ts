import { spawn, spawnSync } from 'node:child_process';
import { appendFile, cp, mkdir, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { FileStore, snapshotFormat } from '../../server/store/index.js';
import { useFileStoreDir } from './fileStoreFixture.js';

const fx = useFileStoreDir();
const { openStore, crashCopy } = fx;

async function logFiles(at = fx.dir): Promise<string[]> {
  return (await readdir(at)).filter((name) => name.endsWith('.log')).sort();
}

const put = (id: string, value: unknown, dueAt?: number) => [{ collection: 'charges' as const, id, value, dueAt }];

describe('FileStore: restart', () => {
  it('keeps a committed value across close and reopen, with its due time', async () => {
    const first = await openStore();
    await first.commit('m1', put('C1', { amount: '1.00' }, 500));
    await first.close();

    const second = await openStore();
    expect(second.get('m1', 'charges', 'C1')).toEqual({ amount: '1.00' });
    expect(second.due(500)).toEqual([{ ns: 'm1', collection: 'charges', id: 'C1', dueAt: 500 }]);
    expect(second.nextDue()).toBe(500);
  });

  it('recovers every acknowledged commit from the log after a crash (no close)', async () => {
    const store = await openStore();
    await store.commit('m1', put('C1', { n: 1 }, 100));
    await store.commit('m1', put('C2', { n: 2 }));
    await store.commit('m1', put('C1', null));
    await store.reset('m2');

    const recovered = await openStore(await crashCopy());
    expect(recovered.list('m1', 'charges')).toEqual([{ n: 2 }]);
    expect(recovered.nextDue()).toBeNull();
  });

  it('takes over the lock left by a crashed process, even one that carried our own pid', async () => {
    await openStore();
    // The copy's lock names this process, but no store here holds it: a previous life of a container.
    const copy = await crashCopy();
    expect((await readFile(`${copy}.lock`, 'utf8')).trim()).toBe(String(process.pid));
    await expect(openStore(copy)).resolves.toBeInstanceOf(FileStore);
  });

  it('keeps a reset across a restart', async () => {
    const store = await openStore();
    await store.commit('m1', put('C1', {}));
    await store.commit('m2', put('C1', {}));
    await store.reset('m1');
    const recovered = await openStore(await crashCopy());
    expect(recovered.namespaces()).toEqual(['m2']);
    await store.reset();
    await store.close();
    expect((await openStore()).namespaces()).toEqual([]);
  });

  it('keeps what a reset kept across a restart: the reset line in the log carries its keep list', async () => {
    const store = await openStore();
    await store.commit('server', [
      { collection: 'publicKeys', id: 'K1', value: { k: 1 } },
      { collection: 'settings', id: 'signing', value: { s: 1 }, dueAt: 9 },
      { collection: 'settings', id: 'rules', value: { r: 1 } },
    ]);
    await store.commit('m1', put('C1', {}, 5));
    await store.reset(undefined, [
      { ns: 'server', collection: 'publicKeys' },
      { ns: 'server', collection: 'settings', id: 'signing' },
    ]);
    const lines = (await readFile(path.join(fx.dir, (await logFiles())[0]!), 'utf8')).trim().split('\n');
    expect(JSON.parse(lines.at(-1)!)).toEqual({ op: 'reset', keep: [{ ns: 'server', collection: 'publicKeys' }, { ns: 'server', collection: 'settings', id: 'signing' }] });
    // A crash right after the reset: the copy has the log only (no compaction ran), and replaying it keeps the same records.
    const recovered = await openStore(await crashCopy());
    expect(recovered.list('server', 'publicKeys')).toEqual([{ k: 1 }]);
    expect(recovered.list('server', 'settings')).toEqual([{ s: 1 }]);
    expect(recovered.namespaces()).toEqual(['server']);
    expect(recovered.due(100)).toEqual([{ ns: 'server', collection: 'settings', id: 'signing', dueAt: 9 }]);
  });

  it('owns what was committed: the caller changing its value afterwards changes nothing stored, and the log holds what was committed', async () => {
    const value = { status: 'Open', lines: [{ qty: 1 }] };
    const store = await openStore();
    await store.commit('m1', put('C1', value));
    value.status = 'Closed';
    value.lines[0]!.qty = 99;
    expect(store.get('m1', 'charges', 'C1')).toEqual({ status: 'Open', lines: [{ qty: 1 }] });
    const recovered = await openStore(await crashCopy());
    expect(recovered.get('m1', 'charges', 'C1')).toEqual({ status: 'Open', lines: [{ qty: 1 }] });
    await store.close();
    expect((await openStore()).get('m1', 'charges', 'C1')).toEqual({ status: 'Open', lines: [{ qty: 1 }] });
  });

  it('logs a new version built from the stored one as a patch of it, and a restart rebuilds it byte for byte', async () => {
    const store = await openStore();
    const address = { name: 'Test Buyer', addressLine1: '410 Terry Ave N', city: 'Seattle', postalCode: '98109', countryCode: 'US' };
    await store.commit('m1', put('C1', { state: 'Authorized', buyer: address, shipping: address, billing: address, amount: '50.00', captured: null }, 10));
    const stored = store.get<Record<string, unknown>>('m1', 'charges', 'C1')!;
    await store.commit('m1', put('C1', { ...stored, state: 'Captured', captured: '50.00' }, 20));
    const lines = (await readFile(path.join(fx.dir, (await logFiles())[0]!), 'utf8')).trim().split('\n');
    const second = JSON.parse(lines[1]!) as { puts: Record<string, unknown>[] };
    expect(second.puts[0]).toEqual({ collection: 'charges', id: 'C1', patch: [['state', 'Captured'], ['captured', '50.00']], dueAt: 20, seq: 1 });
    expect(lines[1]!.length).toBeLessThan(lines[0]!.length / 2);

    const expected = JSON.stringify(store.get('m1', 'charges', 'C1'));
    const recovered = await openStore(await crashCopy());
    expect(JSON.stringify(recovered.get('m1', 'charges', 'C1'))).toBe(expected);
    expect(Object.isFrozen(recovered.get<Record<string, unknown>>('m1', 'charges', 'C1')!.buyer)).toBe(true);
    expect(recovered.due(20)).toEqual([{ ns: 'm1', collection: 'charges', id: 'C1', dueAt: 20 }]);
  });

  it('rebuilds byte for byte a new version that sets a field the stored version held as undefined (which the disk never saw)', async () => {
    const store = await openStore();
    await store.commit('m1', put('C1', { state: 'Open', captured: undefined, nested: { at: undefined, by: 'x' }, amount: '5.00' }));
    const stored = store.get<Record<string, Record<string, unknown>>>('m1', 'charges', 'C1')!;
    await store.commit('m1', put('C1', { ...stored, captured: '5.00', nested: { ...stored.nested, at: 7 } }));
    const expected = JSON.stringify(store.get('m1', 'charges', 'C1'));
    expect(expected).toBe('{"state":"Open","captured":"5.00","nested":{"at":7,"by":"x"},"amount":"5.00"}');

    const recovered = await openStore(await crashCopy());
    expect(JSON.stringify(recovered.get('m1', 'charges', 'C1'))).toBe(expected);
  });

  it('logs a version whole when its keys differ from the stored version\'s, or the stored version was packed (cold) when it was committed', async () => {
    const store = await openStore(fx.file, { coldAfterMs: 0 });
    await store.commit('m1', put('C1', { state: 'Open', n: 1, m: 2 }));
    await store.commit('m1', put('C1', { state: 'Open', n: 1, m: 3, added: true }));
    await store.state.packCold();
    await store.commit('m1', put('C1', { state: 'Closed', n: 1, m: 3, added: true }));
    const lines = (await readFile(path.join(fx.dir, (await logFiles())[0]!), 'utf8')).trim().split('\n');
    expect(lines.map((line) => Object.keys((JSON.parse(line) as { puts: object[] }).puts[0]!))).toEqual([
      ['collection', 'id', 'value', 'dueAt', 'seq'],
      ['collection', 'id', 'value', 'dueAt', 'seq'],
      ['collection', 'id', 'value', 'dueAt', 'seq'],
    ]);
    expect((await openStore(await crashCopy())).get('m1', 'charges', 'C1')).toEqual({ state: 'Closed', n: 1, m: 3, added: true });
  });

  it('refuses to open a log whose put has both a value and a patch, or a patch that is not one, naming the line', async () => {
    for (const bad of [
      { collection: 'charges', id: 'C1', value: {}, patch: [], dueAt: null },
      { collection: 'charges', id: 'C1', patch: { state: 'x' }, dueAt: null },
    ]) {
      const dir = path.join(fx.dir, `bad-${Math.random().toString(36).slice(2)}`);
      await mkdir(dir);
      const file = path.join(dir, 'db.json');
      await writeFile(`${file}.0.log`, `${JSON.stringify({ op: 'put', ns: 'm1', puts: [bad] })}\n${JSON.stringify({ op: 'reset' })}\n`);
      await expect(openStore(file)).rejects.toThrow(/line 1/);
    }
  });

  it('creates the parent directory of the file', async () => {
    const nested = path.join(fx.dir, 'a', 'b', 'db.json');
    const store = await openStore(nested);
    await store.commit('m1', put('C1', {}));
    await store.close();
    expect((await stat(`${nested}.1.log`)).isFile()).toBe(true);
  });

  it('ignores a torn last log line, and appends later commits to a new log', async () => {
    const store = await openStore();
    await store.commit('m1', put('C1', { n: 1 }));
    await store.commit('m1', put('C2', { n: 2 }));
    const copy = await crashCopy();
    const [log] = await logFiles(path.dirname(copy));
    await appendFile(path.join(path.dirname(copy), log!), '{"op":"put","ns":"m1","puts":[{"collection":"charges","id":"C3","va');

    const recovered = await openStore(copy);
    expect(recovered.list('m1', 'charges')).toEqual([{ n: 1 }, { n: 2 }]);
    await recovered.commit('m1', put('C4', { n: 4 }));
    expect(await logFiles(path.dirname(copy))).toHaveLength(2);
    const again = await openStore(await (async () => {
      const second = await fx.makeDir();
      await cp(path.dirname(copy), second, { recursive: true });
      return path.join(second, 'db.json');
    })());
    expect(again.list('m1', 'charges')).toEqual([{ n: 1 }, { n: 2 }, { n: 4 }]);
  });

  it('ignores a last log line that ends with a newline but does not parse', async () => {
    await writeFile(`${fx.file}.1.log`, '{"op":"put","ns":"m1","puts":[{"collection":"charges","id":"C1","value":{}}]}\n\u0000\u0000\u0000\n');
    const store = await openStore();
    expect(store.get('m1', 'charges', 'C1')).toEqual({});
  });

  it('refuses to open when a log line before the last is corrupt, naming the file and line', async () => {
    await writeFile(`${fx.file}.1.log`, 'garbage\n{"op":"reset"}\n');
    await expect(new FileStore(fx.file).open()).rejects.toThrow(/db\.json\.1\.log line 1 is corrupt/);
    // A failed open releases the lock.
    await expect(stat(`${fx.file}.lock`)).rejects.toThrow();
  });

  it('refuses to open a snapshot that is not valid JSON or not a store snapshot', async () => {
    await writeFile(fx.file, '{ "namespaces": ');
    await expect(new FileStore(fx.file).open()).rejects.toThrow(/cannot read the snapshot .*db\.json: it is neither/);
    await writeFile(fx.file, `${JSON.stringify({ format: snapshotFormat, logGeneration: 1 })}\n["r","m1","charges","C1",0,null,{},1]\n`);
    await expect(new FileStore(fx.file).open()).rejects.toThrow(/line 3 is not a valid snapshot line: the file ends before its trailer/);
    await writeFile(fx.file, `${JSON.stringify({ format: snapshotFormat, logGeneration: 1 })}\n["r","m1","charges","C1",0,null,{},1]\n{"end":2}\n`);
    await expect(new FileStore(fx.file).open()).rejects.toThrow(/the trailer says 2 records, the file holds 1/);
  });
});

describe('FileStore: compaction', () => {
  it('compacts after compactEvery entries, then after twice as many entries as there are records, and deletes the older logs', async () => {
    const store = await openStore(fx.file, { compactEvery: 10 });
    for (let i = 0; i < 10; i++) await store.commit('m1', put(`C${i}`, { i }, 1000 + i));
    await vi.waitFor(() => expect(store.stats().compactions).toBe(1)); // started by the 10th commit
    // 10 records now: the next compaction waits for 20 more entries, not 10.
    for (let i = 10; i < 29; i++) await store.commit('m1', put(`C${i}`, { i }, 1000 + i));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(store.stats().compactions).toBe(1);
    await store.commit('m1', put('C29', { i: 29 }, 1029));
    await vi.waitFor(() => expect(store.stats().compactions).toBe(2)); // started by the 20th entry after the first
    expect((await logFiles()).length).toBeLessThanOrEqual(1);
    const recovered = await openStore(await crashCopy());
    expect(recovered.list('m1', 'charges')).toHaveLength(30);
    expect(recovered.due(1002).map((r) => r.id)).toEqual(['C0', 'C1', 'C2']);
  });

  it('leaves the snapshot alone and only appends to the log between compactions', async () => {
    const store = await openStore(fx.file, { compactEvery: 1000 });
    await store.commit('m1', put('C1', {}));
    await store.commit('m1', put('C2', {}));
    expect(store.stats()).toMatchObject({ compactions: 0, entries: 2 });
    await expect(stat(fx.file)).rejects.toThrow();
    expect(await logFiles()).toEqual(['db.json.1.log']);
    expect((await readFile(`${fx.file}.1.log`, 'utf8')).trim().split('\n')).toHaveLength(2);
  });

  it('keeps a value committed after a compaction across a restart', async () => {
    const store = await openStore();
    await store.commit('m1', put('C1', { v: 1 }));
    await store.compact();
    await store.commit('m1', put('C1', { v: 2 }));
    await store.commit('m1', put('C2', { v: 1 }, 7));
    const recovered = await openStore(await crashCopy());
    expect(recovered.list('m1', 'charges')).toEqual([{ v: 2 }, { v: 1 }]);
    expect(recovered.nextDue()).toBe(7);
  });

  it('keeps writes made while a compaction runs', async () => {
    const store = await openStore();
    await store.commit('m1', put('before', { n: 1 }));
    const compaction = store.compact();
    const during = [store.commit('m1', put('during', { n: 2 })), store.reset('m9'), store.commit('m1', put('before', null))];
    await Promise.all([compaction, ...during]);

    const recovered = await openStore(await crashCopy());
    expect(recovered.list('m1', 'charges')).toEqual([{ n: 2 }]);
  });

  it('recovers when a compaction died before its snapshot landed (old snapshot, all logs left)', async () => {
    let store = await openStore();
    await store.commit('m1', put('x1', { n: 1 }));
    await store.compact(); // snapshot S1
    await store.close();
    store = await openStore();
    await store.commit('m1', put('x2', { n: 2 }));
    const beforeCompaction = await crashCopy();
    const compaction = store.compact();
    await store.commit('m1', put('x3', { n: 3 }));
    await store.commit('m1', put('x1', null));
    await compaction;
    // The new snapshot never landed and the older log was never deleted: old snapshot + every log.
    const copy = await crashCopy();
    await cp(beforeCompaction, copy);
    for (const log of await logFiles(path.dirname(beforeCompaction))) {
      await cp(path.join(path.dirname(beforeCompaction), log), path.join(path.dirname(copy), log));
    }
    expect((await logFiles(path.dirname(copy))).length).toBe(2);

    const recovered = await openStore(copy);
    expect(recovered.list('m1', 'charges')).toEqual([{ n: 2 }, { n: 3 }]);
  });

  it('replays only log generations at or above the one the snapshot records', async () => {
    // A compaction wrote this snapshot (covering generation 1) and died before deleting log 1.
    const snapshot = [{ format: snapshotFormat, logGeneration: 2 }, ['r', 'm1', 'charges', 'C1', 0, 50, { from: 'snapshot' }, 1], { end: 1 }];
    await writeFile(fx.file, snapshot.map((line) => `${JSON.stringify(line)}\n`).join(''));
    const line = (id: string, value: unknown) => `${JSON.stringify({ op: 'put', ns: 'm1', puts: [{ collection: 'charges', id, value, dueAt: null }] })}\n`;
    await writeFile(`${fx.file}.1.log`, line('C1', { from: 'log 1' }) + line('stale', { from: 'log 1' }));
    await writeFile(`${fx.file}.2.log`, line('C2', { from: 'log 2' }));
    await writeFile(`${fx.file}.3.log`, line('C3', { from: 'log 3' }));

    const store = await openStore();
    expect(store.get('m1', 'charges', 'C1')).toEqual({ from: 'snapshot' });
    expect(store.get('m1', 'charges', 'stale')).toBeUndefined();
    expect(store.list('m1', 'charges')).toHaveLength(3);
    expect(store.nextDue()).toBe(50);
    await store.compact();
    await store.close();
    expect(await logFiles()).toEqual([]);
  });

  it('loses nothing when writing the snapshot fails, and says why in stats()', async () => {
    const store = await openStore();
    await store.commit('m1', put('C1', { n: 1 }));
    await mkdir(path.join(fx.dir, '.db.json.tmp')); // the snapshot's temp file cannot be written
    await expect(store.compact()).rejects.toThrow();
    expect(store.stats().compactionError).toMatch(/EISDIR|illegal operation/i);
    await store.commit('m1', put('C2', { n: 2 }));

    const recovered = await openStore(await crashCopy());
    expect(recovered.list('m1', 'charges')).toEqual([{ n: 1 }, { n: 2 }]);
  });

  it('writes no snapshot on close: the log is durable already, so a stop costs nothing at any size', async () => {
    const store = await openStore();
    await store.commit('m1', put('C1', { n: 1 }));
    await store.close();
    expect(store.stats().compactions).toBe(0);
    expect((await readdir(fx.dir)).sort()).toEqual(['db.json.1.log']);
    expect((await openStore()).get('m1', 'charges', 'C1')).toEqual({ n: 1 });
  });

  it('writes a compact JSON Lines snapshot: a header, one line per record with its times and order, a trailer', async () => {
    const store = await openStore(fx.file, { now: () => 1234 });
    await store.commit('SANDBOX-A', [
      { collection: 'checkoutSessions', id: 'S01-1', value: { checkoutSessionId: 'S01-1' }, dueAt: 86_400_000 },
      { collection: 'charges', id: 'C01-1', value: { chargeId: 'C01-1' } },
    ]);
    await store.commit('SANDBOX-B', put('C01-2', { chargeId: 'C01-2' }));
    await store.compact();
    await store.close();

    const lines = (await readFile(fx.file, 'utf8')).split('\n');
    expect(lines.map((line) => (line === '' ? '' : JSON.parse(line)))).toEqual([
      { format: snapshotFormat, logGeneration: 2 },
      ['r', 'SANDBOX-A', 'checkoutSessions', 'S01-1', 1234, 86_400_000, { checkoutSessionId: 'S01-1' }, 1],
      ['r', 'SANDBOX-A', 'charges', 'C01-1', 1234, null, { chargeId: 'C01-1' }, 2],
      ['r', 'SANDBOX-B', 'charges', 'C01-2', 1234, null, { chargeId: 'C01-2' }, 3],
      { end: 3 },
      '',
    ]);
  });
});

describe('FileStore: what snapshots and packing keep', () => {
  it('writes into the snapshot and packs the value each record holds, when one commit writes a record twice and replaces others', async () => {
    let now = 1_000;
    const store = await openStore(fx.file, { coldAfterMs: 100, now: () => now });
    await store.commit('m1', [...put('A', { v: 'a1' }), ...put('B', { v: 'b1' })]);
    await store.commit('m1', [...put('B', { v: 'b2' }), ...put('A', { v: 'a2', list: [1, 'two'] }), ...put('B', { v: 'b3', 'quote"d': 'é\n' }), ...put('C', null)]);
    await store.commit('m2', [...put('A', { other: true })]);
    await store.compact(); // every record hot
    const expected = { A: { v: 'a2', list: [1, 'two'] }, B: { v: 'b3', 'quote"d': 'é\n' } };
    const hot = await openStore(await crashCopy());
    expect(hot.list('m1', 'charges')).toEqual([expected.A, expected.B]);
    expect(hot.get('m2', 'charges', 'A')).toEqual({ other: true });
    await hot.close();

    now += 101;
    expect(await store.state.packCold()).toBe(3);
    expect(store.get('m1', 'charges', 'B')).toEqual(expected.B); // unpacked again, hot
    now += 101;
    await store.state.packCold();
    await store.compact();
    await store.close();
    const packed = await openStore();
    expect(packed.state.stats()).toMatchObject({ records: 3, packed: 3 });
    expect(packed.list('m1', 'charges')).toEqual([expected.A, expected.B]);
    expect(packed.get('m2', 'charges', 'A')).toEqual({ other: true });
  });
});

describe('FileStore: group commit', () => {
  it('makes 200 concurrent commits durable in far fewer than 200 fsyncs', async () => {
    const store = await openStore();
    const commits = Array.from({ length: 200 }, (_, i) => store.commit(`m${i % 3}`, put(`C${i}`, { i })));
    await Promise.all(commits);
    expect(store.stats().entries).toBe(200);
    expect(store.stats().batches).toBeLessThan(20);

    const recovered = await openStore(await crashCopy());
    expect(recovered.list('m0', 'charges').length + recovered.list('m1', 'charges').length + recovered.list('m2', 'charges').length).toBe(200);
  });

  it('batches commits that arrive while a write is in flight', async () => {
    const store = await openStore();
    const commits: Promise<void>[] = [];
    for (let i = 0; i < 100; i++) {
      commits.push(store.commit('m1', put(`C${i}`, { i })));
      if (i % 10 === 9) await new Promise((resolve) => setImmediate(resolve));
    }
    await Promise.all(commits);
    expect(store.stats().entries).toBe(100);
    expect(store.stats().batches).toBeLessThanOrEqual(10);
  });

  it('writes a batch of lines holding multi-byte characters byte for byte, one line per commit', async () => {
    const store = await openStore();
    const texts = ['plain', 'Müller', 'Straße 5 €', '東京都', 'emoji 😀 and a\nnewline', ''];
    await Promise.all(texts.map((text, i) => store.commit('m1', put(`C${i}`, { text }))));
    expect(store.stats().batches).toBe(1);
    const lines = (await readFile(`${fx.file}.1.log`, 'utf8')).split('\n');
    expect(lines.pop()).toBe('');
    expect(lines.map((line) => JSON.parse(line).puts[0].value.text)).toEqual(texts);

    const recovered = await openStore(await crashCopy());
    expect(recovered.list('m1', 'charges')).toEqual(texts.map((text) => ({ text })));
  });

  it('writes batches of any size whole, long and short in turn, multi-byte text included', async () => {
    const store = await openStore();
    const sizes = [300_000, 5 * 2 ** 20, 10, 200_000, 3];
    for (const [i, size] of sizes.entries()) {
      await Promise.all([store.commit('m1', put(`A${i}`, { text: 'é'.repeat(size) })), store.commit('m1', put(`B${i}`, { text: 'x'.repeat(size % 7) }))]);
    }
    expect(store.stats().batches).toBe(sizes.length);
    const lines = (await readFile(`${fx.file}.1.log`, 'utf8')).split('\n');
    expect(lines.pop()).toBe('');
    expect(lines.map((line) => JSON.parse(line).puts[0].value.text.length)).toEqual(sizes.flatMap((size) => [size, size % 7]));
    const recovered = await openStore(await crashCopy());
    expect(recovered.get('m1', 'charges', 'A3')).toEqual({ text: 'é'.repeat(200_000) });
  });

  it('resolves a commit only after its batch is written', async () => {
    const store = await openStore();
    await store.commit('m1', put('C1', { n: 1 }));
    const text = await readFile(`${fx.file}.1.log`, 'utf8');
    expect(text).toMatch(/^\{"op":"put","ns":"m1","at":\d+,"puts":\[\{"collection":"charges","id":"C1","value":\{"n":1\},"dueAt":null,"seq":1\}\]\}\n$/);
  });
});

describe('FileStore: one instance per file', () => {
  it('refuses a second store on a file that is open, and opens once the first is closed', async () => {
    const first = await openStore();
    await expect(new FileStore(fx.file).open()).rejects.toThrow(/in use by another FileStore in this process/);
    await first.close();
    await expect(stat(`${fx.file}.lock`)).rejects.toThrow();
    await expect(openStore()).resolves.toBeInstanceOf(FileStore);
  });

  it('refuses a file locked by another live process, naming its pid', async () => {
    await writeFile(`${fx.file}.lock`, `${process.ppid}\n`);
    await expect(new FileStore(fx.file).open()).rejects.toThrow(new RegExp(`in use by process ${process.ppid}.*delete the lock file`));
  });

  it('takes over a lock whose process is gone', async () => {
    const dead = spawnSync(process.execPath, ['-e', '']).pid!;
    await writeFile(`${fx.file}.lock`, `${dead}\n`);
    await openStore();
    expect((await readFile(`${fx.file}.lock`, 'utf8')).trim()).toBe(String(process.pid));
  });

  it.runIf(process.platform === 'linux')('takes over a lock whose process was killed but not yet reaped by its parent (a zombie)', async () => {
    // A Node process starts a child that exits at once, writes its pid, then blocks its own event
    // loop: Node reaps children from the loop, so the child stays a zombie until the parent goes.
    const holder = [
      "const { spawn } = require('node:child_process');",
      "const child = spawn(process.execPath, ['-e', '0'], { stdio: 'ignore' });",
      "require('node:fs').writeSync(1, child.pid + '\\n');",
      'Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 30000);',
    ].join('\n');
    const parent = spawn(process.execPath, ['-e', holder], { stdio: ['ignore', 'pipe', 'ignore'] });
    try {
      const zombie = Number(await new Promise<string>((resolve) => parent.stdout.once('data', (d: Buffer) => resolve(d.toString().trim()))));
      // A loaded machine (CI's other tests) can take more than a second to get there.
      await vi.waitFor(async () => expect((await readFile(`/proc/${zombie}/stat`, 'utf8')).split(') ').at(-1)!.startsWith('Z')).toBe(true), { timeout: 10_000, interval: 20 });
      await writeFile(`${fx.file}.lock`, `${zombie}\n`);
      await openStore();
      expect((await readFile(`${fx.file}.lock`, 'utf8')).trim()).toBe(String(process.pid));
    } finally {
      parent.kill('SIGKILL');
    }
  }, 15_000);

  it('rejects commits before open', async () => {
    const store = new FileStore(fx.file);
    await expect(store.commit('m1', put('C1', {}))).rejects.toThrow(/open\(\)/);
    await rm(fx.dir, { recursive: true, force: true });
  });
});

describe('FileStore: compaction by log size', () => {
  it('compacts once the log holds compactBytes, however few entries, so a restart never replays a huge log', async () => {
    const store = await openStore(fx.file, { compactEvery: 1_000_000, compactBytes: 10_000 });
    const big = 'x'.repeat(3_000);
    for (let i = 0; i < 3; i++) await store.commit('m1', put(`C${i}`, { big }));
    expect(store.stats().compactions).toBe(0); // 9 KB of log: below the threshold
    await store.commit('m1', put('C3', { big }));
    await store.flush();
    await vi.waitFor(() => expect(store.stats().compactions).toBe(1));
    expect((await openStore(await crashCopy())).list('m1', 'charges')).toHaveLength(4);
  });

  it('above compactBytes, lets the log grow to twice the snapshot before compacting again', async () => {
    const store = await openStore(fx.file, { compactEvery: 1_000_000, compactBytes: 1_000 });
    await store.commit('m1', put('C0', { big: 'x'.repeat(3_000) }));
    await vi.waitFor(() => expect(store.stats().compactions).toBe(1));
    const snapshotBytes = (await stat(fx.file)).size;
    // The compaction rotated the log to generation 2, created by its first write.
    const logBytes = async () => (await stat(`${fx.file}.2.log`).catch(() => ({ size: 0 }))).size;
    const small = { small: 'y'.repeat(500) };
    let n = 1;
    // Past the snapshot's size (where a log as large as the snapshot would compact), up to twice it: no compaction.
    for (;;) {
      const before = await logBytes();
      const line = JSON.stringify({ op: 'put', ns: 'm1', at: 0, puts: [{ collection: 'charges', id: `C${n}`, value: small, dueAt: null, seq: n + 1 }] });
      if (before + line.length + 1 >= 2 * snapshotBytes) break;
      await store.commit('m1', put(`C${n++}`, small));
      await store.flush();
      expect(store.stats().compactions).toBe(1);
    }
    expect(await logBytes()).toBeGreaterThan(1.5 * snapshotBytes);
    await store.commit('m1', put(`C${n++}`, small)); // reaches twice the snapshot
    await vi.waitFor(() => expect(store.stats().compactions).toBe(2));
    expect((await openStore(await crashCopy())).list('m1', 'charges')).toHaveLength(n);
  });
});
