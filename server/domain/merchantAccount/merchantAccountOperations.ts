import type { Put } from '../writes.js';
import type { AuthorizationTokenRecord } from '../authorizationTokens.js';
import { apiError } from '../errors.js';
import { isJsonObject } from '../jsonObject.js';
import type { OperationEnv, OperationInput, OperationResult } from '../operation.js';
import { obj, omitFields, oneOf, str, validateBody, type Fields, type Schema } from '../validation.js';
import {
  businessTypes,
  ledgerCurrencies,
  MERCHANT_ACCOUNT_INDEX_ID,
  type MerchantAccountIndex,
  type MerchantAccountRecord,
} from './merchantAccountRecord.js';

/** An object schema that keeps fields it does not name (the account documents are large and free-form). */
const open = <const F extends Fields>(fields: F) => ({ type: 'object', fields, open: true }) as const;
const anyObject = { type: 'object', fields: {}, open: true } satisfies Schema;
const anyArray = { type: 'array', items: anyObject, max: 100 } satisfies Schema;

const businessInfo = open({
  email: str(256),
  businessType: oneOf(...businessTypes),
  businessLegalName: str(256),
  businessCategory: str(128),
  businessDisplayName: str(256),
  countryOfEstablishment: { type: 'string', pattern: /^[A-Z]{2}$/ },
  businessAddress: anyObject,
  annualSalesVolume: anyObject,
  customerSupportInformation: anyObject,
});

const accountFields = {
  uniqueReferenceId: str(256),
  ledgerCurrency: oneOf(...ledgerCurrencies),
  businessInfo,
  beneficiaryOwners: anyArray,
  primaryContactPerson: anyObject,
  integrationInfo: obj({ ipnEndpointUrls: { type: 'array', items: { type: 'string', max: 2048, pattern: /^https?:\/\/\S+$/ }, max: 10 } }),
  stores: anyArray,
  merchantStatus: anyObject,
} satisfies Fields;
export const createMerchantAccountFields = accountFields;
/** Updates take the same fields but cannot move the account to another reference or ledger. */
export const updateMerchantAccountFields = omitFields(accountFields, ['uniqueReferenceId', 'ledgerCurrency']);
export const claimMerchantAccountFields = { uniqueReferenceId: str(256) } satisfies Fields;

const indexOf = (env: OperationEnv): MerchantAccountIndex => env.state.get<MerchantAccountIndex>('merchantAccounts', MERCHANT_ACCOUNT_INDEX_ID) ?? { byReference: {} };
const indexWrite = (index: MerchantAccountIndex): Put => ({ collection: 'merchantAccounts', id: MERCHANT_ACCOUNT_INDEX_ID, value: index });
export const accountWrite = (record: MerchantAccountRecord): Put => ({ collection: 'merchantAccounts', id: record.merchantAccountId, value: record });

export function findAccount(env: OperationEnv, id: string): MerchantAccountRecord {
  const record = id === MERCHANT_ACCOUNT_INDEX_ID ? undefined : env.state.get<MerchantAccountRecord>('merchantAccounts', id);
  if (!record || record.deleted) throw apiError('ResourceNotFound', `The merchant account '${id}' was not found.`);
  return record;
}

/** The index key of a reference in the caller's environment and region. */
const referenceKey = (env: OperationEnv, reference: string) => `${env.ctx.environment}/${env.ctx.region}/${reference}`;

/** The account a reference names where the caller is (or, for an index saved before accounts had a place, anywhere). */
function accountOfReference(env: OperationEnv, index: MerchantAccountIndex, reference: string): string | undefined {
  const own = index.byReference[referenceKey(env, reference)];
  if (own !== undefined) return own;
  return Object.hasOwn(index.byReference, reference) ? index.byReference[reference] : undefined;
}

function merge(details: Record<string, unknown>, update: object): Record<string, unknown> {
  const out: Record<string, unknown> = { ...details };
  for (const [k, v] of Object.entries(update)) {
    if (v === null || v === undefined) continue;
    const before = out[k];
    out[k] = isJsonObject(v) && isJsonObject(before) ? merge(before, v) : v;
  }
  return out;
}

/**
 * Create Merchant Account / Register Amazon Pay Account (201), both POST /merchantAccounts. A body
 * whose businessInfo has an `email` is a solution provider's login-able account
 * (createMerchantAccount: the answer adds an authorizationToken for its updates); without one, an
 * authorised merchant's registration (registerAmazonPayAccount: exactly the two ids). A
 * uniqueReferenceId names one live account of the caller in its environment and region.
 */
