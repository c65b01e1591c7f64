import type { Collection, DueRecord, KeptRecords, Put, Store, TransactionWork } from '../store/store.js';
import { IPN_SETTINGS_ID } from './ipnConfig.js';
import type { IpnService } from './ipnService.js';
import { outboxPut, type OutboxRecord } from './outbox.js';
import { notificationsFor } from './notifications.js';

const watched: ReadonlySet<Collection> = new Set<Collection>(['chargePermissions', 'charges', 'refunds', 'disputes']);

/**
 * A Store whose transactions write the IPN deliveries they cause: inside the transaction (so from
 * the same consistent view the writes were decided on) it reads the merchant's IPN settings, works
 * out which notifications the puts cause (when the merchant has an endpoint at all) and adds the
 * outbox records `ipn` makes of them to the same commit; once that commit is durable, `ipn` makes
 * their first attempts. A change and the
 * notifications it causes are stored together or not at all. Every other method passes straight
 * through.
 */
export class NotifyingStore implements Store {
  constructor(
    readonly inner: Store,
    private readonly ipn: Pick<IpnService, 'hasEndpoints' | 'outboxRecords' | 'attemptFirst'>,
  ) {}

  async transact<R>(ns: string, work: TransactionWork<R>): Promise<R> {
    let created: readonly OutboxRecord[] = [];
    const result = await this.inner.transact(ns, (view) => {
      const outcome = work(view);
      created = []; // only the run that commits counts
      if (!outcome.puts.some((p: Put) => watched.has(p.collection))) return outcome;
      // No endpoint for this merchant (the usual case in tests): no notification to work out.
      const settings = view.get('settings', IPN_SETTINGS_ID);
      if (!this.ipn.hasEndpoints(settings)) return outcome;
      const notifications = notificationsFor(ns, { puts: outcome.puts, before: (collection, id) => view.get(collection, id) });
      if (notifications.length > 0) created = this.ipn.outboxRecords(ns, { notifications, settings });
      return created.length === 0 ? outcome : { ...outcome, puts: [...outcome.puts, ...created.map(outboxPut)] };
    });
    if (created.length > 0) this.ipn.attemptFirst(ns, created);
    return result;
  }

  open(): Promise<void> {
    return this.inner.open();
  }
  read<T>(ns: string, collection: Collection, id: string): Promise<T | undefined> {
    return this.inner.read<T>(ns, collection, id);
  }
  readAll<T>(ns: string, collection: Collection): Promise<T[]> {
    return this.inner.readAll<T>(ns, collection);
  }
  due(now: number, ns?: string): Promise<DueRecord[]> {
    return this.inner.due(now, ns);
  }
  nextDue(ns?: string): Promise<number | null> {
    return this.inner.nextDue(ns);
  }
  reset(ns?: string, keep?: readonly KeptRecords[]): Promise<void> {
    return this.inner.reset(ns, keep);
  }
  namespaces(): Promise<string[]> {
    return this.inner.namespaces();
  }
  flush(): Promise<void> {
    return this.inner.flush();
  }
  close(): Promise<void> {
    return this.inner.close();
  }
}
