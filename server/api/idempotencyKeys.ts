import { createHash } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { isReplayable, matchIdempotency, readIdempotencyKey, type IdempotencyRecord } from '../domain/idempotency.js';
import type { Environment, Region } from '../domain/types.js';
import { headerText } from '../signing/headers.js';
import type { Put, Store, StoreView } from '../store/store.js';
import type { OperationRoute } from './operationRoute.js';

/**
 * Idempotency keys (Amazon Pay "Idempotency"), all in one place: reading the key of a POST,
 * letting one request of this process at a time hold a key, replaying the first answer, and, in
 * the operation's own store transaction, finding an answer another process stored first and
 * keeping this answer for replay.
 */

/**
 * Record id of a key: sandbox and live of one merchant are separate systems, and so are the NA, EU
 * and JP endpoints (an answer replayed into another region would name an object that region cannot
 * read). NA keeps the id it always had, so keys stored before regions were told apart still replay.
 */
export const idempotencyId = (environment: string, region: Region, key: string) => (region === 'na' ? `${environment}:${key}` : `${environment}:${region}:${key}`);

/** What makes two requests "the same": the operation, its path parameters and the raw body bytes. */
export function fingerprintOf(operation: string, params: Record<string, string>, body: Buffer): string {
  return createHash('sha256').update(`${operation}\n${JSON.stringify(params)}\n`).update(body).digest('hex');
}

/** The idempotency key a call holds: its record id and the request's fingerprint. */
export interface HeldKey {
  id: string;
  fingerprint: string;
}

/** A stored first answer to send again. */
export interface Replay {
  status: number;
  payload: string | undefined;
}

/** What a call may go on with: the key it holds (null when it sent none), released when it is answered. */
export interface Claim {
  key: HeldKey | null;
  release(): void;
}

/** The parts of a call its key is judged on. */
export interface KeyedCall {
  route: Pick<OperationRoute, 'name' | 'method' | 'idempotency'>;
  environment: Environment;
  region: Region;
  headers: IncomingHttpHeaders;
  params: Record<string, string>;
  raw: Buffer;
}

const noKey: Claim = { key: null, release: () => {} };

export class IdempotencyKeys {
  /** Per namespace and key: the settling of the request of this process holding it. */
  readonly #held = new Map<string, Promise<void>>();

  constructor(
    private readonly store: Store,
    /** `--idempotency-key`: whether create-type POSTs must send a key. */
    private readonly policy: 'required' | 'optional',
  ) {}

  /**
   * Reads the call's key (400 for a malformed or missing required one), waits for any request of
   * this process holding the same key, then either gives the stored answer to replay
   * (DuplicateIdempotencyKey for a different request) or lets this call hold the key. Two requests
   * of this process never both hold it; across processes the operation's transaction decides.
   */
  async claim(ns: string, call: KeyedCall): Promise<Claim | { replay: Replay }> {
    if (call.route.method !== 'POST') return noKey;
    const need = call.route.idempotency === 'required' && this.policy === 'required' ? 'required' : 'optional';
    const key = readIdempotencyKey(headerText(call.headers, 'x-amz-pay-idempotency-key'), need);
    if (key === null) return noKey;
    const held: HeldKey = { id: idempotencyId(call.environment, call.region, key), fingerprint: fingerprintOf(call.route.name, call.params, call.raw) };
    const slot = `${ns}\0${held.id}`;
    for (;;) {
      for (let pending = this.#held.get(slot); pending; pending = this.#held.get(slot)) await pending;
      const record = await this.store.read<IdempotencyRecord>(ns, 'idempotency', held.id);
      if (record) return { replay: matchIdempotency(record, held.fingerprint) };
      // Another request took the key while this one was reading: wait for it too.
      if (!this.#held.has(slot)) break;
    }
    let settle!: () => void;
    this.#held.set(slot, new Promise<void>((resolve) => (settle = resolve)));
    return {
      key: held,
      release: () => {
        this.#held.delete(slot);
        settle();
      },
    };
  }
}

/**
 * Inside the operation's transaction: the answer already stored under the key, when another
 * request (of another process sharing the store) got there first; DuplicateIdempotencyKey if that
 * was a different request.
 */
export function storedAnswer(state: StoreView, key: HeldKey | null): Replay | null {
  const record = key && state.get<IdempotencyRecord>('idempotency', key.id);
  return record ? matchIdempotency(record, key.fingerprint) : null;
}

/** The write that keeps an answer for replay under the call's key (none for transient answers). */
export function rememberAnswer(key: HeldKey | null, answer: Replay, now: number): Put[] {
  if (!key || !isReplayable(answer.status)) return [];
  const record: IdempotencyRecord = { fingerprint: key.fingerprint, status: answer.status, payload: answer.payload, createdAt: now };
  return [{ collection: 'idempotency', id: key.id, value: record }];
}
