import { apiError } from './domain/errors.js';
import type { StateView } from './domain/operation.js';
import type { Collection } from './domain/writes.js';
import type { Store } from './store/store.js';

/** A read-only view of one merchant's records. */
export function stateView(deps: { store: Store }, ns: string): StateView {
  return { get: (collection, id) => deps.store.get(ns, collection, id), list: (collection) => deps.store.list(ns, collection) };
}

/** The namespace holding a record, searching all of them unless one is named; 404 if none does. */
export function findNamespace(deps: { store: Store }, collection: Collection, id: string, merchant: string | undefined, what: string): string {
  const candidates = merchant !== undefined ? [merchant] : deps.store.namespaces();
  const ns = candidates.find((n) => deps.store.get(n, collection, id) !== undefined);
  if (ns === undefined) throw apiError('ResourceNotFound', `The ${what} '${id}' was not found${merchant ? ` for merchant ${merchant}` : ''}.`);
  return ns;
}
