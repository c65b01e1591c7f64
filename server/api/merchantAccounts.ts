import { claimMerchantAccount, createMerchantAccount, deleteMerchantAccount, updateMerchantAccount } from '../domain/merchantAccount/merchantAccountOperations.js';
import { createStore, updateStore } from '../domain/merchantAccount/storeOperations.js';
import type { OperationRoute } from './operationRoute.js';

const id = (params: Record<string, string>) => params.merchantAccountId!;
const path = '/merchantAccounts/:merchantAccountId';

/**
 * Merchant onboarding and account management. POST and PATCH serve two SDK methods each:
 * createMerchantAccount / registerAmazonPayAccount and updateMerchantAccount / updateAmazonPayAccount.
 * A provider's account also has stores (createStore, updateStore).
 */
export const merchantAccountRoutes: OperationRoute[] = [
  { name: 'createMerchantAccount', method: 'POST', path: '/merchantAccounts', hasBody: true, idempotency: 'optional', run: (env, call) => createMerchantAccount(env, call.body) },
  { name: 'updateMerchantAccount', method: 'PATCH', path, hasBody: true, run: (env, call) => updateMerchantAccount(env, id(call.params), call) },
  { name: 'deleteAmazonPayAccount', method: 'DELETE', path, hasBody: false, run: (env, call) => deleteMerchantAccount(env, id(call.params)) },
  { name: 'merchantAccountClaim', method: 'POST', path: `${path}/claim`, hasBody: true, idempotency: 'optional', run: (env, call) => claimMerchantAccount(env, id(call.params), call.body) },
  // Store management (the PHP SDK's createStore / updateStore).
  { name: 'createStore', method: 'POST', path: `${path}/stores`, hasBody: true, idempotency: 'optional', run: (env, call) => createStore(env, id(call.params), call) },
  { name: 'updateStore', method: 'PATCH', path: `${path}/stores/:storeId`, hasBody: true, run: (env, call) => updateStore(env, id(call.params), call.params.storeId!, call) },
];
