import { describe, expect, it } from 'vitest';
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
