import { describe, expect, it } from 'vitest';
import { ControlledClock } from '../../server/clock/controlledClock.js';

describe('ControlledClock', () => {
  it('advances, sets, freezes, thaws and resets', () => {
    let wall = 1_000_000;
    const clock = new ControlledClock(() => wall);
    clock.advance(5000);
    expect(clock.now()).toBe(1_005_000);
    clock.freeze();
    wall += 10_000;
    expect(clock.now()).toBe(1_005_000);
    clock.advance(1000);
    expect(clock.now()).toBe(1_006_000);
    clock.thaw();
    wall += 1000;
    expect(clock.now()).toBe(1_007_000);
    clock.set(42);
    expect(clock.now()).toBe(42);
    clock.reset();
    expect(clock.now()).toBe(wall);
  });

  it('stays where it is when frozen twice, and thawing a running clock changes nothing', () => {
    let wall = 1_000;
    const clock = new ControlledClock(() => wall);
    clock.freeze();
    wall += 500;
    clock.freeze();
    expect(clock.now()).toBe(1_000);
    clock.thaw();
    clock.thaw();
    wall += 10;
    expect(clock.now()).toBe(1_010);
    expect(clock.state()).toEqual({ now: 1_010, offsetMs: -500, frozen: false });
  });
});
