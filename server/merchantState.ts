import { apiError } from './domain/errors.js';
import type { Collection } from './domain/writes.js';
import type { Store } from './store/store.js';

/** A record to look for: where, which, and what to call it in a 404. */
export interface WantedRecord {
  collection: Collection;
  id: string;
  what: string;
}

/** The namespace holding a record, searching all of them unless one (`merchant`) is named; 404 if none does. */
export async function findNamespace(deps: { store: Store }, { collection, id, what }: WantedRecord, merchant?: string): Promise<string> {
  const candidates = merchant !== undefined ? [merchant] : await deps.store.namespaces();
  const found = await Promise.all(candidates.map((n) => deps.store.read(n, collection, id)));
  const ns = candidates.find((_n, i) => found[i] !== undefined);
  if (ns === undefined) throw apiError('ResourceNotFound', `The ${what} '${id}' was not found${merchant ? ` for merchant ${merchant}` : ''}.`);
  return ns;
}
