import type { Region } from './types.js';

/** What a real Amazon host serves, and the region it belongs to. */
export interface AmazonHost {
  region: Region;
  /** `api`: Amazon Pay API v2; `checkout.js`: the static host of the button script. */
  serves: 'api' | 'checkout.js';
}

/**
 * The hosts an unmodified client talks to (Amazon Pay "API introduction" and "Add the Amazon Pay
 * button" pages): the API per region, and checkout.js per region (`fe` is the Far East, i.e. JP).
 */
export const amazonHosts: Readonly<Record<string, AmazonHost>> = {
  'pay-api.amazon.com': { region: 'na', serves: 'api' },
  'pay-api.amazon.eu': { region: 'eu', serves: 'api' },
  'pay-api.amazon.jp': { region: 'jp', serves: 'api' },
  'static-na.payments-amazon.com': { region: 'na', serves: 'checkout.js' },
  'static-eu.payments-amazon.com': { region: 'eu', serves: 'checkout.js' },
  'static-fe.payments-amazon.com': { region: 'jp', serves: 'checkout.js' },
};

/** The Amazon host a name (any case, optional trailing dot, optional `:port`) stands for, or null. */
export function amazonHostOf(name: string): { host: string } & AmazonHost | null {
  const host = name.trim().toLowerCase().replace(/:\d+$/, '').replace(/\.$/, '');
  const entry = Object.hasOwn(amazonHosts, host) ? amazonHosts[host] : undefined;
  return entry ? { host, ...entry } : null;
}
