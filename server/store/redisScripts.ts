/**
 * The Lua scripts of the Redis store. Redis runs a script atomically, so each one is a consistent
 * read or an all-or-nothing write, whichever process sends it.
 *
 * Keys, all under one prefix `p` (so a database can hold other data too):
 *   p version              layout version of what follows (checked at start-up)
 *   p seq                  counter: record versions and insertion order
 *   p ns                   hash ns -> number of records in it
 *   p r:<ns>:<collection>  hash id -> JSON value
 *   p v:<ns>:<collection>  hash id -> version (the seq of its last write; absent: never written)
 *   p o:<ns>:<collection>  sorted set id -> insertion seq (the order of readAll)
 *   p cv:<ns>              hash collection -> version of the collection (the seq of its last write)
 *   p due                  sorted set "<ns>\0<collection>\0<id>" -> dueAt, every namespace's (the settler's view)
 *   p due:<ns>             sorted set of the same members and scores, this namespace's only (the check
 *                          before each call reads it, so another merchant's schedule costs it nothing)
 *   p due-by-ns            set once the `due:<ns>` sets hold what `due` holds (data of layout 1 written
 *                          before they existed has `due` only; opening builds them, see BUILD_DUE_BY_NS)
 *   p changed              sorted set "<ns>\0<collection>\0<id>" -> real time of its last write (retention;
 *                          configuration collections are not in it)
 * Collection names hold no ':', so the last segment of a key is the collection whatever the
 * namespace holds. No other key starts with `due:` (a namespace is never empty, so `due:<ns>` is
 * never `due` itself, and `due-by-ns` has no ':'). Scripts compute their keys, so the store needs
 * one Redis, not a Cluster.
 */

import { configurationCollections } from './store.js';

/** The collections retention never removes, as a Lua table (see `configurationCollections`). */
const KEPT = `local kept = { ${configurationCollections.map((c) => `${c} = true`).join(', ')} }`;

/** Deletes one record with its version, order, count and schedules (a Lua function). */
const DELETE_RECORD = `
local function delete_record(p, ns, c, id)
  local tail = ns .. ':' .. c
  if redis.call('HDEL', p .. 'r:' .. tail, id) == 1 then
    redis.call('HSET', p .. 'cv:' .. ns, c, redis.call('INCR', p .. 'seq'))
    redis.call('HDEL', p .. 'v:' .. tail, id)
    redis.call('ZREM', p .. 'o:' .. tail, id)
    if redis.call('HINCRBY', p .. 'ns', ns, -1) <= 0 then redis.call('HDEL', p .. 'ns', ns) end
  end
  local member = ns .. '\\0' .. c .. '\\0' .. id
  redis.call('ZREM', p .. 'due', member)
  redis.call('ZREM', p .. 'due:' .. ns, member)
  redis.call('ZREM', p .. 'changed', member)
end
`;

/**
 * ARGV: prefix, ns, at, n reads, (collection, id or '' for the whole collection, version) x n,
 * m puts, (collection, id, json or '', dueAt or '') x m.
 * Applies the puts only if every record (or collection) read still has the version the transaction
 * saw. Returns 1, or 0 when something read changed (nothing written).
 */
export const COMMIT = `${DELETE_RECORD}${KEPT}
local p, ns, at = ARGV[1], ARGV[2], ARGV[3]
local i = 4
local reads = tonumber(ARGV[i]); i = i + 1
for k = 1, reads do
  local cur
  if ARGV[i + 1] == '' then cur = redis.call('HGET', p .. 'cv:' .. ns, ARGV[i])
  else cur = redis.call('HGET', p .. 'v:' .. ns .. ':' .. ARGV[i], ARGV[i + 1]) end
  if (cur or '0') ~= ARGV[i + 2] then return 0 end
  i = i + 3
end
local puts = tonumber(ARGV[i]); i = i + 1
for k = 1, puts do
  local c, id, val, due = ARGV[i], ARGV[i + 1], ARGV[i + 2], ARGV[i + 3]
  i = i + 4
  if val == '' then
    delete_record(p, ns, c, id)
  else
    local tail = ns .. ':' .. c
    local member = ns .. '\\0' .. c .. '\\0' .. id
    local seq = redis.call('INCR', p .. 'seq')
    if redis.call('HSET', p .. 'r:' .. tail, id, val) == 1 then
      redis.call('HINCRBY', p .. 'ns', ns, 1)
      redis.call('ZADD', p .. 'o:' .. tail, seq, id)
    end
    redis.call('HSET', p .. 'v:' .. tail, id, seq)
    redis.call('HSET', p .. 'cv:' .. ns, c, seq)
    if due == '' then
      redis.call('ZREM', p .. 'due', member)
      redis.call('ZREM', p .. 'due:' .. ns, member)
    else
      redis.call('ZADD', p .. 'due', due, member)
      redis.call('ZADD', p .. 'due:' .. ns, due, member)
    end
    if not kept[c] then redis.call('ZADD', p .. 'changed', at, member) end
  end
end
return 1
`;

