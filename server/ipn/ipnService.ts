import { performance } from 'node:perf_hooks';
import type { Put, Store } from '../store/store.js';
import { IPN_SETTINGS_ID, storedIpnConfig, type IpnConfig } from './ipnConfig.js';
import { notificationsFor, type BeforeLookup, type IpnNotification } from './notifications.js';
import { signingIdentity, signingIdentitySync } from './signingIdentity.js';
import { buildEnvelope, envelopeBody, ipnMessage, subscriptionArnOf, type IpnMessage, type SnsEnvelope } from './snsEnvelope.js';

export type DeliveryStatus = 'pending' | 'delivered' | 'failed';

/** One POST to one endpoint: an HTTP status, or the error that stopped it (timeout, connection). */
export interface DeliveryAttempt {
  /** ISO wall time the attempt started. */
  at: string;
  status?: number;
  error?: string;
  /** The first characters of a non-2xx answer, to show why the receiver refused. */
  response?: string;
  durationMs: number;
}

/** One notification on its way to one URL, with every attempt made so far. */
export interface IpnDelivery {
  id: string;
  merchant: string;
  url: string;
  /** The Message object (the envelope carries it as a JSON string). */
  notification: IpnMessage;
  envelope: SnsEnvelope;
  status: DeliveryStatus;
  attempts: DeliveryAttempt[];
  createdAt: string;
  /** When the next attempt is scheduled (pending deliveries waiting out a retry delay), else null. */
  nextAttemptAt: string | null;
}

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
  /** A list of the deliveries shared with other processes (Redis store), told of each delivery as it changes. */
  mirror?: DeliveryMirror;
}

/** Where a process reports its deliveries so others can list them (see `RedisDeliveries`). */
export interface DeliveryMirror {
  /** The delivery's latest state; `created` on its first report. Never throws, never waits. */
  save(delivery: IpnDelivery, created: boolean): void;
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

interface Entry {
  delivery: IpnDelivery;
  body: string;
  headers: Record<string, string>;
  timer: NodeJS.Timeout | null;
  controller: AbortController | null;
  removed: boolean;
}

const RESPONSE_SNIPPET = 300;

/** What one commit caused: its notifications, the merchant's stored IPN settings, and the commit's durability (deliveries wait for it). */
export interface CausedNotifications {
  notifications: readonly IpnNotification[];
  settings: unknown;
  committed?: Promise<unknown>;
}

/**
 * Sends Instant Payment Notifications the way Amazon Pay does (SNS HTTP POSTs, "Set up Instant
 * Payment Notifications"): `onCommit` turns a store commit into notifications and queues one delivery per
 * (notification × endpoint); deliveries run on real time in the background, retried after each of
 * `retryDelaysMs`, and are kept in a bounded outbox for the control API.
 */
export class IpnService {
  readonly #o: Required<Omit<IpnServiceOptions, 'fetchImpl' | 'mirror'>> & { fetchImpl: typeof fetch };
  readonly #mirror: DeliveryMirror | null;
  readonly #outbox: Entry[] = [];
  readonly #pending = new Set<Entry>();
  #idle: Array<() => void> = [];
  #closed = false;

  constructor(options: IpnServiceOptions) {
    this.#o = {
      defaultSigned: true,
      maxDeliveries: 1000,
      now: () => Date.now(),
      ...options,
      fetchImpl: options.fetchImpl ?? ((...args) => fetch(...args)),
      defaultUrls: [...options.defaultUrls],
      retryDelaysMs: [...options.retryDelaysMs],
    };
    this.#mirror = options.mirror ?? null;
  }

