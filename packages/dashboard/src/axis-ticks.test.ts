import { describe, expect, it } from 'vitest';
import { formatTick, linearTicks, logTicks } from './axis-ticks.js';

describe('linearTicks', () => {
  it('picks 1-2-5 steps', () => {
    expect(linearTicks(0, 1)).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
    expect(linearTicks(-3, 7)).toEqual([-2, 0, 2, 4, 6]);
    expect(linearTicks(0.1, 0.35)).toEqual([0.1, 0.15, 0.2, 0.25, 0.3, 0.35]);
  });

  it('has labels for huge and tiny spans', () => {
    expect(linearTicks(0, 1e150)).toEqual([0, 2e149, 4e149, 6e149, 8e149, 1e150]);
    expect(linearTicks(1e-29, 3e-29).length).toBeGreaterThanOrEqual(3);
  });

  it('degrades to the single value for an empty or non-finite range', () => {
    expect(linearTicks(1, 1)).toEqual([1]);
    expect(linearTicks(Number.NaN, 1)).toEqual([]);
  });
});

describe('logTicks', () => {
  it('thins decades to about six labels', () => {
    // 37 decades: every 7th, on multiples of 7 (so 1 = 1e0 is one of them).
    expect(logTicks(1e-32, 1e4)).toEqual([1e-28, 1e-21, 1e-14, 1e-7, 1]);
    expect(logTicks(0.001, 10)).toEqual([0.001, 0.01, 0.1, 1, 10]);
  });

  it('labels 1-2-5 multiples inside a narrow range', () => {
    expect(logTicks(0.15, 0.9)).toEqual([0.2, 0.5]);
    expect(logTicks(1.5, 1.9)).toEqual(linearTicks(1.5, 1.9, 4));
  });
});

describe('formatTick', () => {
  it('uses exponent form outside 1e-3..1e6', () => {
    expect(formatTick(1e-29)).toBe('1e-29');
    expect(formatTick(2.5e149)).toBe('2.5e149');
    expect(formatTick(0.25)).toBe('0.25');
    expect(formatTick(0)).toBe('0');
  });
});
