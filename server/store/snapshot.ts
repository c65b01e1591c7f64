import { open, rename, unlink } from 'node:fs/promises';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { backgroundSlices } from './backgroundSlices.js';
import { checkNamespace, isCollection } from './encoding.js';
import { eachLine, type LineTail } from './lineReader.js';
import type { Entry, MemoryStore } from './memoryStore.js';
import type { Collection } from './store.js';

export const snapshotFormat = 'amazon-pay-mock/store@2';

/**
 * The snapshot file: JSON Lines, written and read one record at a time, so it has no size ceiling.
 *
 *   {"format":"amazon-pay-mock/store@2","logGeneration":7}      header
 *   ["d","checkoutSessions","<base64>"]                          a collection's packing dictionary
 *   ["r",ns,collection,id,changedAt,dueAt,value,seq]             a record as JSON
 *   ["z",ns,collection,id,changedAt,dueAt,"<base64>",seq]        a packed record (deflated JSON)
 *   {"end":1234}                                                 trailer: how many records
 *
 * `logGeneration` says which log files are newer: on open, `<file>.<n>.log` for every
 * n >= logGeneration is replayed on top. `changedAt` is the real time of the record's last write;
 * `seq` its insertion number (the order `list` returns).
 */
export interface SnapshotHeader {
  format: typeof snapshotFormat;
  logGeneration: number;
}

/** Text JSON writes as is between quotes (ids nearly always are): no escaping needed. */
const plainText = /^[\w.:~+/=-]*$/;

/** Bytes gathered before a write: each line is encoded straight into this buffer, so no line outlives its turn. */
const CHUNK = 1 << 20;

const QUOTE = 0x22;
const COMMA = 0x2c;
const CLOSE = 0x5d;
const NEWLINE = 0x0a;
const ZERO = 0x30;

/**
 * Writes a number as JSON writes it, at `at`; returns where it ends. Whole numbers from 0 up to
 * the safe limit (times, insertion numbers) are written digit by digit, making no string; a
 * 13-digit time in two parts of at most 8 digits, so every step is small-integer arithmetic.
 */
export function writeNumber(buffer: Buffer, at: number, n: number): number {
  if (!Number.isSafeInteger(n) || n < 0) return at + buffer.write(JSON.stringify(n), at, 'latin1');
  if (n < 1e8) return writeDigits(buffer, at, n, digitCount(n));
  const high = Math.floor(n / 1e8); // below 1e8 too: the safe limit is about 9.007e15
  at = writeDigits(buffer, at, high, digitCount(high));
  return writeDigits(buffer, at, n - high * 1e8, 8);
}

function digitCount(n: number): number {
  let digits = 1;
  for (let rest = n; rest >= 10; rest = (rest / 10) | 0) digits++;
  return digits;
}

/** Writes 0 <= n < 1e8 as exactly `digits` digits (zero-padded); returns where they end. */
function writeDigits(buffer: Buffer, at: number, n: number, digits: number): number {
  for (let i = at + digits - 1; i >= at; i--) {
    const rest = (n / 10) | 0;
    buffer[i] = ZERO + n - rest * 10;
    n = rest;
  }
  return at + digits;
}

/**
 * Writes the state to `file` (temp file, fsync, rename), a few ms of work at a time with the event
 * loop free in between (one slice per turn, shared with the store's other background work: see
 * backgroundSlices.ts), so a snapshot of any size never stalls requests for long. Commits made
 * meanwhile may or may not be in it: every one of them is also in a log generation at or above
 * `logGeneration`, and replaying a put or a reset again gives the same result.
 */
