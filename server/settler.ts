import type { ClockBook } from './domain/clock.js';
import { settleRecord } from './domain/settle.js';
import { stateView } from './merchantState.js';
import type { Store } from './store/store.js';

/**
 * Applies time-driven transitions (expiry, pending settlements) when the server clock passes
 * them, whether or not a client polls: on a timer, after the clock moves, and before each call.
 */
export class Settler {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> = Promise.resolve();

  constructor(
    private readonly store: Store,
    private readonly clocks: ClockBook,
    private readonly publicUrl: string,
  ) {}

  /** Settles everything due, in every namespace. */
  settleAll(): Promise<void> {
    return this.settle(undefined);
  }

  settleNamespace(ns: string): Promise<void> {
    // Fast path: nothing due anywhere (the common case) costs one comparison.
    const next = this.store.nextDue();
    if (next === null || next > this.clocks.for(ns).now()) return Promise.resolve();
    return this.settle(ns);
  }

  private settle(ns: string | undefined): Promise<void> {
    const commits: Promise<void>[] = [];
    // Each merchant runs on its own clock; nothing is due for anyone after the latest of them.
    const latest = this.clocks.latestNow();
    // A record may need several steps (settled, then expired); each pass re-reads what is due.
    for (let pass = 0; pass < 10; pass++) {
      const due = this.store.due(latest).filter((d) => (ns === undefined || d.ns === ns) && d.dueAt <= this.clocks.for(d.ns).now());
      if (due.length === 0) break;
      for (const d of due) {
        const view = stateView({ store: this.store }, d.ns);
        const writes = settleRecord(view, d.collection, d.id, this.clocks.for(d.ns).now(), this.publicUrl);
        // Nothing to do although due: the record's schedule was stale; clear it so it is not retried.
        commits.push(this.store.commit(d.ns, writes.length ? writes : [{ collection: d.collection, id: d.id, value: this.store.get(d.ns, d.collection, d.id) ?? null, dueAt: null }]));
      }
    }
    this.running = Promise.all(commits).then(() => undefined);
    return this.running;
  }

  /** Starts the background timer (unref'd, so it never keeps the process alive). */
  start(intervalMs = 1000): void {
    if (this.timer) return;
    this.timer = setInterval(() => {
      const next = this.store.nextDue();
      if (next !== null && next <= this.clocks.latestNow()) void this.settleAll().catch(() => undefined);
    }, intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
  }
}
