import type { Put, StoreView, Transaction } from '../store/store.js';
import type { IpnMessage, SnsEnvelope } from './snsEnvelope.js';

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

/** The Store collection holding a merchant's IPN deliveries (its outbox). */
export const OUTBOX = 'ipnDeliveries' as const;

/**
 * One delivery as the Store keeps it. `dueAt` (wall-clock ms, also the put's `dueAt`, so the
 * store's `due()` lists it) is when someone should next act on it: its next attempt, or, while an
 * attempt is in flight, the time after which that attempt counts as abandoned (its process died)
 * and is made again. Finished deliveries are due never.
 */
export interface OutboxRecord {
  delivery: IpnDelivery;
  /** Listing order, newest highest: creation wall ms x 1000 plus a per-process counter. */
  order: number;
  dueAt: number | null;
  /** Who holds the attempt in flight (a random token per attempt), or null. */
  claim: string | null;
}

export function outboxPut(record: OutboxRecord): Put {
  return { collection: OUTBOX, id: record.delivery.id, value: record, dueAt: record.dueAt };
}

const nothing = <R>(result: R): Transaction<R> => ({ puts: [], result });

/**
 * Takes the attempt of delivery `id` that is due at `now`: the record is pending and due, and
 * becomes in flight for `token` until `until`. Resolves null when there is nothing to take
 * (delivered, failed, cleared, not yet due, or taken by another process meanwhile).
 */
export function claimAttempt(view: StoreView, id: string, { token, now, until }: { token: string; now: number; until: number }): Transaction<OutboxRecord | null> {
  const record = view.get<OutboxRecord>(OUTBOX, id);
  if (!record || record.delivery.status !== 'pending' || record.dueAt === null || record.dueAt > now) return nothing(null);
  const claimed: OutboxRecord = { ...record, dueAt: until, claim: token, delivery: { ...record.delivery, nextAttemptAt: null } };
  return { puts: [outboxPut(claimed)], result: claimed };
}

/**
 * Records the outcome of the attempt `token` holds: delivered on a 2xx, else pending until the
 * next retry (after `retryDelaysMs[attempts - 1]`), or failed after the last one. Dropped (null)
 * when the record is gone or the attempt is no longer this token's (it outlived its claim).
 */
export function recordAttempt(
  view: StoreView,
  id: string,
  { token, attempt, now, retryDelaysMs }: { token: string; attempt: DeliveryAttempt; now: number; retryDelaysMs: readonly number[] },
): Transaction<OutboxRecord | null> {
  const record = view.get<OutboxRecord>(OUTBOX, id);
  if (!record || record.claim !== token) return nothing(null);
  const attempts = [...record.delivery.attempts, attempt];
  const delay = retryDelaysMs[attempts.length - 1];
  const ok = attempt.error === undefined && attempt.status !== undefined && attempt.status >= 200 && attempt.status < 300;
  const status: DeliveryStatus = ok ? 'delivered' : delay === undefined ? 'failed' : 'pending';
  const dueAt = status === 'pending' ? now + delay! : null;
  const next: OutboxRecord = {
    ...record,
    dueAt,
    claim: null,
    delivery: { ...record.delivery, attempts, status, nextAttemptAt: dueAt === null ? null : new Date(dueAt).toISOString() },
  };
  return { puts: [outboxPut(next)], result: next };
}

/** Deletes the records `doomed` picks from the namespace's outbox; resolves how many. */
export function removeDeliveries(view: StoreView, doomed: (records: OutboxRecord[]) => OutboxRecord[]): Transaction<number> {
  const gone = doomed(view.list<OutboxRecord>(OUTBOX));
  return { puts: gone.map((r) => ({ collection: OUTBOX, id: r.delivery.id, value: null, dueAt: null })), result: gone.length };
}

/** Beyond `max` deliveries, the oldest finished ones, then the oldest pending ones. */
export function overCap(max: number): (records: OutboxRecord[]) => OutboxRecord[] {
  return (records) => {
    const over = records.length - max;
    if (over <= 0) return [];
    const oldestFirst = [...records].sort((a, b) => a.order - b.order);
    const finished = oldestFirst.filter((r) => r.delivery.status !== 'pending');
    const pending = oldestFirst.filter((r) => r.delivery.status === 'pending');
    return [...finished, ...pending].slice(0, over);
  };
}
