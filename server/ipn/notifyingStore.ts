import type { Collection, DueRecord, Put, Store } from '../store/store.js';
import type { IpnService } from './ipnService.js';

const watched: ReadonlySet<Collection> = new Set<Collection>(['chargePermissions', 'charges', 'refunds', 'disputes']);

/**
 * A Store that tells `ipn` about every commit: it reads each written record's old value before
 * handing the batch to `inner`, then calls `ipn.onCommit` with the commit's durability promise, so
 * deliveries start once the change is durable. Every other method passes straight through.
 */
export class NotifyingStore implements Store {
  constructor(
    readonly inner: Store,
    private readonly ipn: Pick<IpnService, 'onCommit'>,
  ) {}

  commit(ns: string, puts: readonly Put[]): Promise<void> {
    const old = new Map<string, unknown>();
    for (const p of puts) {
      const key = `${p.collection}\u0000${p.id}`;
      if (watched.has(p.collection) && !old.has(key)) old.set(key, this.inner.get(ns, p.collection, p.id));
    }
    const committed = this.inner.commit(ns, puts);
    if (old.size > 0) {
      // Records outside the batch are unchanged by it, so their current value is their old value.
      const before = (collection: Collection, id: string) => {
        const key = `${collection}\u0000${id}`;
        return old.has(key) ? old.get(key) : this.inner.get(ns, collection, id);
      };
      this.ipn.onCommit(ns, puts, before, committed);
    }
    return committed;
  }

  open(): Promise<void> {
    return this.inner.open();
  }
  get<T>(ns: string, collection: Collection, id: string): T | undefined {
    return this.inner.get<T>(ns, collection, id);
  }
  list<T>(ns: string, collection: Collection): T[] {
    return this.inner.list<T>(ns, collection);
  }
  due(now: number): DueRecord[] {
    return this.inner.due(now);
  }
  nextDue(): number | null {
    return this.inner.nextDue();
  }
  reset(ns?: string): Promise<void> {
    return this.inner.reset(ns);
  }
  namespaces(): string[] {
    return this.inner.namespaces();
  }
  flush(): Promise<void> {
    return this.inner.flush();
  }
  close(): Promise<void> {
    return this.inner.close();
  }
}
