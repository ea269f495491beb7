import { describe, expect, it } from 'vitest';
import { formatDuration, formatStart } from './format-time.js';

describe('formatDuration', () => {
  it('picks units by size', () => {
    expect(formatDuration(850)).toBe('850 ms');
    expect(formatDuration(45_200)).toBe('45 s');
    expect(formatDuration(200_000)).toBe('3 min 20 s');
    expect(formatDuration(7_500_000)).toBe('2 h 05 min');
    expect(formatDuration(Number.NaN)).toBe('—');
  });
});

describe('formatStart', () => {
  it('shows the time of day for today, the date otherwise', () => {
    const now = new Date(2026, 11, 2, 15, 0, 0).getTime();
    expect(formatStart(new Date(2026, 11, 2, 9, 5, 7).getTime(), now)).toBe('09:05:07');
    expect(formatStart(new Date(2026, 10, 30, 23, 59, 1).getTime(), now)).toBe('2026-11-30 23:59:01');
    expect(formatStart(undefined, now)).toBe('—');
  });
});
