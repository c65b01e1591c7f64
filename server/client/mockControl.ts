/**
 * A typed client for the control API (/__admin). Every method answers the parsed JSON or throws a
 * MockControlError carrying Amazon-style {reasonCode, message}. Scope it to one merchant with
 * `forMerchant` so parallel test suites sharing one server never touch each other.
 */

export interface MockControlOptions {
  /** Base URL of the mock, e.g. http://127.0.0.1:8080 (the control API is on both listeners). */
  baseUrl: string;
  /** Public key id (any of its forms) whose namespace the calls act on; unset = the whole server. */
  merchant?: string;
  /** Bearer token, when the server runs with --admin-token. */
  token?: string;
  /** A fetch implementation (default: the global one). */
  fetch?: typeof fetch;
}

export class MockControlError extends Error {
  override name = 'MockControlError';

  constructor(
    readonly status: number,
    readonly reasonCode: string,
    message: string,
  ) {
    super(`${status} ${reasonCode}: ${message}`);
  }
}

export interface ClockView {
  now: string;
  amazonTimestamp: string;
  offsetSeconds: number;
  frozen: boolean;
}

export interface ScenarioRuleInput {
  name: string;
  description?: string;
  match: { operation: string; checkoutSessionId?: string; merchantReferenceId?: string; amount?: string | number; currency?: string; publicKeyId?: string; header?: { name: string; value: string } };
  outcome:
    | { kind: 'normal' }
    | { kind: 'error'; reasonCode: string; status?: number; message?: string }
    | { kind: 'pending'; settleTo?: 'Authorized' | 'Declined'; reasonCode?: string }
    | { kind: 'cancel'; reasonCode: 'BuyerCanceled' | 'Declined' | 'AmazonCanceled' | 'Expired' }
    | { kind: 'simulate'; code: string }
    | { kind: 'drop' };
  delayMs?: number;
  times?: number;
}

export interface FaultInput {
  operation?: string;
  latencyMs?: number;
  status?: 429 | 500 | 503;
  drop?: boolean;
  times?: number;
}

export interface ApproveInput {
  card?: string;
  buyer?: { buyerId?: string; name?: string; email?: string; phoneNumber?: string };
  shippingAddress?: Record<string, string | null>;
  billingAddress?: Record<string, string | null>;
}

export interface RequestFilter {
  operation?: string;
  status?: number;
  publicKeyId?: string;
  since?: string | Date;
  objectId?: string;
  limit?: number;
}

export type { JournalEntry } from '../journal/journal.js';
import type { JournalEntry } from '../journal/journal.js';

export interface IpnDelivery {
  id: string;
  merchant: string;
  url: string;
  notification: { MerchantID: string; ObjectType: string; ObjectId: string; ChargePermissionId: string | null; NotificationType: string; NotificationId: string; NotificationVersion: string };
  envelope: Record<string, unknown>;
  status: 'pending' | 'delivered' | 'failed';
  attempts: { at: string; status?: number; error?: string; durationMs: number }[];
}

type Query = Record<string, string | number | undefined>;

export class MockControl {
  private readonly fetchImpl: typeof fetch;

  constructor(readonly options: MockControlOptions) {
    this.fetchImpl = options.fetch ?? fetch;
  }

  /** The same client acting on one merchant's namespace. */
  forMerchant(merchant: string): MockControl {
    return new MockControl({ ...this.options, merchant });
  }

  /** One control call; `unscoped` for the routes that are the server's, not a merchant's (health, keys). */
  private async call<T>(method: string, path: string, { body, query = {}, unscoped = false }: { body?: unknown; query?: Query; unscoped?: boolean } = {}): Promise<T> {
    const url = new URL(path, this.options.baseUrl.replace(/\/?$/, '/'));
    if (!unscoped && this.options.merchant) url.searchParams.set('merchant', this.options.merchant);
    for (const [k, v] of Object.entries(query)) if (v !== undefined) url.searchParams.set(k, String(v));
    const headers: Record<string, string> = {};
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (this.options.token) headers.authorization = `Bearer ${this.options.token}`;
    const res = await this.fetchImpl(url, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await res.text();
    let parsed: unknown = null;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      // Not the mock's answer (a proxy's error page, another service on the port): say what came back.
      const excerpt = text.length > 200 ? `${text.slice(0, 200)}…` : text;
      throw new MockControlError(res.status, 'Unknown', `${method} ${url.pathname}: the answer is not JSON (is ${this.options.baseUrl} the mock?): ${excerpt}`);
    }
    if (!res.ok) {
      const err = (parsed ?? {}) as { reasonCode?: string; message?: string };
      throw new MockControlError(res.status, err.reasonCode ?? 'Unknown', err.message ?? text);
    }
    return parsed as T;
  }

  health(): Promise<{ status: string }> {
    return this.call('GET', '__admin/health', { unscoped: true });
  }

