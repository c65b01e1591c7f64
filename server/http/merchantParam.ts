import { apiError } from '../domain/errors.js';
import { merchantNamespace } from '../signing/keyRegistry.js';

/** The merchant namespace named by `?merchant=` (any of a key's three forms), or undefined. */
export function merchantParam(query: unknown): string | undefined {
  const value = (query as Record<string, unknown> | undefined)?.merchant;
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw apiError('InvalidParameterValue', 'The merchant parameter must be given once.');
  // An empty value is a caller's unset variable, not "every merchant": refuse rather than reset all.
  if (value === '') throw apiError('InvalidParameterValue', 'The merchant parameter is empty; name a public key id, or leave the parameter out to mean every merchant.');
  return merchantNamespace(value);
}
