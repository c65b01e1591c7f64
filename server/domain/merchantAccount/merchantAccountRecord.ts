import type { Environment, Region } from '../types.js';

/**
 * A merchant account made through the onboarding APIs: "registered" by an authorised merchant (a
 * non-loginable account, registerAmazonPayAccount) or "created" by a solution provider (loginable,
 * createMerchantAccount: answered with an authorization token, then claimed by the merchant).
 */
export interface MerchantAccountRecord {
  merchantAccountId: string;
  uniqueReferenceId: string;
  kind: 'registered' | 'created';
  /** The account as last sent (create, then updates merged in), for the control API and tests. */
  details: Record<string, unknown>;
  authorizationToken: string | null;
  claimed: boolean;
  deleted: boolean;
  createdAt: number;
  /** Where it was made: it is seen from that environment and region only (absent on records saved before). */
  meta?: { environment: Environment; region: Region };
  /** Stores made by Create Store, by storeId (absent on accounts saved before stores were served). */
  stores?: Record<string, MerchantStore>;
}

/** A store of a merchant account (Create Store / Update Store), as answered. */
export interface MerchantStore {
  storeId: string;
  storeName: string;
  allowedOriginDomains: string[] | null;
  allowedRedirectURLs: string[] | null;
  privacyPolicyUrl: string | null;
  merchantLogoUrl: string | null;
}

/**
 * The caller's live (not deleted) accounts by reference: `<environment>/<region>/<uniqueReferenceId>`
 * -> merchantAccountId (a reference names one account in each environment and region). Keys saved
 * before accounts had a place are the bare uniqueReferenceId, and hold everywhere.
 */
export interface MerchantAccountIndex {
  byReference: Record<string, string>;
}

export const MERCHANT_ACCOUNT_INDEX_ID = 'merchantAccounts';

/** Ledger currencies the onboarding APIs take (UNCONFIRMED beyond the SDK examples' JPY). */
export const ledgerCurrencies = ['JPY', 'USD', 'EUR', 'GBP'] as const;
export const businessTypes = ['CORPORATE', 'INDIVIDUAL', 'PARTNERSHIP', 'LIMITED', 'SOLE_PROPRIETORSHIP', 'NON_PROFIT', 'GOVERNMENT'] as const;