export async function writeSnapshot(
  file: string,
  state: MemoryStore,
  {
    logGeneration,
    sliceMs = 4,
    beforeRename = async () => {},
  }: {
    logGeneration: number;
    /** Work done between two yields to the event loop. */
    sliceMs?: number;
    /** Runs after the temp file is complete and synced, before it replaces `file`; throwing abandons it. */
    beforeRename?: () => Promise<void>;
  },
): Promise<{ records: number; bytes: number }> {
  const temp = path.join(path.dirname(file), `.${path.basename(file)}.tmp`);
  const handle = await open(temp, 'w');
  let records = 0;
  let bytes = 0;
  try {
    let buffer = Buffer.allocUnsafe(CHUNK);
    let used = 0;
    const flush = async () => {
      let offset = 0;
      while (offset < used) offset += (await handle.write(buffer, offset, used - offset)).bytesWritten;
      bytes += used;
      used = 0;
    };
    let sliceStart = 0;
    /**
     * Writes out what is gathered, and grows the buffer for a line larger than it. The write's
     * continuation would run on in the poll phase of a turn that may hold another job's slice: a
     * new slice is asked for instead (see backgroundSlices.ts).
     */
    const makeRoom = async (bytesNeeded: number) => {
      await flush();
      if (bytesNeeded > buffer.length) buffer = Buffer.allocUnsafe(bytesNeeded);
      await backgroundSlices.next();
      sliceStart = performance.now();
    };
    const fits = (line: string) => line.length * 3 + 1 <= buffer.length - used; // UTF-8: at most 3 bytes per UTF-16 unit
    const add = (line: string) => {
      used += buffer.write(line, used);
      buffer[used++] = 10;
    };
    const push = async (line: string) => {
      if (!fits(line)) await makeRoom(line.length * 3 + 1);
      add(line);
    };
    await push(JSON.stringify({ format: snapshotFormat, logGeneration }));
    const written = new Set<Collection>();
    // Every slice, the first too and each one after a file write, starts in a turn of its own.
    await backgroundSlices.next();
    sliceStart = performance.now();
    // A line is put together in the buffer from its pieces (the same bytes JSON.stringify of the
    // array gives), with no string made for it: a snapshot of a million packed records then costs
    // the garbage collector almost nothing, where a line made as a string first cost it about 60
    // young-generation collections (a fifth of the snapshot's time). Records come grouped by
    // namespace and collection, so those two are encoded once per group.
    for (const [ns, collection, group] of state.groups()) {
      const heads = lineHeads(ns, collection);
      // Keys, then a lookup: iterating entries would make an [id, entry] array per record, about
      // 40 MB of garbage per million records and a few young-generation collections per snapshot.
      for (const id of group.keys()) {
        const entry = group.get(id)!;
        const packed = entry.packed;
        if (packed !== null && !written.has(collection)) {
          written.add(collection);
          await push(JSON.stringify(['d', collection, state.packer.dictionary(collection)!.toString('base64')]));
        }
        const plainId = plainText.test(id);
        const json = packed === null ? JSON.stringify(entry.value) : null;
        // UTF-8 takes at most 3 bytes per UTF-16 unit; a number at most 24 characters.
        const bound = heads.r.length + (plainId ? id.length + 2 : id.length * 6 + 2) + (json === null ? packed!.length + 2 : json.length * 3) + 3 * 24 + 8;
        if (bound > buffer.length - used) await makeRoom(bound);
        used = writeRecordLine(buffer, used, heads, id, plainId, entry, json);
        records++;
        if ((records & 63) === 0 && performance.now() - sliceStart >= sliceMs) {
          await backgroundSlices.next();
          sliceStart = performance.now();
        }
      }
    }
    await push(JSON.stringify({ end: records }));
    await flush();
    await handle.sync();
    await beforeRename();
  } catch (err) {
    await handle.close().catch(() => {});
    await unlink(temp).catch(() => {}); // a full disk gets its space back
    throw err;
  }
  await handle.close();
  await rename(temp, file);
  return { records, bytes };
}

/** The start of a record's line in one namespace and collection, packed (`z`) and not (`r`), as bytes. */
interface LineHeads {
  z: Buffer;
  r: Buffer;
}

function lineHeads(ns: string, collection: Collection): LineHeads {
  const rest = `,${JSON.stringify(ns)},${JSON.stringify(collection)},`;
  return { z: Buffer.from(`["z"${rest}`, 'utf8'), r: Buffer.from(`["r"${rest}`, 'utf8') };
}

/**
 * Writes one record's snapshot line at `at` (room checked by the caller); returns where it ends.
 * `json` is the record's JSON when it is not packed.
 */
