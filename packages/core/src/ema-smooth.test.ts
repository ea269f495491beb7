import { describe, expect, it } from 'vitest';
import { emaSmooth } from './ema-smooth.js';

describe('emaSmooth (TensorBoard scalar smoothing)', () => {
  it('matches the debiased EMA computed by hand', () => {
    // w = 0.6: last_k = 0.6 last_{k-1} + 0.4 y_k, smoothed = last_k / (1 - 0.6^k)
    // y = 1, 3, 2: last = 0.4, 1.44, 1.664; debias = 0.4, 0.64, 0.784
    const out = emaSmooth([1, 3, 2], 0.6);
    expect(out[0]).toBeCloseTo(1, 14);
    expect(out[1]).toBeCloseTo(1.44 / 0.64, 14);
    expect(out[2]).toBeCloseTo(1.664 / 0.784, 14);
  });

  it('skips non-finite points without advancing the average', () => {
    const out = emaSmooth([1, Number.POSITIVE_INFINITY, 3, Number.NaN], 0.6);
    expect(out[1]).toBe(Number.POSITIVE_INFINITY);
    expect(out[2]).toBeCloseTo(1.44 / 0.64, 14);
    expect(out[3]).toBeNaN();
  });

  it('returns a constant series unchanged and weight 0 as the raw series', () => {
    expect(emaSmooth([0.3, 0.3, 0.3], 0.99)).toEqual([0.3, 0.3, 0.3]);
    expect(emaSmooth([1, 5, 2], 0)).toEqual([1, 5, 2]);
    expect(emaSmooth([], 0.5)).toEqual([]);
  });
});
