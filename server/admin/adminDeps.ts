import type { PipelineDeps } from '../api/pipeline.js';
import { apiError } from '../domain/errors.js';
import { merchantNamespace } from '../signing/keyRegistry.js';
import type { Collection } from '../store/store.js';

export type AdminDeps = PipelineDeps;

/** The merchant namespace named by `?merchant=` (any of a key's three forms), or undefined. */
export function merchantParam(query: unknown): string | undefined {
  const value = (query as Record<string, unknown> | undefined)?.merchant;
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw apiError('InvalidParameterValue', 'The merchant parameter must be given once.');
  // An empty value is a caller's unset variable, not "every merchant": refuse rather than reset all.
  if (value === '') throw apiError('InvalidParameterValue', 'The merchant parameter is empty; name a public key id, or leave the parameter out to mean every merchant.');
  return merchantNamespace(value);
}

/** The namespace holding a record, searching all of them unless one is named; 404 if none does. */
export function findNamespace(deps: AdminDeps, collection: Collection, id: string, merchant: string | undefined, what: string): string {
  const candidates = merchant !== undefined ? [merchant] : deps.store.namespaces();
  const ns = candidates.find((n) => deps.store.get(n, collection, id) !== undefined);
  if (ns === undefined) throw apiError('ResourceNotFound', `The ${what} '${id}' was not found${merchant ? ` for merchant ${merchant}` : ''}.`);
  return ns;
}
