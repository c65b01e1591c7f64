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
 * A clock the control API can move: the wall time (injected, so tests can drive it) plus an
 * offset, or frozen at an instant. The domain never reads it: operations get its "now".
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

  /** Freezes at the current instant (a frozen clock stays where it is). */
  freeze(): void {
    if (this.frozenAt === null) this.frozenAt = this.now();
  }

  /** Thaws a frozen clock, so time flows again from where it stands. */
  thaw(): void {
    if (this.frozenAt === null) return;
    this.offsetMs = this.frozenAt - this.wallTime();
    this.frozenAt = null;
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

/** The system's wall time: what a ControlledClock runs on outside tests. */
export const systemTime = (): number => Date.now();
