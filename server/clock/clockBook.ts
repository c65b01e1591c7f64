import { ControlledClock, type Clock } from './controlledClock.js';

/**
 * The server clock plus one clock per merchant that has moved its own: each merchant's clock
 * follows the global one with its own offset (or freeze), so parallel CI jobs sharing one server
 * can each cross a 24-hour boundary without moving anyone else's time.
 */
export class ClockBook {
  private readonly merchants = new Map<string, ControlledClock>();

  constructor(readonly global: ControlledClock) {}

  /** The clock a merchant's requests run on. */
  for(ns: string): Clock {
    return this.merchants.get(ns) ?? this.global;
  }

  /**
   * The clock the control API shows: the merchant's own, or, for a merchant that has not moved its
   * own, a fresh one following the global clock, as `control` would make, but not kept: reading a
   * clock must not leave an entry behind for every name anyone asks about.
   */
  view(ns?: string): ControlledClock {
    if (ns === undefined) return this.global;
    return this.merchants.get(ns) ?? new ControlledClock(() => this.global.now());
  }

  /** The clock the control API moves: the merchant's own (created on first use), or the global one. */
  control(ns?: string): ControlledClock {
    if (ns === undefined) return this.global;
    let clock = this.merchants.get(ns);
    if (!clock) this.merchants.set(ns, (clock = new ControlledClock(() => this.global.now())));
    return clock;
  }

  /** The latest "now" of any clock: nothing is due for anyone later than this. */
  latestNow(): number {
    let latest = this.global.now();
    for (const clock of this.merchants.values()) latest = Math.max(latest, clock.now());
    return latest;
  }

  /** Whether every clock (the server's and each merchant's own) reads a time from `earliest` to `latest`. */
  allWithin(earliest: number, latest: number): boolean {
    const within = (t: number) => Number.isFinite(t) && t >= earliest && t <= latest;
    if (!within(this.global.now())) return false;
    for (const clock of this.merchants.values()) if (!within(clock.now())) return false;
    return true;
  }

  /** Drops a merchant's own clock, or resets the global one and drops every merchant's. */
  reset(ns?: string): void {
    if (ns !== undefined) {
      this.merchants.delete(ns);
      return;
    }
    this.global.reset();
    this.merchants.clear();
  }
}
