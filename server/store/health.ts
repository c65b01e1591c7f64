import type { StoreNote, StoreStatus } from './errors.js';

/** What a store (or engine) says about its health: those that cannot fail a write are always ok. */
export function statusOf(store: object): StoreStatus {
  const own = (store as Partial<{ status: () => StoreStatus }>).status;
  return typeof own === 'function' ? own.call(store) : { status: 'ok', error: null };
}

/** Lines a store (or engine) wants logged after it opened (torn log tails, converted snapshots). */
export function notesOf(store: object): StoreNote[] {
  const own = (store as Partial<{ notes: () => StoreNote[] }>).notes;
  return typeof own === 'function' ? own.call(store) : [];
}