/** Every value of one collection, in insertion order (a Lua table of JSON texts). */
const VALUES_OF = `
local function values_of(p, tail)
  local ids = redis.call('ZRANGE', p .. 'o:' .. tail, 0, -1)
  local out = {}
  for s = 1, #ids, 1000 do
    local chunk = {}
    for k = s, math.min(s + 999, #ids) do chunk[#chunk + 1] = ids[k] end
    local values = redis.call('HMGET', p .. 'r:' .. tail, unpack(chunk))
    for k = 1, #values do if values[k] then out[#out + 1] = values[k] end end
  end
  return out
end
`;

/**
 * ARGV: prefix, ns, (collection, id or '' for the whole collection) x n. Returns, for each, its
 * JSON ('' when absent; a JSON array of every value for a whole collection) and its version.
 */
export const FETCH = `${VALUES_OF}
local p, ns = ARGV[1], ARGV[2]
local out = {}
for i = 3, #ARGV, 2 do
  local tail = ns .. ':' .. ARGV[i]
  if ARGV[i + 1] == '' then
    out[#out + 1] = '[' .. table.concat(values_of(p, tail), ',') .. ']'
    out[#out + 1] = redis.call('HGET', p .. 'cv:' .. ns, ARGV[i]) or '0'
  else
    out[#out + 1] = redis.call('HGET', p .. 'r:' .. tail, ARGV[i + 1]) or ''
    out[#out + 1] = redis.call('HGET', p .. 'v:' .. tail, ARGV[i + 1]) or '0'
  end
end
return out
`;

/** ARGV: prefix, ns, collection. Every value of the collection, in insertion order. */
export const READ_ALL = `${VALUES_OF}
return values_of(ARGV[1], ARGV[2] .. ':' .. ARGV[3])
`;

/**
 * ARGV: prefix, ns or '' (every namespace), n, every collection name (n of them), then what to keep
 * as (ns, collection, id or '' for the whole collection) triples. Clears the records and their
 * schedules, except the kept records, which keep their value, version, insertion order, due
 * times and retention time: they are saved first and put back at the end, inside this one script,
 * so nothing (a crash, another instance) can come between the clearing and the putting back.
 */
