import type { ClockBook } from './clock/clockBook.js';
import { dueAtOf, settleRecord } from './domain/settleRecord.js';
import type { DueRecord, Store } from './store/store.js';

/**
 * Applies time-driven transitions (expiry, pending settlements) when the server clock passes
 * them, whether or not a client polls: on a timer, after the clock moves, and before each call.
 * Each record settles in its own store transaction, so a record changed meanwhile (by a request,
 * or by another instance on a shared store) is judged on its current value.
 */
export class Settler {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> = Promise.resolve();

  constructor(
    private readonly store: Store,
    private readonly clocks: ClockBook,
    private readonly publicUrl: string,
    /** On a store shared by several processes: only the lease holder runs the background pass, after `beforePass` (re-reading the clocks). */
    private readonly background: { lease?: { readonly held: boolean }; beforePass?: () => Promise<void> } = {},
  ) {}

  /** Settles everything due, in every namespace. */
  settleAll(): Promise<void> {
    return this.settle(undefined);
  }

  async settleNamespace(ns: string): Promise<void> {
    // Fast path: nothing due for this merchant (the common case) costs one lookup, whatever other
    // merchants have scheduled and however far their clocks are from this one.
    const next = await this.store.nextDue(ns);
    if (next === null || next > this.clocks.for(ns).now()) return;
    return this.settle(ns);
  }

  private settle(ns: string | undefined): Promise<void> {
    const run = this.#settle(ns);
    this.running = run.catch(() => undefined);
    return run;
  }

  async #settle(ns: string | undefined): Promise<void> {
    // Each merchant runs on its own clock; nothing is due for anyone after the latest of them, and
    // for one merchant nothing after its own.
    const until = ns === undefined ? this.clocks.latestNow() : this.clocks.for(ns).now();
    // A record may need several steps (settled, then expired); each pass re-reads what is due.
    for (let pass = 0; pass < 10; pass++) {
      const due = (await this.store.due(until, ns)).filter((d) => settles(d) && d.dueAt <= this.clocks.for(d.ns).now());
      if (due.length === 0) break;
      await Promise.all(due.map((d) => this.#settleOne(d)));
    }
  }

  #settleOne(d: DueRecord): Promise<void> {
    return this.store.transact(d.ns, (view) => {
      const now = this.clocks.for(d.ns).now();
      const writes = settleRecord(view, d, { now, publicUrl: this.publicUrl });
      if (writes.length > 0) return { puts: writes, result: undefined };
      // Nothing to do although listed as due: either rescheduled meanwhile (leave it), or its
      // schedule is stale (clear it, so it is not retried forever).
      const dueAt = dueAtOf(view, d.collection, d.id);
      const current = view.get(d.collection, d.id);
      if (current === undefined || (dueAt !== null && dueAt > now)) return { puts: [], result: undefined };
      return { puts: [{ collection: d.collection, id: d.id, value: current, dueAt: null }], result: undefined };
    });
  }

  /** Starts the background timer (unref'd, so it never keeps the process alive). */
  start(intervalMs = 1000): void {
    if (this.timer) return;
    this.timer = setInterval(() => {
      if (this.background.lease && !this.background.lease.held) return;
      void (async () => {
        const next = await this.store.nextDue();
        if (next === null) return; // nothing scheduled: no need to re-read any clock either
        await this.background.beforePass?.();
        if (next <= this.clocks.latestNow()) await this.settleAll();
      })().catch(() => undefined);
    }, intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
  }
}

/** IPN deliveries are due on real time and delivered by the IpnService, not settled. */
function settles(d: DueRecord): boolean {
  return d.collection !== 'ipnDeliveries';
}