export function createMerchantAccount(env: OperationEnv, body: unknown): OperationResult<Record<string, string>> {
  const b = validateBody(body, createMerchantAccountFields, ['uniqueReferenceId', 'ledgerCurrency', 'businessInfo']);
  for (const key of ['businessType', 'countryOfEstablishment', 'businessLegalName']) {
    if (b.businessInfo[key] == null) throw apiError('MissingParameterValue', `The parameter 'businessInfo.${key}' is required but was not provided.`);
  }
  const index = indexOf(env);
  const taken = accountOfReference(env, index, b.uniqueReferenceId);
  if (taken) throw apiError('InvalidRequest', `The uniqueReferenceId '${b.uniqueReferenceId}' already names the merchant account ${taken}.`);
  const created = typeof b.businessInfo.email === 'string';
  const record: MerchantAccountRecord = {
    merchantAccountId: `A${env.ids.alphanumeric(13)}`,
    uniqueReferenceId: b.uniqueReferenceId,
    kind: created ? 'created' : 'registered',
    details: merge({}, b),
    authorizationToken: created ? `Atza|${env.ids.alphanumeric(64)}` : null,
    claimed: false,
    deleted: false,
    createdAt: env.ctx.now,
    meta: { environment: env.ctx.environment, region: env.ctx.region },
  };
  const next: MerchantAccountIndex = { byReference: { ...index.byReference, [referenceKey(env, record.uniqueReferenceId)]: record.merchantAccountId } };
  const answer: Record<string, string> = { uniqueReferenceId: record.uniqueReferenceId, merchantAccountId: record.merchantAccountId };
  if (record.authorizationToken) answer.authorizationToken = record.authorizationToken;
  const writes = [accountWrite(record), indexWrite(next)];
  // The token is a delegation like Get Authorization Token's: calls carrying it are checked against the same list.
  if (record.authorizationToken) {
    const token: AuthorizationTokenRecord = { authorizationToken: record.authorizationToken, merchantId: record.merchantAccountId, mwsAuthToken: 'createMerchantAccount', issuedAt: env.ctx.now };
    writes.push({ collection: 'authorizationTokens', id: record.authorizationToken, value: token });
  }
  return { status: 201, body: answer, writes };
}

/**
 * Update Merchant Account (200, with `x-amz-pay-authtoken`: a solution provider's account until it
 * is claimed) / Update Amazon Pay Account (204, without: a registered account). The fields sent are
 * merged into the account.
 */
export function updateMerchantAccount(env: OperationEnv, id: string, { body, authToken }: OperationInput): OperationResult<Record<string, string> | undefined> {
  const b = validateBody(body, updateMerchantAccountFields);
  const record = findAccount(env, id);
  if (authToken !== undefined) {
    checkProviderToken(record, authToken);
  } else if (record.kind === 'created') {
    throw apiError('MissingHeader', 'Updating a merchant account created by a solution provider needs the x-amz-pay-authtoken header its creation answered.');
  }
  const next: MerchantAccountRecord = { ...record, details: merge(record.details, b) };
  if (authToken === undefined) return { status: 204, body: undefined, writes: [accountWrite(next)] };
  return { status: 200, body: { uniqueReferenceId: record.uniqueReferenceId, merchantAccountId: id }, writes: [accountWrite(next)] };
}

/** A solution provider acts on an account it created with the token that creation answered, until the merchant claims it. */
export function checkProviderToken(record: MerchantAccountRecord, authToken: string): void {
  const id = record.merchantAccountId;
  if (record.kind !== 'created' || authToken !== record.authorizationToken) throw apiError('InvalidAuthorizationToken', `The x-amz-pay-authtoken is not the one issued for merchant account ${id}.`);
  if (record.claimed) throw apiError('InvalidRequest', `The merchant account ${id} was claimed by its merchant; only the merchant can change it now.`);
}

/** Delete Amazon Pay Account (202): the account is gone and its uniqueReferenceId free again. */
export function deleteMerchantAccount(env: OperationEnv, id: string): OperationResult<undefined> {
  const record = findAccount(env, id);
  const index = indexOf(env);
  // Free the reference under whichever key names this account (its place, or the bare reference of an older index).
  const rest = Object.fromEntries(Object.entries(index.byReference).filter(([, accountId]) => accountId !== id));
  return { status: 202, body: undefined, writes: [accountWrite({ ...record, deleted: true }), indexWrite({ byReference: rest })] };
}

const sellerCentral = { na: 'https://sellercentral.amazon.com', eu: 'https://sellercentral-europe.amazon.com', jp: 'https://sellercentral.amazon.co.jp' } as const;

/**
 * Merchant Account Claim (303 See Other): the merchant takes over a solution provider's account,
 * naming its uniqueReferenceId; the Location is where the merchant signs in (the SDKs do not
 * follow it: the Node SDK calls with maxRedirects 0 and takes the 303 as success).
 */
export function claimMerchantAccount(env: OperationEnv, id: string, body: unknown): OperationResult<Record<string, string>> {
  const b = validateBody(body, claimMerchantAccountFields, ['uniqueReferenceId']);
  const record = findAccount(env, id);
  if (b.uniqueReferenceId !== record.uniqueReferenceId) throw apiError('InvalidParameterValue', `The uniqueReferenceId '${b.uniqueReferenceId}' is not the one of merchant account ${id}.`);
  if (record.kind !== 'created') throw apiError('InvalidRequest', `The merchant account ${id} was registered by the merchant itself; there is nothing to claim.`);
  const location = `${sellerCentral[env.ctx.region]}/merchant-account-claim?merchantAccountId=${encodeURIComponent(id)}`;
  return {
    status: 303,
    body: { uniqueReferenceId: record.uniqueReferenceId, merchantAccountId: id },
    headers: { location },
    writes: record.claimed ? [] : [accountWrite({ ...record, claimed: true })],
  };
}
