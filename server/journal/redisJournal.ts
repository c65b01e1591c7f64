import type { Redis } from 'ioredis';
import { asStoreError } from '../store/redisStore.js';
import { finishedEntry, matchesQuery, type EntryToRecord, type JournalEntry, type JournalQuery, type RequestJournal } from './journal.js';

/*
 * Keys (p = the store's prefix):
 *   p jseq        counter: entry ids, in the order Redis received the entries from any process
 *   p jm          set of the merchants that have a stream ('' for calls without a merchant)
 *   p j:<m>       stream of one merchant's entries, fields id and e (the entry as JSON), capped
 */

/** ARGV: prefix, merchant ('' for none), capacity, entry JSON. Appends one entry, dropping the oldest past the cap. */
const RECORD = `
local p, m = ARGV[1], ARGV[2]
local id = redis.call('INCR', p .. 'jseq')
redis.call('XADD', p .. 'j:' .. m, 'MAXLEN', ARGV[3], '*', 'id', id, 'e', ARGV[4])
redis.call('SADD', p .. 'jm', m)
return id
`;

/** ARGV: prefix, merchant or nothing (all). Deletes the streams; returns how many entries went. */
const CLEAR = `
local p = ARGV[1]
local names
if #ARGV >= 2 then names = { ARGV[2] } else names = redis.call('SMEMBERS', p .. 'jm') end
local n = 0
for _, m in ipairs(names) do
  n = n + redis.call('XLEN', p .. 'j:' .. m)
  redis.call('DEL', p .. 'j:' .. m)
  redis.call('SREM', p .. 'jm', m)
end
return n
`;

/** ARGV: prefix, cutoff ms. Trims every stream to entries Redis received at or after the cutoff; returns how many went. */
const DROP_BEFORE = `
local p = ARGV[1]
local n = 0
for _, m in ipairs(redis.call('SMEMBERS', p .. 'jm')) do
  n = n + redis.call('XTRIM', p .. 'j:' .. m, 'MINID', ARGV[2])
end
return n
`;

type JournalClient = Redis & {
  apmJournalRecord(prefix: string, merchant: string, capacity: number, entry: string): Promise<number>;
  apmJournalClear(prefix: string, ...merchant: string[]): Promise<number>;
  apmJournalDropBefore(prefix: string, cutoff: number): Promise<number>;
};

type StreamEntries = [id: string, fields: string[]][];

/**
 * The request journal of every process sharing one Redis: one capped stream per merchant (the
 * last `capacity` calls of each), so GET /__admin/requests shows calls any instance served, in
 * the order Redis received them. Recording is fire-and-forget (a call is never held up or failed
 * by its journal entry; while Redis is down entries are lost, as the journal is a debugging aid).
 */
export class RedisJournal implements RequestJournal {
  readonly #client: JournalClient;

  constructor(
    client: Redis,
    private readonly prefix: string,
    private readonly capacity: number,
  ) {
    this.#client = client as JournalClient;
    if (typeof this.#client.apmJournalRecord !== 'function') {
      client.defineCommand('apmJournalRecord', { numberOfKeys: 0, lua: RECORD });
      client.defineCommand('apmJournalClear', { numberOfKeys: 0, lua: CLEAR });
      client.defineCommand('apmJournalDropBefore', { numberOfKeys: 0, lua: DROP_BEFORE });
    }
  }

  record(toRecord: EntryToRecord): void {
    if (this.capacity <= 0) return;
    // Shared by every process: built and sent now.
    const entry = finishedEntry(toRecord);
    this.#client.apmJournalRecord(this.prefix, entry.merchant ?? '', this.capacity, JSON.stringify(entry)).catch(() => {});
  }

  async query(q: JournalQuery = {}): Promise<JournalEntry[]> {
    try {
      return await this.#query(q);
    } catch (err) {
      throw asStoreError(err);
    }
  }

  async #query(q: JournalQuery): Promise<JournalEntry[]> {
    const limit = q.limit ?? 100;
    const names = q.merchant !== undefined ? [q.merchant] : await this.#client.smembers(`${this.prefix}jm`);
    const streams = await Promise.all(names.map((m) => this.#client.xrevrange(`${this.prefix}j:${m}`, '+', '-') as Promise<StreamEntries>));
    const all = streams.flat().map(entryOf).filter((e): e is JournalEntry => e !== null);
    // One merchant's stream is already newest first; several are merged by id (Redis's order of arrival).
    if (streams.length > 1) all.sort((a, b) => b.id - a.id);
    const out: JournalEntry[] = [];
    for (const e of all) {
      if (out.length >= limit) break;
      if (matchesQuery(e, q)) out.push(e);
    }
    return out;
  }

  /** The merchants with a stream ('' is the calls without a merchant). */
  async merchants(): Promise<string[]> {
    try {
      return (await this.#client.smembers(`${this.prefix}jm`)).filter((m) => m !== '');
    } catch (err) {
      throw asStoreError(err);
    }
  }

  clear(merchant?: string): Promise<number> {
    const cleared = merchant === undefined ? this.#client.apmJournalClear(this.prefix) : this.#client.apmJournalClear(this.prefix, merchant);
    return cleared.catch((err: unknown) => Promise.reject(asStoreError(err)));
  }

  dropBefore(cutoff: number): Promise<number> {
    return this.#client.apmJournalDropBefore(this.prefix, Math.max(0, Math.floor(cutoff))).catch((err: unknown) => Promise.reject(asStoreError(err)));
  }
}

function entryOf([, fields]: [string, string[]]): JournalEntry | null {
  let id: number | null = null;
  let body: string | null = null;
  for (let i = 0; i + 1 < fields.length; i += 2) {
    if (fields[i] === 'id') id = Number(fields[i + 1]);
    else if (fields[i] === 'e') body = fields[i + 1]!;
  }
  if (id === null || body === null) return null;
  try {
    return { id, ...(JSON.parse(body) as Omit<JournalEntry, 'id'>) };
  } catch {
    return null;
  }
}
