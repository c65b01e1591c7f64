import { createHash } from 'node:crypto';
import type { IdempotencyRecord } from '../domain/idempotency.js';
import { matchIdempotency } from '../domain/idempotency.js';
import type { Store } from '../store/store.js';

/** Record id of a key: sandbox and live of one merchant are separate systems. */
export const idempotencyId = (environment: string, key: string) => `${environment}:${key}`;

/** What makes two requests "the same": the operation, its path parameters and the raw body bytes. */
export function fingerprintOf(operation: string, params: Record<string, string>, body: Buffer): string {
  return createHash('sha256').update(`${operation}\n${JSON.stringify(params)}\n`).update(body).digest('hex');
}

/**
 * Serialises requests of this process that share an idempotency key: the second waits for the
 * first to finish, then replays its stored answer without running scenario rules or delays again.
 * (That a key runs the operation once at most, across processes too, is the operation's store
 * transaction's doing: it reads the key's record and commits the answer with the writes.)
 */
export class IdempotencyGate {
  private readonly inFlight = new Map<string, Promise<void>>();

  constructor(private readonly store: Store) {}

  /**
   * Waits for any request holding this key, then either returns the stored answer to replay
   * (throwing DuplicateIdempotencyKey for a different request) or holds the key for this request.
   * Two requests of this process never both hold it.
   */
  async acquire(ns: string, id: string, fingerprint: string): Promise<{ replay: { status: number; payload: string | undefined } } | { release: () => void }> {
    const slot = `${ns}\0${id}`;
    for (;;) {
      for (let pending = this.inFlight.get(slot); pending; pending = this.inFlight.get(slot)) await pending;
      const record = await this.store.read<IdempotencyRecord>(ns, 'idempotency', id);
      if (record) return { replay: matchIdempotency(record, fingerprint) };
      // Another request took the key while this one was reading: wait for it too.
      if (!this.inFlight.has(slot)) break;
    }
    let release!: () => void;
    this.inFlight.set(slot, new Promise<void>((resolve) => (release = resolve)));
    return {
      release: () => {
        this.inFlight.delete(slot);
        release();
      },
    };
  }
}
