import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { Store } from '../store/store.js';
import { claimAttempt, OUTBOX, overCap, recordAttempt, removeDeliveries, type DeliveryAttempt, type DeliveryStatus, type IpnDelivery, type OutboxRecord } from './outbox.js';
import { IPN_SETTINGS_ID, storedIpnConfig, type IpnConfig } from './ipnConfig.js';
import type { IpnNotification } from './notifications.js';
import { signingIdentity, signingIdentitySync } from './signingIdentity.js';
import { buildEnvelope, envelopeBody, envelopeFor, ipnMessage, subscriptionArnOf } from './snsEnvelope.js';

export type { DeliveryAttempt, DeliveryStatus, IpnDelivery } from './outbox.js';

export interface IpnServiceOptions {
  store: Store;
  /** Source of MessageId, NotificationId and delivery ids. */
  ids: { uuid(): string };
  /** The mock's base URL as receivers reach it (SigningCertURL, UnsubscribeURL). Read per notification. */
  publicUrl: () => string;
  /** Endpoints for merchants that have not configured their own. */
  defaultUrls: string[];
  /** Whether merchants without their own config get signed envelopes (default true). */
  defaultSigned?: boolean;
  /** Wait before each retry; attempts = 1 + length. */
  retryDelaysMs: number[];
  /** Per attempt: no complete response head within this many ms counts as a failed attempt. */
  timeoutMs: number;
  /** Deliveries kept in the outbox, oldest finished ones dropped first (default 1000). */
  maxDeliveries?: number;
  fetchImpl?: typeof fetch;
  /** Wall time (ms) for Timestamp and attempt times; defaults to Date.now. */
  now?: () => number;
  /** On a store shared by several processes: whether this one runs the background delivery of due records (the lease holder). Default: always. */
  runner?: { readonly held: boolean };
  /** How often the runner looks for due deliveries (ms; default 500). */
  pollMs?: number;
}

/** A merchant's effective config and where it comes from. */
export interface EffectiveIpnConfig extends IpnConfig {
  source: 'merchant' | 'default';
}

export interface DeliveryQuery {
  merchant?: string;
  status?: DeliveryStatus;
  /** Newest first, at most this many (default: all). */
  limit?: number;
}

/** What this process holds for a delivery it is working on: the retry timer, or the request in flight. */
interface Local {
  ns: string;
  timer: NodeJS.Timeout | null;
  controller: AbortController | null;
  /** Set when this process stops working on it (closed, or the delivery was cleared). */
  stopped: boolean;
}

/** An attempt taken by a process that then died counts as abandoned this long after its timeout. */
const CLAIM_MARGIN_MS = 5000;
const RESPONSE_SNIPPET = 300;

/** What one commit caused: its notifications, and the merchant's IPN settings as the commit's transaction read them. */
export interface CausedNotifications {
  notifications: readonly IpnNotification[];
  settings: unknown;
}

/**
 * Sends Instant Payment Notifications the way Amazon Pay does (SNS HTTP POSTs, "Set up Instant
 * Payment Notifications"): `outboxRecords` makes one delivery per (notification × endpoint) of a
 * commit, which `NotifyingStore` writes to the Store's outbox in that commit (see `outbox.ts`) and
 * `attemptFirst` starts once it is durable; deliveries run on
 * real time in the background, retried after each of `retryDelaysMs`. Each attempt is taken in a
 * store transaction, so processes sharing the store never make the same attempt twice, and a
 * delivery left pending by a process that stopped is delivered by the next one to look (the
 * runner's poll), after a restart too.
 */
export class IpnService {
  readonly #o: Required<Omit<IpnServiceOptions, 'fetchImpl' | 'runner'>> & { fetchImpl: typeof fetch; runner: { readonly held: boolean } };
  /** Deliveries this process is working on, by id. */
  readonly #local = new Map<string, Local>();
  /** Attempts under way (flush waits for them). */
  readonly #attempts = new Set<Promise<unknown>>();
  #poller: NodeJS.Timeout | null = null;
  #polling: Promise<void> | null = null;
  #order = 0;
  #closed = false;

