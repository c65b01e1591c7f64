import { apiError } from './domain/errors.js';
import type { Collection } from './domain/writes.js';
import type { Store } from './store/store.js';

/** The namespace holding a record, searching all of them unless one is named; 404 if none does. */
export async function findNamespace(deps: { store: Store }, collection: Collection, id: string, merchant: string | undefined, what: string): Promise<string> {
  const candidates = merchant !== undefined ? [merchant] : await deps.store.namespaces();
  const found = await Promise.all(candidates.map((n) => deps.store.read(n, collection, id)));
  const ns = candidates.find((_n, i) => found[i] !== undefined);
  if (ns === undefined) throw apiError('ResourceNotFound', `The ${what} '${id}' was not found${merchant ? ` for merchant ${merchant}` : ''}.`);
  return ns;
}
