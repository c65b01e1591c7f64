import { apiError } from './errors.js';
import type { OperationEnv, OperationResult, StateView } from './operation.js';

/** An issued delegation token, kept so that calls made with it can be checked. */
export interface AuthorizationTokenRecord {
  authorizationToken: string;
  merchantId: string;
  mwsAuthToken: string;
  issuedAt: number;
}

/**
 * Get Authorization Token (200): a delegated token a solution provider uses for a merchant
 * (`x-amz-pay-authtoken`). The mock issues a fresh token and remembers it for the caller; it does
 * not model MWS delegations.
 */
export function getAuthorizationToken(env: OperationEnv, mwsAuthToken: string, query: Record<string, unknown>): OperationResult<{ authorizationToken: string }> {
  const merchantId = query.merchantId;
  if (typeof merchantId !== 'string' || merchantId === '') throw apiError('MissingParameterValue', "The query parameter 'merchantId' is required but was not provided.");
  if (mwsAuthToken.length > 128) {
    throw apiError('InvalidParameterValue', `The value '${mwsAuthToken}' provided for 'mwsAuthToken' is invalid.`);
  }
  const authorizationToken = `Atza|${env.ids.alphanumeric(64)}`;
  const record: AuthorizationTokenRecord = { authorizationToken, merchantId, mwsAuthToken, issuedAt: env.ctx.now };
  return { status: 200, body: { authorizationToken }, writes: [{ collection: 'authorizationTokens', id: authorizationToken, value: record }] };
}

/**
 * A call made with `x-amz-pay-authtoken` (a solution provider acting for a merchant) needs a token
 * Get Authorization Token issued to this caller; any other value is 403 InvalidAuthorizationToken
 * ("Manage errors"). Without the header there is nothing to check.
 */
export function checkAuthorizationToken(state: StateView, token: string | undefined): void {
  if (token === undefined) return;
  if (token.trim() === '' || !state.get<AuthorizationTokenRecord>('authorizationTokens', token.trim())) {
    throw apiError('InvalidAuthorizationToken', 'The x-amz-pay-authtoken provided is invalid: it was not issued by Get Authorization Token for this caller, or it was revoked.');
  }
}
