import { apiError } from '../domain/errors.js';
import { echo } from '../domain/echo.js';
import { merchantNamespace, namesMerchant } from '../signing/keyRegistry.js';

/** The merchant namespace named by `?merchant=` (any of a key's three forms), or undefined. */
export function merchantParam(query: unknown): string | undefined {
  const value = (query as Record<string, unknown> | undefined)?.merchant;
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw apiError('InvalidParameterValue', 'The merchant parameter must be given once.');
  // An empty value is a caller's unset variable, not "every merchant": refuse rather than reset all.
  if (value === '') throw apiError('InvalidParameterValue', 'The merchant parameter is empty; name a public key id, or leave the parameter out to mean every merchant.');
  // Anything else names no merchant, and could reach the server's own state (`~server`: keys, the saved clock).
  if (!namesMerchant(value)) {
    throw apiError('InvalidParameterValue', `The merchant parameter '${echo(value)}' is not a public key id (1 to 64 characters from A-Z a-z 0-9 _ -, more than a SANDBOX- or LIVE- prefix).`);
  }
  return merchantNamespace(value);
}
