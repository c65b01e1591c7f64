import { apiError } from './errors.js';
import type { OperationEnv, OperationResult } from './operation.js';

/**
 * Get Authorization Token (200): a delegated token a solution provider uses for a merchant
 * (`x-amz-pay-authtoken`). The mock issues a fresh token; it does not model MWS delegations.
 */
export function getAuthorizationToken(env: OperationEnv, mwsAuthToken: string, query: Record<string, unknown>): OperationResult<{ authorizationToken: string }> {
  const merchantId = query.merchantId;
  if (typeof merchantId !== 'string' || merchantId === '') throw apiError('MissingParameterValue', "The query parameter 'merchantId' is required but was not provided.");
  if (mwsAuthToken.length > 128) {
    throw apiError('InvalidParameterValue', `The value '${mwsAuthToken}' provided for 'mwsAuthToken' is invalid.`);
  }
  return { status: 200, body: { authorizationToken: `Atza|${env.ids.alphanumeric(64)}` }, writes: [] };
}