function writeRecordLine(buffer: Buffer, at: number, heads: LineHeads, id: string, plainId: boolean, entry: Entry, json: string | null): number {
  const head = json === null ? heads.z : heads.r;
  buffer.set(head, at);
  at += head.length;
  if (plainId) {
    buffer[at++] = QUOTE;
    at += buffer.write(id, at, 'latin1');
    buffer[at++] = QUOTE;
  } else at += buffer.write(JSON.stringify(id), at, 'utf8');
  buffer[at++] = COMMA;
  at = writeNumber(buffer, at, entry.changedAt);
  buffer[at++] = COMMA;
  if (entry.dueAt === null) at += buffer.write('null', at, 'latin1');
  else at = writeNumber(buffer, at, entry.dueAt);
  buffer[at++] = COMMA;
  if (json === null) {
    buffer[at++] = QUOTE;
    at += buffer.write(entry.packed!, at, 'latin1'); // base64 needs no escaping
    buffer[at++] = QUOTE;
  } else at += buffer.write(json, at, 'utf8');
  buffer[at++] = COMMA;
  at = writeNumber(buffer, at, entry.seq);
  buffer[at++] = CLOSE;
  buffer[at++] = NEWLINE;
  return at;
}

function fail(file: string, line: number, what: string): never {
  throw new Error(`${file} line ${line} is not a valid snapshot line: ${what}. Move the file away to start without it (its log files may hold newer writes).`);
}

/** Loads a snapshot into an empty state, streamed; returns the log generation it covers and how many records it held. */
export async function readSnapshot(file: string, state: MemoryStore): Promise<{ logGeneration: number; records: number }> {
  let lineNo = 0;
  let logGeneration = -1;
  let records = 0;
  let end: number | null = null;
  // Every record names its namespace and collection: keep one string of each, not a copy per record.
  let lastNs = '';
  let lastCollection: Collection | '' = '';
  const tail: LineTail = { text: '' };
  await eachLine(
    file,
    (line) => {
      lineNo++;
      let item: unknown;
      try {
        item = JSON.parse(line);
      } catch (err) {
        fail(file, lineNo, (err as Error).message);
      }
      if (lineNo === 1) {
        const header = item as Partial<SnapshotHeader> | null;
        if (header?.format !== snapshotFormat) fail(file, lineNo, `format is ${JSON.stringify(header?.format)}, expected "${snapshotFormat}"`);
        if (!Number.isSafeInteger(header.logGeneration) || header.logGeneration! < 0) fail(file, lineNo, 'logGeneration is not a non-negative integer');
        logGeneration = header.logGeneration!;
        return;
      }
      if (end !== null) fail(file, lineNo, 'a line after the end');
      if (!Array.isArray(item)) {
        const trailer = item as { end?: unknown } | null;
        if (typeof trailer?.end !== 'number') fail(file, lineNo, 'neither a record nor the end');
        end = trailer.end;
        return;
      }
      const [kind, a, b, c, changedAt, dueAt, value, seq] = item as unknown[];
      if (kind === 'd') {
        if (!isCollection(a) || typeof b !== 'string') fail(file, lineNo, 'a bad dictionary');
        state.packer.setDictionary(a, Buffer.from(b, 'base64'));
        return;
      }
      if (kind !== 'r' && kind !== 'z') fail(file, lineNo, `unknown kind ${JSON.stringify(kind)}`);
      if (a !== lastNs) {
        try {
          checkNamespace(a);
        } catch {
          fail(file, lineNo, 'a bad namespace');
        }
        lastNs = a;
      }
      if (b !== lastCollection) {
        if (!isCollection(b)) fail(file, lineNo, `unknown collection ${JSON.stringify(b)}`);
        lastCollection = b;
      }
      const collection = lastCollection as Collection;
      if (typeof c !== 'string' || c === '') fail(file, lineNo, 'a bad id');
      if (typeof changedAt !== 'number' || (dueAt !== null && typeof dueAt !== 'number')) fail(file, lineNo, 'bad times');
      if (!Number.isSafeInteger(seq)) fail(file, lineNo, 'a bad insertion number');
      if (kind === 'z') {
        if (typeof value !== 'string' || !state.packer.dictionary(collection)) fail(file, lineNo, 'a packed record without its dictionary');
        state.load({ ns: lastNs, collection, id: c }, { value: undefined, packed: value, dueAt: dueAt as number | null, changedAt, seq: seq as number });
      } else {
        if (value === undefined || value === null) fail(file, lineNo, 'a record without a value');
        state.load({ ns: lastNs, collection, id: c }, { value, packed: null, dueAt: dueAt as number | null, changedAt, seq: seq as number });
      }
      records++;
    },
    tail,
  );
  if (lineNo === 0) fail(file, 1, 'the file is empty');
  if (end === null || tail.text !== '') fail(file, lineNo + 1, 'the file ends before its trailer (it was cut short)');
  if (end !== records) fail(file, lineNo, `the trailer says ${end} records, the file holds ${records}`);
  return { logGeneration, records };
}
