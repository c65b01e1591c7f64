/** The one source of "now" for the emulator: real time plus an offset, or frozen at an instant. */
export interface Clock {
  /** Milliseconds since the epoch, as the emulator sees them. */
  now(): number;
}

/** State of a controllable clock, as shown by the control API. */
export interface ClockState {
  now: number;
  offsetMs: number;
  frozen: boolean;
}

/** What a restart needs to put a clock back: its offset, or the instant it is frozen at. */
export interface ClockSetting {
  offsetMs: number;
  frozenAt: number | null;
}

/**
 * A clock the control API can move. The wall-time source is injected so the domain never reads
 * the system time itself.
 */
export class ControlledClock implements Clock {
  private offsetMs = 0;
  private frozenAt: number | null = null;

  constructor(private readonly wallTime: () => number) {}

  now(): number {
    return this.frozenAt ?? this.wallTime() + this.offsetMs;
  }

  state(): ClockState {
    return { now: this.now(), offsetMs: this.offsetMs, frozen: this.frozenAt !== null };
  }

  /** Moves the clock forward (or back, with a negative value). */
  advance(ms: number): void {
    if (this.frozenAt !== null) this.frozenAt += ms;
    else this.offsetMs += ms;
  }

  /** Jumps to an instant; a frozen clock stays frozen there. */
  set(instant: number): void {
    if (this.frozenAt !== null) this.frozenAt = instant;
    else this.offsetMs = instant - this.wallTime();
  }

  /** Freezes at the current instant, or thaws so time flows again from where it stands. */
  freeze(frozen: boolean): void {
    if (frozen && this.frozenAt === null) this.frozenAt = this.now();
    if (!frozen && this.frozenAt !== null) {
      this.offsetMs = this.frozenAt - this.wallTime();
      this.frozenAt = null;
    }
  }

  reset(): void {
    this.offsetMs = 0;
    this.frozenAt = null;
  }

  /** Its offset (to its base time) or frozen instant, for saving. */
  setting(): ClockSetting {
    return { offsetMs: this.offsetMs, frozenAt: this.frozenAt };
  }

  /** Puts back a saved setting; ignores values that are not finite numbers. */
  restore(setting: ClockSetting): void {
    if (Number.isFinite(setting.offsetMs)) this.offsetMs = setting.offsetMs;
    this.frozenAt = setting.frozenAt !== null && Number.isFinite(setting.frozenAt) ? setting.frozenAt : null;
  }
}

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
