/** The collections a merchant's records live in; the Store keeps one of each per merchant. */
export type Collection =
  | 'checkoutSessions'
  | 'chargePermissions'
  | 'charges'
  | 'refunds'
  | 'idempotency'
  | 'buyers'
  | 'settings'
  // Reports, disputes, files, merchant accounts, in-store (issue #13)
  | 'reports' | 'reportSchedules' | 'reportDocuments' | 'reportIndex' | 'disputes' | 'files' | 'merchantAccounts'
  | 'inStorePermissions' | 'inStoreCharges' | 'inStoreRefunds' | 'inStoreReferences'
  // Delivery tracking codes (used once) and issued authorization tokens (issue #12)
  | 'deliveryTrackers' | 'authorizationTokens'
  // Public keys registered at run time (issue #7)
  | 'publicKeys'
  // The IPN outbox: deliveries pending, delivered and failed, due when their next attempt is (issue #14)
  | 'ipnDeliveries';

export const collections: readonly Collection[] = ['checkoutSessions', 'chargePermissions', 'charges', 'refunds', 'idempotency', 'buyers', 'settings',
  'reports', 'reportSchedules', 'reportDocuments', 'reportIndex', 'disputes', 'files', 'merchantAccounts', 'inStorePermissions', 'inStoreCharges', 'inStoreRefunds', 'inStoreReferences', 'deliveryTrackers', 'authorizationTokens', 'publicKeys', 'ipnDeliveries'];

/**
 * Collections that hold configuration rather than objects: settings (the id generator's position,
 * saved clocks, scenario rules, IPN settings and the shared IPN signing key) and public keys
 * registered at run time. Retention never removes them: they do not grow with traffic, and losing
 * one changes behaviour (a key stops verifying, ids already issued come again, a frozen clock
 * starts running). `POST /__admin/reset` clears the settings; a key goes when it is deleted.
 */
export const configurationCollections: readonly Collection[] = ['settings', 'publicKeys'];

/** One write: the whole new value of one record (`null` deletes it). */
export interface Put {
  collection: Collection;
  id: string;
  value: unknown;
  /** When the record next changes on its own (server-clock ms), or null. Feeds `due()`. */
  dueAt?: number | null;
}
