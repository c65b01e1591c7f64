import { apiError } from './errors.js';
import type { Environment, Region } from './types.js';

const regionAliases: Record<string, Region> = { na: 'na', us: 'na', eu: 'eu', de: 'eu', uk: 'eu', jp: 'jp' };

/** The region from `x-amz-pay-region` (case-insensitive, SDK aliases accepted; docs/amazon-pay-notes.md, "How the SDKs sign"); NA when absent. */
export function parseRegion(value: string | undefined): Region {
  if (value === undefined || value === '') return 'na';
  const region = regionAliases[value.trim().toLowerCase()];
  if (!region) throw apiError('InvalidHeaderValue', `The value ${value} provided for x-amz-pay-region is invalid. Use na, eu or jp.`);
  return region;
}

/**
 * The environment of a call ("API introduction"): the key id prefix wins, else the path segment. A prefixed key
 * on the other environment's path, or an unprefixed key on bare /v2, is rejected unless the policy
 * is `allow` (real behaviour UNCONFIRMED; then the key prefix, else sandbox, is used).
 */
export function resolveEnvironment(
  { publicKeyId, keyEnv, pathEnv }: { publicKeyId: string | null; keyEnv: Environment | null; pathEnv: Environment | null },
  policy: 'reject' | 'allow',
): Environment {
  if (policy === 'reject') {
    if (keyEnv && pathEnv && keyEnv !== pathEnv) {
      throw apiError('InvalidRequest', `The public key id ${publicKeyId} belongs to the ${keyEnv} environment but the path starts with /${pathEnv}/. Use /v2/... with environment-specific keys.`);
    }
    if (!keyEnv && !pathEnv) {
      throw apiError('InvalidRequest', `The public key id ${publicKeyId ?? '(none)'} has no SANDBOX- or LIVE- prefix, so the path must say the environment: /sandbox/v2/... or /live/v2/....`);
    }
  }
  return keyEnv ?? pathEnv ?? 'sandbox';
}
