import { describe, expect, it } from 'vitest';
import { addDays, dateIn, formatTime, zonedToUnix } from './time';

// 2024-03-01 00:00:00 UTC is 08:00 in Beijing.
const MARCH_FIRST_UTC = 1709251200;

describe('formatTime', () => {
  it('shows Beijing time to the second', () => {
    expect(formatTime(MARCH_FIRST_UTC + 59, 'Asia/Shanghai')).toBe('2024-03-01 08:00:59');
  });

  it('rolls the date past midnight in the zone', () => {
    expect(formatTime(MARCH_FIRST_UTC + 16 * 3600, 'Asia/Shanghai')).toBe('2024-03-02 00:00:00');
  });
});

describe('dateIn', () => {
  it('uses the zone, not UTC, for the calendar day', () => {
    expect(dateIn(MARCH_FIRST_UTC - 3600, 'Asia/Shanghai')).toBe('2024-03-01');
    expect(dateIn(MARCH_FIRST_UTC - 3600, 'UTC')).toBe('2024-02-29');
  });
});

describe('addDays', () => {
  it('crosses a leap day', () => {
    expect(addDays('2024-03-01', -1)).toBe('2024-02-29');
  });

  it('crosses a year', () => {
    expect(addDays('2024-12-31', 1)).toBe('2025-01-01');
  });
});

describe('zonedToUnix', () => {
  it('reads Beijing wall-clock time', () => {
    expect(zonedToUnix('2024-03-01T08:00', 'Asia/Shanghai')).toBe(MARCH_FIRST_UTC);
  });

  it('keeps seconds', () => {
    expect(zonedToUnix('2024-03-01T08:00:30', 'Asia/Shanghai')).toBe(MARCH_FIRST_UTC + 30);
  });

  it('handles a zone with daylight saving', () => {
    // 2024-07-01 12:00 in New York is EDT, UTC-4.
    expect(zonedToUnix('2024-07-01T12:00', 'America/New_York')).toBe(1719849600);
  });

  it('rejects malformed text', () => {
    expect(zonedToUnix('2024-07-01 12:00', 'Asia/Shanghai')).toBeNull();
  });
});
