import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';

/** Takes the lease when free, or extends it when this holder has it. ARGV: key, holder, ttl ms. */
const TAKE = `
local current = redis.call('GET', ARGV[1])
if current == ARGV[2] then
  redis.call('PEXPIRE', ARGV[1], ARGV[3])
  return 1
end
if current then return 0 end
redis.call('SET', ARGV[1], ARGV[2], 'PX', ARGV[3])
return 1
`;

/** Gives the lease up if this holder has it. ARGV: key, holder. */
const GIVE_UP = `
if redis.call('GET', ARGV[1]) == ARGV[2] then return redis.call('DEL', ARGV[1]) end
return 0
`;

type LeaseClient = Redis & {
  apmLeaseTake(key: string, holder: string, ttlMs: number): Promise<number>;
  apmLeaseGiveUp(key: string, holder: string): Promise<number>;
};

/**
 * Which of the processes sharing one Redis runs the background sweeps (pending settlements,
 * retention): a key holding the holder's id with an expiry, renewed while the holder lives. It
 * is not a lock around data (every change is still a checked transaction, so a sweep run twice
 * would change nothing twice); it keeps N processes from doing the same sweep N times. A holder
 * that dies is replaced once its key expires.
 */
export class RedisLease {
  readonly #client: LeaseClient;
  readonly #key: string;
  readonly #ttlMs: number;
  readonly #now: () => number;
  #validUntil = 0;
  #timer: NodeJS.Timeout | null = null;

  /** Who this process is, as the lease key holds it. */
  readonly holder: string;

  constructor(client: Redis, key: string, options: { ttlMs?: number; holder?: string; now?: () => number } = {}) {
    this.holder = options.holder ?? randomUUID();
    this.#client = client as LeaseClient;
    this.#key = key;
    this.#ttlMs = options.ttlMs ?? 5000;
    this.#now = options.now ?? (() => performance.now());
    if (typeof this.#client.apmLeaseTake !== 'function') {
      client.defineCommand('apmLeaseTake', { numberOfKeys: 0, lua: TAKE });
      client.defineCommand('apmLeaseGiveUp', { numberOfKeys: 0, lua: GIVE_UP });
    }
  }

  /**
   * True while this process holds the lease. Counted from when the last renewal was sent, and a
   * tenth short of the expiry, so this process stops believing it holds the lease before Redis
   * lets another one take it.
   */
  get held(): boolean {
    return this.#now() < this.#validUntil;
  }

  /** Takes or renews the lease; resolves with whether this process holds it now. A lost connection counts as not held. */
  async renew(): Promise<boolean> {
    const sent = this.#now();
    try {
      const took = await this.#client.apmLeaseTake(this.#key, this.holder, this.#ttlMs);
      this.#validUntil = took === 1 ? sent + this.#ttlMs * 0.9 : 0;
    } catch {
      this.#validUntil = 0;
    }
    return this.held;
  }

  /** Renews every third of the lease time in the background (unref'd). */
  start(): void {
    if (this.#timer) return;
    void this.renew();
    this.#timer = setInterval(() => void this.renew(), Math.max(50, Math.floor(this.#ttlMs / 3)));
    this.#timer.unref();
  }

  /** Stops renewing and gives the lease up, so another process takes over without waiting for the expiry. */
  async stop(): Promise<void> {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
    const wasHeld = this.held;
    this.#validUntil = 0;
    if (!wasHeld) return;
    try {
      await this.#client.apmLeaseGiveUp(this.#key, this.holder);
    } catch {
      // Unreachable: the key expires on its own.
    }
  }
}
