import type { Address, CheckoutSession, Price } from '../types.js';

export interface MultiAddressEntry {
  addressId: string;
  price: Price | null;
}

/**
 * Multi-address checkout (docs/amazon-pay-notes.md, "Multi-address checkout"): sessions that carry `multiAddressesCheckoutMetadata` also answer
 * `shippingAddressList`, whose elements are JSON-encoded address strings (the Node, PHP and Java
 * SDKs JSON-decode each one). Both keys appear only on such sessions, right after
 * `shippingAddress`, so ordinary sessions keep the exact key order SDK tests assert.
 */
export function withMultiAddress(session: CheckoutSession, entries: MultiAddressEntry[] | null, list: string[] | null): CheckoutSession {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(session)) {
    if (key === 'shippingAddressList' || key === 'multiAddressesCheckoutMetadata') continue;
    out[key] = value;
    if (key === 'shippingAddress' && entries) {
      out.shippingAddressList = list;
      out.multiAddressesCheckoutMetadata = entries;
    }
  }
  return out as unknown as CheckoutSession;
}

/** The buyer's address for each entry, encoded as Amazon sends it: one JSON string per address. */
export function shippingAddressList(entries: MultiAddressEntry[], base: Address): string[] {
  return entries.map((entry, i) => JSON.stringify({ addressId: entry.addressId, ...base, addressLine2: `Unit ${i + 1}` }));
}