  /**
   * Generates the process's signing key off the main thread when notifications are configured by
   * default (call once at start-up, so the first signed IPN need not wait); without default
   * endpoints it is made when a merchant configures its own, or by the first signed IPN.
   */
  async start(): Promise<void> {
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
   * Call after a store commit of namespace `ns` with each record's value from before the commit
   * (`before('settings', 'ipn')` gives the merchant's IPN settings). Queues the deliveries the
   * commit causes and returns them; the first attempt waits for `committed` (the commit's
   * durability promise; a rejected one drops them). Never throws.
   */
  onCommit(ns: string, { puts, before, committed }: { puts: readonly Put[]; before: BeforeLookup; committed?: Promise<unknown> }): IpnDelivery[] {
    try {
      return this.enqueue(ns, { notifications: notificationsFor(ns, { puts, before }), settings: before('settings', IPN_SETTINGS_ID), committed });
    } catch {
      return [];
    }
  }

  /**
   * Queues one delivery per (notification x endpoint of the merchant's config, given its stored
   * settings record) and returns them; the first attempt waits for `committed`. Never throws.
   */
  enqueue(ns: string, { notifications, settings, committed }: CausedNotifications): IpnDelivery[] {
    if (this.#closed) return [];
    try {
      if (notifications.length === 0) return [];
      const config = this.#effective(settings);
      if (config.urls.length === 0) return [];
      const signer = config.signed ? signingIdentitySync() : null;
      const publicUrl = this.#o.publicUrl();
      const created: Entry[] = [];
      for (const notification of notifications) {
        const notificationId = this.#o.ids.uuid();
        const envelope = buildEnvelope({ notification, messageId: this.#o.ids.uuid(), notificationId, timestamp: this.#o.now(), publicUrl, signer });
        const body = envelopeBody(envelope);
        for (const url of config.urls) {
          const entry: Entry = {
            delivery: {
              id: this.#o.ids.uuid(),
              merchant: ns,
              url,
              notification: ipnMessage(notification, notificationId),
              envelope,
              status: 'pending',
              attempts: [],
              createdAt: new Date(this.#o.now()).toISOString(),
              nextAttemptAt: null,
            },
            body,
            headers: {
              'content-type': 'text/plain; charset=UTF-8',
              'user-agent': 'Amazon Simple Notification Service Agent',
              'x-amz-sns-message-type': envelope.Type,
              'x-amz-sns-message-id': envelope.MessageId,
              'x-amz-sns-topic-arn': envelope.TopicArn,
              'x-amz-sns-subscription-arn': subscriptionArnOf(ns, url),
            },
            timer: null,
            controller: null,
            removed: false,
          };
          this.#add(entry);
          created.push(entry);
        }
      }
      const start = committed ?? Promise.resolve();
      start.then(
        () => {
          for (const entry of created) void this.#attempt(entry);
        },
        () => {
          for (const entry of created) this.#remove(entry);
        },
      );
      return created.map((e) => copy(e.delivery));
    } catch {
      // A notification is never worth failing the request that caused it.
      return [];
    }
  }

  /** Outbox entries, newest first. */
  deliveries(query: DeliveryQuery = {}): IpnDelivery[] {
    const out: IpnDelivery[] = [];
    for (let i = this.#outbox.length - 1; i >= 0; i--) {
      const d = this.#outbox[i]!.delivery;
      if (query.merchant !== undefined && d.merchant !== query.merchant) continue;
      if (query.status !== undefined && d.status !== query.status) continue;
      out.push(copy(d));
      if (query.limit !== undefined && out.length >= query.limit) break;
    }
    return out;
  }

  /** Forgets deliveries of one merchant (or all), cancelling those still pending; returns how many. */
  clearDeliveries(merchant?: string): number {
    const doomed = this.#outbox.filter((e) => merchant === undefined || e.delivery.merchant === merchant);
    for (const e of doomed) this.#remove(e);
    return doomed.length;
  }

  /** Forgets finished deliveries created before `cutoff` (real ms; retention); returns how many. */
  dropDeliveriesBefore(cutoff: number): number {
    const doomed = this.#outbox.filter((e) => e.delivery.status !== 'pending' && Date.parse(e.delivery.createdAt) < cutoff);
    for (const e of doomed) this.#remove(e);
    return doomed.length;
  }

  /** Resolves when no delivery is pending (each has been delivered or has failed its last retry), or on close(). */
  flush(): Promise<void> {
    if (this.#pending.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.#idle.push(resolve));
  }

  /** Cancels retry timers and in-flight requests; pending deliveries stay pending. Later commits queue nothing. */
  close(): void {
    this.#closed = true;
    for (const e of this.#pending) {
      if (e.timer) clearTimeout(e.timer);
      e.timer = null;
      e.controller?.abort(new Error('ipn service closed'));
      e.delivery.nextAttemptAt = null;
    }
    this.#pending.clear();
    this.#wake();
  }

  #add(entry: Entry): void {
    this.#mirror?.save(entry.delivery, true);
    this.#outbox.push(entry);
    this.#pending.add(entry);
    while (this.#outbox.length > this.#o.maxDeliveries) {
      const finished = this.#outbox.findIndex((e) => e.delivery.status !== 'pending');
      this.#remove(this.#outbox[finished === -1 ? 0 : finished]!);
    }
  }

  #remove(entry: Entry): void {
    entry.removed = true;
    if (entry.timer) clearTimeout(entry.timer);
    entry.timer = null;
    entry.controller?.abort(new Error('delivery removed'));
    const i = this.#outbox.indexOf(entry);
    if (i !== -1) this.#outbox.splice(i, 1);
    this.#settle(entry);
  }

  #settle(entry: Entry): void {
    if (this.#pending.delete(entry) && this.#pending.size === 0) this.#wake();
  }

  #wake(): void {
    const waiters = this.#idle;
    this.#idle = [];
    for (const w of waiters) w();
  }

  async #attempt(entry: Entry): Promise<void> {
    if (entry.removed || this.#closed) return;
    const d = entry.delivery;
    d.nextAttemptAt = null;
    entry.timer = null;
    const controller = new AbortController();
    entry.controller = controller;
    let timedOut = false;
    const timeout = setTimeout(() => {
      timedOut = true;
      controller.abort(new Error('timeout'));
    }, this.#o.timeoutMs);
    timeout.unref();
    const at = new Date(this.#o.now()).toISOString();
    const t0 = performance.now();
    const attempt: DeliveryAttempt = { at, durationMs: 0 };
    try {
      const res = await this.#o.fetchImpl(d.url, { method: 'POST', headers: entry.headers, body: entry.body, redirect: 'manual', signal: controller.signal });
      attempt.status = res.status;
      if (res.status >= 200 && res.status < 300) await res.body?.cancel().catch(() => undefined);
      else attempt.response = await snippet(res);
    } catch (err) {
      attempt.error = timedOut ? `timeout: no response within ${this.#o.timeoutMs} ms` : describe(err);
    } finally {
      clearTimeout(timeout);
      entry.controller = null;
    }
    if (entry.removed || this.#closed) return;
    attempt.durationMs = Math.round((performance.now() - t0) * 10) / 10;
    d.attempts.push(attempt);
    if (attempt.error === undefined && attempt.status! >= 200 && attempt.status! < 300) {
      d.status = 'delivered';
      this.#mirror?.save(d, false);
      this.#settle(entry);
      return;
    }
    const delay = this.#o.retryDelaysMs[d.attempts.length - 1];
    if (delay === undefined) {
      d.status = 'failed';
      this.#mirror?.save(d, false);
      this.#settle(entry);
      return;
    }
    d.nextAttemptAt = new Date(this.#o.now() + delay).toISOString();
    this.#mirror?.save(d, false);
    entry.timer = setTimeout(() => void this.#attempt(entry), delay);
    entry.timer.unref();
  }
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
