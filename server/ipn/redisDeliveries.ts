import type { Redis } from 'ioredis';
import { asStoreError } from '../store/redisStore.js';
import type { DeliveryMirror, DeliveryQuery, IpnDelivery } from './ipnService.js';

/*
 * Keys (p = the store's prefix):
 *   p ipn:d   hash delivery id -> the delivery as JSON (its latest state)
 *   p ipn:o   sorted set delivery id -> creation time (ms), the order of the list
 */

/**
 * ARGV: prefix, id, created (1/0), createdAt ms, cap, JSON. Writes a delivery's latest state; an
 * update of one no longer listed (cleared meanwhile, by any process) is dropped. Keeps the newest
 * `cap` deliveries.
 */
const SAVE = `
local p, id = ARGV[1], ARGV[2]
if ARGV[3] ~= '1' and redis.call('HEXISTS', p .. 'ipn:d', id) == 0 then return 0 end
redis.call('HSET', p .. 'ipn:d', id, ARGV[6])
redis.call('ZADD', p .. 'ipn:o', ARGV[4], id)
local over = redis.call('ZCARD', p .. 'ipn:o') - tonumber(ARGV[5])
if over > 0 then
  for _, old in ipairs(redis.call('ZRANGE', p .. 'ipn:o', 0, over - 1)) do
    redis.call('HDEL', p .. 'ipn:d', old)
    redis.call('ZREM', p .. 'ipn:o', old)
  end
end
return 1
`;

/**
 * ARGV: prefix, cutoff ms or '' (any age), merchant or '' (all), finished only (1/0). Removes the
 * matching deliveries; returns how many.
 */
const REMOVE = `
local p, cutoff, merchant, finished = ARGV[1], ARGV[2], ARGV[3], ARGV[4] == '1'
local ids
if cutoff == '' then ids = redis.call('ZRANGE', p .. 'ipn:o', 0, -1)
else ids = redis.call('ZRANGEBYSCORE', p .. 'ipn:o', '-inf', '(' .. cutoff) end
local n = 0
for _, id in ipairs(ids) do
  local raw = redis.call('HGET', p .. 'ipn:d', id)
  local d = raw and cjson.decode(raw)
  if not d or ((merchant == '' or d.merchant == merchant) and (not finished or d.status ~= 'pending')) then
    redis.call('HDEL', p .. 'ipn:d', id)
    redis.call('ZREM', p .. 'ipn:o', id)
    if d then n = n + 1 end
  end
end
return n
`;

type DeliveriesClient = Redis & {
  apmIpnSave(prefix: string, id: string, created: string, createdAt: number, cap: number, json: string): Promise<number>;
  apmIpnRemove(prefix: string, cutoff: string, merchant: string, finishedOnly: string): Promise<number>;
};

/**
 * The IPN outbox as every process sharing one Redis sees it: each process sends the deliveries
 * its own commits caused (and retries them), and writes each delivery's state here as it changes,
 * so GET /__admin/ipn/deliveries on any instance lists them all. Writes are fire-and-forget: a
 * delivery is never held up by its listing.
 */
export class RedisDeliveries implements DeliveryMirror {
  readonly #client: DeliveriesClient;

  constructor(
    client: Redis,
    private readonly prefix: string,
    private readonly cap = 1000,
  ) {
    this.#client = client as DeliveriesClient;
    if (typeof this.#client.apmIpnSave !== 'function') {
      client.defineCommand('apmIpnSave', { numberOfKeys: 0, lua: SAVE });
      client.defineCommand('apmIpnRemove', { numberOfKeys: 0, lua: REMOVE });
    }
  }

  save(delivery: IpnDelivery, created: boolean): void {
    this.#client.apmIpnSave(this.prefix, delivery.id, created ? '1' : '0', Date.parse(delivery.createdAt), this.cap, JSON.stringify(delivery)).catch(() => {});
  }

  /** Deliveries of every process, newest first. */
  async list(query: DeliveryQuery = {}): Promise<IpnDelivery[]> {
    try {
      const ids = await this.#client.zrevrange(`${this.prefix}ipn:o`, 0, -1);
      const raw = ids.length ? await this.#client.hmget(`${this.prefix}ipn:d`, ...ids) : [];
      const out: IpnDelivery[] = [];
      for (const text of raw) {
        if (!text) continue;
        const d = JSON.parse(text) as IpnDelivery;
        if (query.merchant !== undefined && d.merchant !== query.merchant) continue;
        if (query.status !== undefined && d.status !== query.status) continue;
        out.push(d);
        if (query.limit !== undefined && out.length >= query.limit) break;
      }
      return out;
    } catch (err) {
      throw asStoreError(err);
    }
  }

  /** Forgets the deliveries of one merchant (or all) from the shared list; returns how many. */
  clear(merchant?: string): Promise<number> {
    return this.#client.apmIpnRemove(this.prefix, '', merchant ?? '', '0').catch((err: unknown) => Promise.reject(asStoreError(err)));
  }

  /** Forgets finished deliveries created before `cutoff` (real ms; retention); returns how many. */
  dropBefore(cutoff: number): Promise<number> {
    return this.#client.apmIpnRemove(this.prefix, String(Math.floor(cutoff)), '', '1').catch((err: unknown) => Promise.reject(asStoreError(err)));
  }
}