export const RESET = `
local p, only, n = ARGV[1], ARGV[2], tonumber(ARGV[3])
local names
if only == '' then names = redis.call('HKEYS', p .. 'ns') else names = { only } end
-- The kept records as they are now, each once (a single record may also be in a kept collection).
local saved, seen = {}, {}
local function save(ns, c, id)
  local member = ns .. '\\0' .. c .. '\\0' .. id
  if seen[member] then return end
  seen[member] = true
  local tail = ns .. ':' .. c
  local val = redis.call('HGET', p .. 'r:' .. tail, id)
  if not val then return end
  saved[#saved + 1] = { ns = ns, tail = tail, id = id, member = member, val = val,
    ver = redis.call('HGET', p .. 'v:' .. tail, id), ord = redis.call('ZSCORE', p .. 'o:' .. tail, id),
    due = redis.call('ZSCORE', p .. 'due', member), dueNs = redis.call('ZSCORE', p .. 'due:' .. ns, member),
    changed = redis.call('ZSCORE', p .. 'changed', member) }
end
for i = 4 + n, #ARGV, 3 do
  local ns, c, id = ARGV[i], ARGV[i + 1], ARGV[i + 2]
  if only == '' or ns == only then
    if id == '' then
      for _, kid in ipairs(redis.call('HKEYS', p .. 'r:' .. ns .. ':' .. c)) do save(ns, c, kid) end
    else save(ns, c, id) end
  end
end
for _, ns in ipairs(names) do
  for i = 4, 3 + n do
    local tail = ns .. ':' .. ARGV[i]
    if only ~= '' then
      -- Only this namespace's schedules go: found through its own records, not by scanning everyone's.
      for _, id in ipairs(redis.call('HKEYS', p .. 'r:' .. tail)) do
        local member = ns .. '\\0' .. ARGV[i] .. '\\0' .. id
        redis.call('ZREM', p .. 'due', member)
        redis.call('ZREM', p .. 'changed', member)
      end
    end
    redis.call('DEL', p .. 'r:' .. tail, p .. 'v:' .. tail, p .. 'o:' .. tail)
  end
  redis.call('DEL', p .. 'due:' .. ns)
  -- Versions only grow: a transaction that read before the reset must not commit after it.
  for i = 4, 3 + n do redis.call('HSET', p .. 'cv:' .. ns, ARGV[i], redis.call('INCR', p .. 'seq')) end
  redis.call('HDEL', p .. 'ns', ns)
end
if only == '' then redis.call('DEL', p .. 'due', p .. 'changed') end
-- A kept record is back exactly as it was: a transaction that read it may still commit, as it
-- would have without the reset; one that read a cleared record or a whole collection may not.
for _, k in ipairs(saved) do
  redis.call('HSET', p .. 'r:' .. k.tail, k.id, k.val)
  if k.ver then redis.call('HSET', p .. 'v:' .. k.tail, k.id, k.ver) end
  if k.ord then redis.call('ZADD', p .. 'o:' .. k.tail, k.ord, k.id) end
  if k.due then redis.call('ZADD', p .. 'due', k.due, k.member) end
  if k.dueNs then redis.call('ZADD', p .. 'due:' .. k.ns, k.dueNs, k.member) end
  if k.changed then redis.call('ZADD', p .. 'changed', k.changed, k.member) end
  redis.call('HINCRBY', p .. 'ns', k.ns, 1)
end
return 1
`;

/**
 * ARGV: prefix, cutoff, limit. Deletes up to `limit` records whose last write is before the cutoff,
 * each checked at that moment (one script: nothing can change in between), never configuration.
 * Returns how many it deleted.
 */
export const SWEEP = `${DELETE_RECORD}${KEPT}
local p, cutoff, limit = ARGV[1], ARGV[2], tonumber(ARGV[3])
local members = redis.call('ZRANGEBYSCORE', p .. 'changed', '-inf', '(' .. cutoff, 'LIMIT', 0, limit)
local removed = 0
for _, m in ipairs(members) do
  local a = string.find(m, '\\0', 1, true)
  local b = string.find(m, '\\0', a + 1, true)
  local c = string.sub(m, a + 1, b - 1)
  if kept[c] then
    -- Configuration written before it was kept out of the index: it stays, and leaves the index.
    redis.call('ZREM', p .. 'changed', m)
  else
    delete_record(p, string.sub(m, 1, a - 1), c, string.sub(m, b + 1))
    removed = removed + 1
  end
end
return removed
`;

/**
 * ARGV: prefix. Builds every `due:<ns>` set from the shared `due` once, for data written before
 * they existed, and marks it done (`due-by-ns`); one script, so instances opening at once build it
 * once. Returns how many schedules it copied, or -1 when it was done already.
 */
export const BUILD_DUE_BY_NS = `
local p = ARGV[1]
if redis.call('EXISTS', p .. 'due-by-ns') == 1 then return -1 end
local copied, start = 0, 0
while true do
  local flat = redis.call('ZRANGE', p .. 'due', start, start + 999, 'WITHSCORES')
  if #flat == 0 then break end
  for k = 1, #flat, 2 do
    local m = flat[k]
    local a = string.find(m, '\\0', 1, true)
    if a then
      redis.call('ZADD', p .. 'due:' .. string.sub(m, 1, a - 1), flat[k + 1], m)
      copied = copied + 1
    end
  end
  start = start + 1000
end
redis.call('SET', p .. 'due-by-ns', '1')
return copied
`;

/** ARGV: key, version. Sets the layout version on an empty database; returns the version found. */
export const CLAIM_VERSION = `
local found = redis.call('GET', ARGV[1])
if found then return found end
redis.call('SET', ARGV[1], ARGV[2])
return ARGV[2]
`;
