import { apiError } from '../errors.js';
import type { OperationEnv, OperationInput, OperationResult } from '../operation.js';
import { str, url, validateBody, type Fields } from '../validation.js';
import { accountWrite, checkProviderToken, findAccount } from './merchantAccountOperations.js';
import type { MerchantAccountRecord, MerchantStore } from './merchantAccountRecord.js';

const urls = { type: 'array', items: url, max: 100 } as const;

/** The store fields of the PHP SDK's Create Store and Update Store examples (2.7.2 README). */
export const storeFields = {
  storeName: str(256),
  allowedOriginDomains: urls,
  allowedRedirectURLs: urls,
  privacyPolicyUrl: url,
  merchantLogoUrl: url,
} satisfies Fields;

/** The account a provider manages stores of: it must have sent the token its creation answered. */
function providerAccount(env: OperationEnv, id: string, authToken: string | undefined): MerchantAccountRecord {
  const record = findAccount(env, id);
  if (authToken === undefined) throw apiError('MissingHeader', 'Managing the stores of a merchant account needs the x-amz-pay-authtoken header its creation answered.');
  checkProviderToken(record, authToken);
  return record;
}

const withStore = (record: MerchantAccountRecord, store: MerchantStore): MerchantAccountRecord => ({ ...record, stores: { ...record.stores, [store.storeId]: store } });

/**
 * Create Store (201): a store (a client id for the Amazon Pay button, with the origins and return
 * URLs it may be used from) on a solution provider's merchant account. The PHP SDK has it
 * (createStore, "restricted to allowlisted Solution Providers"); the answer is the store.
 */
export function createStore(env: OperationEnv, accountId: string, { body, authToken }: OperationInput): OperationResult<MerchantStore> {
  const b = validateBody(body, storeFields, ['storeName']);
  const record = providerAccount(env, accountId, authToken);
  const store: MerchantStore = {
    storeId: `amzn1.application-oa2-client.${env.ids.uuid().replace(/-/g, '')}`,
    storeName: b.storeName,
    allowedOriginDomains: b.allowedOriginDomains ?? null,
    allowedRedirectURLs: b.allowedRedirectURLs ?? null,
    privacyPolicyUrl: b.privacyPolicyUrl ?? null,
    merchantLogoUrl: b.merchantLogoUrl ?? null,
  };
  return { status: 201, body: store, writes: [accountWrite(withStore(record, store))] };
}

/** Update Store (200): the fields sent replace the store's; the answer is the store as it now is. */
export function updateStore(env: OperationEnv, accountId: string, storeId: string, { body, authToken }: OperationInput): OperationResult<MerchantStore> {
  const b = validateBody(body, storeFields);
  const record = providerAccount(env, accountId, authToken);
  const before = Object.hasOwn(record.stores ?? {}, storeId) ? record.stores![storeId] : undefined;
  if (!before) throw apiError('ResourceNotFound', `The store '${storeId}' of merchant account ${accountId} was not found.`);
  const store: MerchantStore = { ...before };
  for (const key of Object.keys(storeFields) as (keyof typeof storeFields)[]) {
    const value = b[key];
    if (value !== undefined && value !== null) (store as unknown as Record<string, unknown>)[key] = value;
  }
  return { status: 200, body: store, writes: [accountWrite(withStore(record, store))] };
}
