import { IPN_SETTINGS_ID } from '../../server/ipn/ipnConfig.js';
import type { IpnDelivery, IpnService } from '../../server/ipn/ipnService.js';
import { notificationsFor, type BeforeLookup } from '../../server/ipn/notifications.js';
import { outboxPut } from '../../server/ipn/outbox.js';
import type { Put, Store } from '../../server/store/store.js';

/**
 * What a NotifyingStore does with one commit, for tests that pick the values "before" it freely:
 * the deliveries the puts cause are written to the outbox (in a commit of their own here), then
 * their first attempts start. Resolves with the deliveries as queued.
 */
export async function notify(ipn: IpnService, store: Store, ns: string, { puts, before }: { puts: readonly Put[]; before: BeforeLookup }): Promise<IpnDelivery[]> {
  const records = ipn.outboxRecords(ns, { notifications: notificationsFor(ns, { puts, before }), settings: before('settings', IPN_SETTINGS_ID) });
  if (records.length > 0) await store.transact(ns, () => ({ puts: records.map(outboxPut), result: undefined }));
  ipn.attemptFirst(ns, records);
  return records.map((r) => structuredClone(r.delivery));
}