  /** Clears this merchant's objects, scenarios, clock, journal and IPN outbox (everything when unscoped). */
  reset(): Promise<{ reset: string }> {
    return this.call('POST', '__admin/reset');
  }

  clock(): Promise<ClockView> {
    return this.call('GET', '__admin/clock');
  }

  advanceClock(seconds: number): Promise<ClockView> {
    return this.call('POST', '__admin/clock', { body: { advanceSeconds: seconds } });
  }

  /** Jumps to an instant; `frozen` also freezes (true) or thaws (false) the clock there. */
  setClock(instant: string | Date, options: { frozen?: boolean } = {}): Promise<ClockView> {
    const set = instant instanceof Date ? instant.toISOString() : instant;
    return this.call('POST', '__admin/clock', { body: { set, ...(options.frozen === undefined ? {} : { frozen: options.frozen }) } });
  }

  /** Stops the clock where it stands. */
  freezeClock(): Promise<ClockView> {
    return this.call('POST', '__admin/clock', { body: { frozen: true } });
  }

  /** Lets a frozen clock run again from where it stands. */
  thawClock(): Promise<ClockView> {
    return this.call('POST', '__admin/clock', { body: { frozen: false } });
  }

  listScenarios(): Promise<{ rules: unknown[] }> {
    return this.call('GET', '__admin/scenarios');
  }

  addScenarios(rules: ScenarioRuleInput | ScenarioRuleInput[]): Promise<{ rules: unknown[] }> {
    return this.call('POST', '__admin/scenarios', { body: rules });
  }

  clearScenarios(): Promise<{ rules: unknown[] }> {
    return this.call('DELETE', '__admin/scenarios');
  }

  addFault(fault: FaultInput): Promise<unknown> {
    return this.call('POST', '__admin/faults', { body: fault });
  }

  listFaults(): Promise<{ faults: unknown[] }> {
    return this.call('GET', '__admin/faults');
  }

  clearFaults(): Promise<{ cleared: number }> {
    return this.call('DELETE', '__admin/faults');
  }

  /** The buyer signs in, picks a card (default 1111) and returns, as on Amazon's pages. */
  approveCheckoutSession(checkoutSessionId: string, input: ApproveInput = {}): Promise<Record<string, unknown>> {
    return this.call('POST', `__admin/checkoutSessions/${encodeURIComponent(checkoutSessionId)}/approve`, { body: input });
  }

  /** Registers a public key; an id that has a different key is 409 PublicKeyIdInUse unless `replace`. */
  registerPublicKey(publicKeyId: string, publicKey: string, options: { replace?: boolean } = {}): Promise<{ publicKeyId: string; fingerprint: string }> {
    const body = options.replace === undefined ? { publicKeyId, publicKey } : { publicKeyId, publicKey, replace: options.replace };
    return this.call('POST', '__admin/publicKeys', { body, unscoped: true });
  }

  listPublicKeys(): Promise<{ publicKeys: { publicKeyId: string; fingerprint: string }[] }> {
    return this.call('GET', '__admin/publicKeys', { unscoped: true });
  }

  /** A buyer token for getBuyer, as Amazon Sign-In would give the merchant's page (needs a merchant). */
  issueBuyerToken(input: { buyer?: Record<string, unknown>; shippingAddress?: Record<string, unknown>; billingAddress?: Record<string, unknown> } = {}, region?: string): Promise<{ buyerToken: string; buyer: Record<string, unknown> }> {
    return this.call('POST', '__admin/buyers', { body: input, query: { region } });
  }

  /** The request journal, newest first. */
  async requests(filter: RequestFilter = {}): Promise<JournalEntry[]> {
    const since = filter.since instanceof Date ? filter.since.toISOString() : filter.since;
    const res = await this.call<{ requests: JournalEntry[] }>('GET', '__admin/requests', { query: { ...filter, since } });
    return res.requests;
  }

  clearRequests(): Promise<{ cleared: number }> {
    return this.call('DELETE', '__admin/requests');
  }

  setIpnEndpoints(config: { urls?: string[]; signed?: boolean }): Promise<Record<string, unknown>> {
    return this.call('POST', '__admin/ipn', { body: config });
  }

  ipnConfig(): Promise<Record<string, unknown>> {
    return this.call('GET', '__admin/ipn');
  }

  async ipnDeliveries(filter: { status?: 'pending' | 'delivered' | 'failed'; limit?: number } = {}): Promise<IpnDelivery[]> {
    const res = await this.call<{ deliveries: IpnDelivery[] }>('GET', '__admin/ipn/deliveries', { query: filter });
    return res.deliveries;
  }

  clearIpnDeliveries(): Promise<{ deleted: number }> {
    return this.call('DELETE', '__admin/ipn/deliveries');
  }
}