  constructor(options: IpnServiceOptions) {
    this.#o = {
      defaultSigned: true,
      maxDeliveries: 1000,
      now: () => Date.now(),
      pollMs: 500,
      ...options,
      runner: options.runner ?? { held: true },
      fetchImpl: options.fetchImpl ?? ((...args) => fetch(...args)),
      defaultUrls: [...options.defaultUrls],
      retryDelaysMs: [...options.retryDelaysMs],
    };
  }

  /**
   * Starts looking for due deliveries (left by an earlier run or another process; on a shared
   * store only while `runner` holds). Generates the process's signing key off the main thread when notifications are configured by
   * default (call once at start-up, so the first signed IPN need not wait); without default
   * endpoints it is made when a merchant configures its own, or by the first signed IPN.
   */
  async start(): Promise<void> {
    this.#startPolling();
    if (this.#o.defaultUrls.length > 0) await signingIdentity();
  }

  /** The PEM certificate served at SigningCertURL. */
  async signingCertificatePem(): Promise<string> {
    return (await signingIdentity()).certPem;
  }

  /** The endpoints and signing mode for merchants without their own. */
  get defaults(): IpnConfig {
    return { urls: [...this.#o.defaultUrls], signed: this.#o.defaultSigned };
  }

  /** A merchant's config: its own (settings/`ipn`) or the defaults. */
  async config(ns: string): Promise<EffectiveIpnConfig> {
    return this.#effective(await this.#o.store.read(ns, 'settings', IPN_SETTINGS_ID));
  }

  /**
   * Whether a merchant with this stored settings record (undefined when none) has anywhere to send
   * notifications: its own URLs, or else the defaults. Without any, a commit need not work out
   * which notifications it causes. Makes no objects: it is asked on every commit of a charge.
   */
  hasEndpoints(stored: unknown): boolean {
    if (this.#closed) return false;
    const own = storedIpnConfig(stored);
    return (own ? own.urls : this.#o.defaultUrls).length > 0;
  }

  /** The effective config given the merchant's stored settings record (undefined when none). */
  #effective(stored: unknown): EffectiveIpnConfig {
    const own = storedIpnConfig(stored);
    return own ? { ...own, source: 'merchant' } : { ...this.defaults, source: 'default' };
  }

  /** Stores a merchant's own config (durable on resolve). An empty `urls` turns its IPNs off. */
  setConfig(ns: string, config: IpnConfig): Promise<EffectiveIpnConfig> {
    return this.updateConfig(ns, () => config);
  }

  /** Changes a merchant's config from its current one in one store transaction (durable on resolve). */
  async updateConfig(ns: string, change: (current: EffectiveIpnConfig) => IpnConfig): Promise<EffectiveIpnConfig> {
    const result = await this.#o.store.transact(ns, (view) => {
      const config = change(this.#effective(view.get('settings', IPN_SETTINGS_ID)));
      const value: IpnConfig = { urls: [...config.urls], signed: config.signed };
      return { puts: [{ collection: 'settings', id: IPN_SETTINGS_ID, value }], result: { ...value, source: 'merchant' as const } };
    });
    if (result.signed && result.urls.length > 0) signingIdentity().catch(() => {}); // ready before the first notification
    return result;
  }

  /** Removes `url` (or every URL) from a merchant's endpoints, as SNS's UnsubscribeURL does; returns the URLs removed. */
  async unsubscribe(ns: string, url?: string): Promise<{ removed: string[]; config: EffectiveIpnConfig }> {
    let removed: string[] = [];
    const config = await this.updateConfig(ns, (current) => {
      removed = url === undefined ? current.urls : current.urls.filter((u) => u === url);
      return { urls: current.urls.filter((u) => !removed.includes(u)), signed: current.signed };
    });
    return { removed, config };
  }

  /**
   * The outbox records a commit causes: one delivery per (notification x endpoint of the
   * merchant's config, given its stored settings record), due at once. Written in the same commit
   * as the change that caused them (see `NotifyingStore`), so a notification is never lost between
   * the two. Never throws: a notification is never worth failing the request that caused it.
   */
  outboxRecords(ns: string, { notifications, settings }: CausedNotifications): OutboxRecord[] {
    if (this.#closed || notifications.length === 0) return [];
    try {
      const config = this.#effective(settings);
      if (config.urls.length === 0) return [];
      const signer = config.signed ? signingIdentitySync() : null;
      const publicUrl = this.#o.publicUrl();
      const now = this.#o.now();
      const created: OutboxRecord[] = [];
      for (const notification of notifications) {
        const notificationId = this.#o.ids.uuid();
        const envelope = buildEnvelope({ notification, messageId: this.#o.ids.uuid(), notificationId, timestamp: now, publicUrl, signer });
        for (const url of config.urls) {
          const delivery: IpnDelivery = {
            id: this.#o.ids.uuid(),
            merchant: ns,
            url,
            notification: ipnMessage(notification, notificationId),
            envelope: envelopeFor(envelope, url),
            status: 'pending',
            attempts: [],
            createdAt: new Date(now).toISOString(),
            nextAttemptAt: null,
          };
          created.push({ delivery, order: now * 1000 + (this.#order++ % 1000), dueAt: now, claim: null });
        }
      }
      return created;
    } catch {
      return [];
    }
  }

  /** Once the commit holding `records` is durable: makes their first attempts. */
  attemptFirst(ns: string, records: readonly OutboxRecord[]): void {
    for (const record of records) this.#attempt(ns, record.delivery.id);
  }

  /** Deliveries of one merchant (or all), newest first, as the store holds them. */
  async deliveries(query: DeliveryQuery = {}): Promise<IpnDelivery[]> {
    const records = await this.#records(query.merchant);
    const out: IpnDelivery[] = [];
    for (const record of records) {
      if (query.status !== undefined && record.delivery.status !== query.status) continue;
      out.push(copy(record.delivery));
      if (query.limit !== undefined && out.length >= query.limit) break;
    }
    return out;
  }

  /** Forgets deliveries of one merchant (or all), cancelling those still pending; returns how many. */
  clearDeliveries(merchant?: string): Promise<number> {
    return this.#remove(merchant, (records) => records);
  }

  /** Forgets finished deliveries created before `cutoff` (real ms; retention); returns how many. */
  dropDeliveriesBefore(cutoff: number): Promise<number> {
    return this.#remove(undefined, (records) => records.filter((r) => r.delivery.status !== 'pending' && Date.parse(r.delivery.createdAt) < cutoff));
  }

  /**
   * Resolves when no delivery is pending in the store (each has been delivered or has failed its
   * last retry), or on close(). Makes due attempts itself meanwhile, whoever the runner is.
   */
  async flush(): Promise<void> {
    while (!this.#closed) {
        await this.#settled(this.#attempts);
      if (this.#closed) return;
      const pending = await this.deliveries({ status: 'pending' }).catch(() => []);
      if (pending.length === 0) return;
      await this.#poll();
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  /** Stops polling, cancels retry timers and in-flight requests; deliveries stay pending in the store for the next run. Later commits queue nothing. */
  close(): void {
    this.#closed = true;
    if (this.#poller) clearInterval(this.#poller);
    this.#poller = null;
    for (const id of [...this.#local.keys()]) this.#forget(id);
  }

  #startPolling(): void {
    if (this.#poller || this.#closed) return;
    this.#poller = setInterval(() => {
      if (this.#o.runner.held) void this.#poll();
    }, this.#o.pollMs);
    this.#poller.unref();
  }

  /** Makes every attempt that is due now (one pass at a time). Never rejects. */
  #poll(): Promise<void> {
    this.#polling ??= (async () => {
      try {
        const due = await this.#o.store.due(this.#o.now());
        for (const d of due) if (d.collection === OUTBOX) this.#attempt(d.ns, d.id);
      } catch {
        // The store is unreachable: the next pass tries again.
      } finally {
        this.#polling = null;
      }
    })();
    return this.#polling;
  }

  #attempt(ns: string, id: string): void {
    if (this.#closed || this.#local.get(id)?.controller) return;
    this.#track(this.#attempts, this.#attemptOnce(ns, id).catch(() => undefined));
  }

  /** Takes the attempt in a transaction, POSTs, and records the outcome in another; schedules the retry. */
  async #attemptOnce(ns: string, id: string): Promise<void> {
    const local = this.#local.get(id) ?? { ns, timer: null, controller: null, stopped: false };
    if (local.timer) clearTimeout(local.timer);
    local.timer = null;
    const controller = new AbortController();
    local.controller = controller;
    this.#local.set(id, local);
    try {
      const token = randomUUID();
      const now = this.#o.now();
      const claimed = await this.#o.store.transact(ns, (view) => claimAttempt(view, id, { token, now, until: now + this.#o.timeoutMs + CLAIM_MARGIN_MS }));
      if (!claimed || local.stopped) return;
      const attempt = await this.#post(claimed.delivery, controller);
      if (local.stopped) return; // closed or cleared: the claim runs out and the attempt is made again (or the record is gone)
      const recorded = await this.#o.store.transact(ns, (view) => recordAttempt(view, id, { token, attempt, now: this.#o.now(), retryDelaysMs: this.#o.retryDelaysMs }));
      if (!recorded) return;
      if (recorded.dueAt !== null) {
        local.timer = setTimeout(() => this.#attempt(ns, id), Math.max(0, recorded.dueAt - this.#o.now()));
        local.timer.unref();
      } else {
        await this.#o.store.transact(ns, (view) => removeDeliveries(view, overCap(this.#o.maxDeliveries)));
      }
    } finally {
      local.controller = null;
      if (!local.timer) this.#local.delete(id);
    }
  }

  async #post(delivery: IpnDelivery, controller: AbortController): Promise<DeliveryAttempt> {
    let timedOut = false;
    const timeout = setTimeout(() => {
      timedOut = true;
      controller.abort(new Error('timeout'));
    }, this.#o.timeoutMs);
    timeout.unref();
    const attempt: DeliveryAttempt = { at: new Date(this.#o.now()).toISOString(), durationMs: 0 };
    const t0 = performance.now();
    try {
      const res = await this.#o.fetchImpl(delivery.url, { method: 'POST', headers: headersOf(delivery), body: envelopeBody(delivery.envelope), redirect: 'manual', signal: controller.signal });
      attempt.status = res.status;
      if (res.status >= 200 && res.status < 300) await res.body?.cancel().catch(() => undefined);
      else attempt.response = await snippet(res);
    } catch (err) {
      attempt.error = timedOut ? `timeout: no response within ${this.#o.timeoutMs} ms` : describe(err);
    } finally {
      clearTimeout(timeout);
    }
    attempt.durationMs = Math.round((performance.now() - t0) * 10) / 10;
    return attempt;
  }

  /** Deletes what `doomed` picks from each merchant's outbox (or one merchant's), stopping this process's work on them. */
  async #remove(merchant: string | undefined, doomed: (records: OutboxRecord[]) => OutboxRecord[]): Promise<number> {
    let removed = 0;
    for (const ns of merchant === undefined ? await this.#o.store.namespaces() : [merchant]) {
      removed += await this.#o.store.transact(ns, (view) => removeDeliveries(view, doomed));
    }
    const left = new Set((await this.#records(merchant)).map((r) => r.delivery.id));
    for (const [id, local] of this.#local) if ((merchant === undefined || local.ns === merchant) && !left.has(id)) this.#forget(id);
    return removed;
  }

  /** The outbox records of one merchant (or all), newest first. */
  async #records(merchant: string | undefined): Promise<OutboxRecord[]> {
    const namespaces = merchant === undefined ? await this.#o.store.namespaces() : [merchant];
    const lists = await Promise.all(namespaces.map((ns) => this.#o.store.readAll<OutboxRecord>(ns, OUTBOX)));
    return lists.flat().sort((a, b) => b.order - a.order);
  }

  #forget(id: string): void {
    const local = this.#local.get(id);
    if (!local) return;
    if (local.timer) clearTimeout(local.timer);
    local.timer = null;
    local.stopped = true;
    local.controller?.abort(new Error('delivery stopped'));
    this.#local.delete(id);
  }

  #track(set: Set<Promise<unknown>>, work: Promise<unknown>): void {
    const tracked = work.catch(() => undefined).finally(() => set.delete(tracked));
    set.add(tracked);
  }

  async #settled(set: Set<Promise<unknown>>): Promise<void> {
    while (set.size > 0) await Promise.all([...set]);
  }
}

/** The headers SNS sends with a notification. */
function headersOf(delivery: IpnDelivery): Record<string, string> {
  const { envelope } = delivery;
  return {
    'content-type': 'text/plain; charset=UTF-8',
    'user-agent': 'Amazon Simple Notification Service Agent',
    'x-amz-sns-message-type': envelope.Type,
    'x-amz-sns-message-id': envelope.MessageId,
    'x-amz-sns-topic-arn': envelope.TopicArn,
    'x-amz-sns-subscription-arn': subscriptionArnOf(delivery.merchant, delivery.url),
  };
}

/** The start of a refusal's body, read only if it arrives promptly. */
async function snippet(res: Response): Promise<string | undefined> {
  try {
    const text = await res.text();
    return text.length > RESPONSE_SNIPPET ? `${text.slice(0, RESPONSE_SNIPPET)}…` : text || undefined;
  } catch {
    return undefined;
  }
}

/** A connection error as `ECONNREFUSED: connect ECONNREFUSED 127.0.0.1:1234`. */
function describe(err: unknown): string {
  const cause = (err as { cause?: { code?: string; message?: string } })?.cause;
  const code = cause?.code ?? (err as { code?: string })?.code;
  const message = cause?.message ?? (err as Error)?.message ?? String(err);
  return code && !message.includes(code) ? `${code}: ${message}` : message;
}

function copy<T>(value: T): T {
  return structuredClone(value);
}
