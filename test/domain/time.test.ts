import { describe, expect, it } from 'vitest';
import { ControlledClock } from '../../server/domain/clock.js';
import { formatTimestamp, parseTimestamp } from '../../server/domain/time.js';

describe('timestamps', () => {
  it('formats as YYYYMMDDTHHMMSSZ', () => {
    expect(formatTimestamp(Date.UTC(2019, 9, 15, 20, 43, 13))).toBe('20191015T204313Z');
  });

  it('parses both SDK date forms', () => {
    const ms = Date.UTC(2024, 0, 1);
    expect(parseTimestamp('20240101T000000Z')).toBe(ms);
    expect(parseTimestamp('2024-01-01T00:00:00Z')).toBe(ms);
  });

  it.each(['20240231T000000Z', '2024-01-01 00:00:00', '20240101T250000Z', 'yesterday'])('rejects %s', (text) => {
    expect(parseTimestamp(text)).toBeNull();
  });
});

describe('ControlledClock', () => {
  it('advances, sets, freezes and resets', () => {
    let wall = 1_000_000;
    const clock = new ControlledClock(() => wall);
    clock.advance(5000);
    expect(clock.now()).toBe(1_005_000);
    clock.freeze(true);
    wall += 10_000;
    expect(clock.now()).toBe(1_005_000);
    clock.advance(1000);
    expect(clock.now()).toBe(1_006_000);
    clock.freeze(false);
    wall += 1000;
    expect(clock.now()).toBe(1_007_000);
    clock.set(42);
    expect(clock.now()).toBe(42);
    clock.reset();
    expect(clock.now()).toBe(wall);
  });
});
