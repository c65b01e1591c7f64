import { apiError } from '../domain/errors.js';

/** Where and how one merchant's IPNs are delivered. Stored under settings/`ipn` in its namespace. */
export interface IpnConfig {
  urls: string[];
  /** false: Signature and SigningCertURL are sent as empty strings (receivers that skip verification). */
  signed: boolean;
}

/** The settings record id holding a merchant's IpnConfig. */
export const IPN_SETTINGS_ID = 'ipn';
export const MAX_IPN_URLS = 10;

/** The reason a URL cannot be an IPN endpoint, or null when it can. */
export function endpointProblem(url: string): string | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return 'is not an absolute URL';
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return `uses ${parsed.protocol} (only http and https are delivered)`;
  return null;
}

/**
 * Validates a POST /__admin/ipn body against the current config: `urls` (http(s), at most 10,
 * duplicates dropped) and `signed` replace what they name; anything else is UnrecognizedField.
 */
export function parseIpnConfigUpdate(body: Record<string, unknown>, current: IpnConfig): IpnConfig {
  for (const key of Object.keys(body)) if (key !== 'urls' && key !== 'signed') throw apiError('UnrecognizedField', `The field '${key}' is invalid for this API; use 'urls' and 'signed'.`);
  if (body.urls === undefined && body.signed === undefined) throw apiError('MissingParameterValue', "Send 'urls' (an array of http(s) URLs) and/or 'signed' (boolean).");
  let urls = current.urls;
  if (body.urls !== undefined) {
    if (!Array.isArray(body.urls)) throw apiError('InvalidParameterValue', "'urls' must be an array of http(s) URLs.");
    if (body.urls.length > MAX_IPN_URLS) throw apiError('InvalidParameterValue', `'urls' holds ${body.urls.length} URLs; at most ${MAX_IPN_URLS} are allowed.`);
    const seen = new Set<string>();
    urls = [];
    body.urls.forEach((u, i) => {
      if (typeof u !== 'string') throw apiError('InvalidParameterValue', `'urls[${i}]' must be a string.`);
      const problem = endpointProblem(u);
      if (problem) throw apiError('InvalidParameterValue', `'urls[${i}]' (${JSON.stringify(u)}) ${problem}.`);
      if (!seen.has(u)) urls.push(u);
      seen.add(u);
    });
  }
  let signed = current.signed;
  if (body.signed !== undefined) {
    if (typeof body.signed !== 'boolean') throw apiError('InvalidParameterValue', "'signed' must be true or false.");
    signed = body.signed;
  }
  return { urls, signed };
}

/** A stored settings value read back defensively (a hand-edited data file must not crash delivery). */
export function storedIpnConfig(value: unknown): IpnConfig | null {
  if (typeof value !== 'object' || value === null) return null;
  const v = value as Record<string, unknown>;
  const urls = Array.isArray(v.urls) ? v.urls.filter((u): u is string => typeof u === 'string' && endpointProblem(u) === null) : [];
  return { urls, signed: typeof v.signed === 'boolean' ? v.signed : true };
}
