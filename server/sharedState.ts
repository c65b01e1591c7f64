import type { FastifyInstance, FastifyRequest } from 'fastify';
import { adoptKey, restoreKeys, type StoredKey } from './admin/registeredKeys.js';
import type { ClockBook } from './clock/clockBook.js';
import type { ClockSetting } from './clock/controlledClock.js';
import { peekPublicKeyId } from './signing/authorizationHeader.js';
import { merchantNamespace, type KeyRegistry } from './signing/keyRegistry.js';
import { readClock, readClocks, SERVER_NAMESPACE } from './store/serverState.js';
import type { Store } from './store/store.js';

/**
 * Keeps what each process holds in memory for speed (the clocks, the registered keys) in step with
 * a store shared by several processes: another process may have moved a clock or registered a key
 * since. Before a request uses them they are read again from the store (a couple of reads sent
 * together); the settler's background pass re-reads every merchant's clock.
 */
export class SharedStateFollower {
  /** Refreshes started so far; per clock, the latest whose answer was applied (an older answer arriving later is dropped). */
  #started = 0;
  readonly #applied = new Map<string, number>();

  constructor(
    private readonly store: Store,
    private readonly clocks: ClockBook,
    private readonly keys: KeyRegistry,
  ) {}

  /** Re-reads the server clock, the clock of `ns` (when given) and the registered key `publicKeyId` (when given). */
  async refresh(ns?: string, publicKeyId?: string): Promise<void> {
    const started = ++this.#started;
    const [global, own, key] = await Promise.all([
      readClock(this.store),
      ns === undefined ? undefined : readClock(this.store, ns),
      publicKeyId === undefined ? undefined : this.store.read<StoredKey>(SERVER_NAMESPACE, 'publicKeys', publicKeyId),
    ]);
    if (key) adoptKey(this.keys, key);
    this.#apply(started, undefined, global);
    if (ns !== undefined) this.#apply(started, ns, own);
  }

  /** Registers every key saved in the store that this process does not have yet (or has with another PEM), for the key list. */
  async refreshKeys(): Promise<void> {
    // A key unusable as stored was checked by the process that registered it: only a hand-edited store has one.
    await restoreKeys(this.store, this.keys);
  }

  /** Re-reads the server clock and every merchant's own clock (for the settler's background pass). */
  async refreshAllClocks(): Promise<void> {
    const started = ++this.#started;
    // Every merchant holding records, plus those whose clock this process took before (a reset may have emptied them).
    const { global, own } = await readClocks(this.store, [...new Set([...(await this.store.namespaces()), ...this.#applied.keys()])]);
    this.#apply(started, undefined, global);
    for (const [ns, setting] of own) this.#apply(started, ns, setting);
  }

  /** The store is the truth: a clock it holds no setting for (never moved, or reset) is the default one. */
  #apply(started: number, ns: string | undefined, setting: ClockSetting | undefined): void {
    const key = ns ?? SERVER_NAMESPACE;
    if (started < (this.#applied.get(key) ?? 0)) return;
    this.#applied.set(key, started);
    if (ns === undefined) {
      if (setting) this.clocks.global.restore(setting);
      else this.clocks.global.reset();
    } else if (setting) this.clocks.control(ns).restore(setting);
    else this.clocks.reset(ns);
  }
}

// The publicKeyId field of a form body; key ids use only characters a form sends unescaped.
const FORM_KEY_ID = /(?:^|&)publicKeyId=([A-Za-z0-9_-]{1,64})(?:&|$)/;

/**
 * The key a checkout.js button form was signed with: the button's POSTs name their signer in the
 * form (publicKeyId), not in an authorization header. Only form POSTs are looked at, so API calls
 * pay nothing for it.
 */
function formSigner(request: FastifyRequest): string | undefined {
  if (request.method !== 'POST' || !Buffer.isBuffer(request.body)) return undefined;
  const type = request.headers['content-type'];
  if (typeof type !== 'string' || !/^application\/x-www-form-urlencoded\b/i.test(type)) return undefined;
  return FORM_KEY_ID.exec(request.body.toString('latin1'))?.[1];
}

/** The merchant a request is about, as far as can be told before routing: its signing key (header or button form), or ?merchant=. */
function requestTarget(request: FastifyRequest): { ns?: string; publicKeyId?: string } {
  const publicKeyId = peekPublicKeyId(request.headers.authorization) ?? formSigner(request);
  if (publicKeyId !== undefined) return { ns: merchantNamespace(publicKeyId), publicKeyId };
  const merchant = (request.query as Record<string, unknown> | undefined)?.merchant;
  return typeof merchant === 'string' && merchant !== '' ? { ns: merchantNamespace(merchant) } : {};
}

/** On a shared store, brings clocks and keys up to date before every request is handled. */
export function followSharedState(app: FastifyInstance, follower: SharedStateFollower): void {
  app.addHook('preHandler', async (request) => {
    const { ns, publicKeyId } = requestTarget(request);
    // A store that cannot be reached: go on with what this process has (a call that needs the
    // store answers 503 there, and health still answers).
    const refreshed = [
      // Not tied to one merchant as far as can be told here (hosted pages, the dashboard): every clock.
      ns === undefined ? follower.refreshAllClocks() : follower.refresh(ns, publicKeyId),
      // The key list shows every key registered through any instance.
      request.method === 'GET' && request.routeOptions.url === '/__admin/publicKeys' ? follower.refreshKeys() : null,
    ];
    await Promise.all(refreshed.map((p) => p?.catch(() => {})));
  });
}
