import type { Collection, DueRecord, Put, Store, TransactionWork } from '../store/store.js';
import { IPN_SETTINGS_ID } from './ipnConfig.js';
import type { CausedNotifications, IpnService } from './ipnService.js';
import { notificationsFor } from './notifications.js';

const watched: ReadonlySet<Collection> = new Set<Collection>(['chargePermissions', 'charges', 'refunds', 'disputes']);

/**
 * A Store that tells `ipn` about every committed transaction: inside the transaction (so from the
 * same consistent view the writes were decided on) it works out which notifications the puts
 * cause and reads the merchant's IPN settings; once the puts are durable it hands both to
 * `ipn.enqueue`. Every other method passes straight through.
 */
export class NotifyingStore implements Store {
  constructor(
    readonly inner: Store,
    private readonly ipn: Pick<IpnService, 'enqueue'>,
  ) {}

  async transact<R>(ns: string, work: TransactionWork<R>): Promise<R> {
    let caused: CausedNotifications | null = null;
    const result = await this.inner.transact(ns, (view) => {
      const outcome = work(view);
      caused = null; // only the run that commits counts
      if (outcome.puts.some((p: Put) => watched.has(p.collection))) {
        const notifications = notificationsFor(ns, { puts: outcome.puts, before: (collection, id) => view.get(collection, id) });
        if (notifications.length > 0) caused = { notifications, settings: view.get('settings', IPN_SETTINGS_ID) };
      }
      return outcome;
    });
    const done = caused as CausedNotifications | null;
    if (done) this.ipn.enqueue(ns, done);
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
  due(now: number): Promise<DueRecord[]> {
    return this.inner.due(now);
  }
  nextDue(): Promise<number | null> {
    return this.inner.nextDue();
  }
  reset(ns?: string): Promise<void> {
    return this.inner.reset(ns);
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
