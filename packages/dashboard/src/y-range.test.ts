import { describe, expect, it } from 'vitest';
import { quantileSelect, quantileSorted, yRange } from './y-range.js';

const range = (values: number[], options = {}) => yRange(Float64Array.from(values), values.length, options);

describe('yRange', () => {
  it('pads the min..max of finite values by a tenth of the span', () => {
    expect(range([1, 3, 2])).toEqual([0.8, 3.2]);
  });

  it('skips NaN, infinities and magnitudes past 1e300 (a diverged run)', () => {
    expect(range([1, Number.NaN, 3, Number.POSITIVE_INFINITY, -Number.MAX_VALUE, 2e300])).toEqual([0.8, 3.2]);
  });

  it('is a finite band when nothing (or one value) is plottable', () => {
    expect(range([])).toEqual([0, 1]);
    expect(range([Number.NaN, Number.POSITIVE_INFINITY])).toEqual([0, 1]);
    expect(range([0])).toEqual([-1, 1]);
    expect(range([5, 5])).toEqual([4.5, 5.5]);
  });

  it('ignores outliers: the 5th..95th percentile (numpy linear interpolation)', () => {
    // 0..100: the 5th percentile is 5, the 95th is 95; padding 9 each side.
    const values = Array.from({ length: 101 }, (_, i) => i);
    values.push(1e150); // the diverged run's last finite loss
    // 102 values: positions (101 * 0.05) = 5.05 -> 5.05, (101 * 0.95) = 95.95 -> 95.95.
    const [lo, hi] = range(values, { ignoreOutliers: true });
    const span = 95.95 - 5.05;
    expect(lo).toBeCloseTo(5.05 - span * 0.1, 9);
    expect(hi).toBeCloseTo(95.95 + span * 0.1, 9);
  });

  it("keeps the values it must include (a line's latest value) inside the range", () => {
    const values = Array.from({ length: 101 }, (_, i) => 100 - i);
    const [lo] = range(values, { ignoreOutliers: true, include: [0] });
    expect(lo).toBeLessThan(0);
  });

  it('on a log axis skips non-positive values and pads in decades (Adam down to 1e-29)', () => {
    const [lo, hi] = range([10, 1e-29, 0, -1, Number.NaN], { log: true });
    // log10 span 30 decades: a tenth would be 3 decades of padding; it is capped at one.
    expect(Math.log10(lo)).toBeCloseTo(-30, 9);
    expect(Math.log10(hi)).toBeCloseTo(2, 9);
    expect(range([], { log: true })).toEqual([1, 10]);
    // Denormals (what 0.01^k becomes before 0) are skipped: their padding would underflow to 0.
    const [tinyLo] = range([1, 1e-310, 1e-300], { log: true });
    expect(tinyLo).toBeGreaterThan(0);
    expect(Math.log10(tinyLo)).toBeCloseTo(-301, 9);
    const [a, b] = range([2], { log: true });
    expect(Math.log10(a)).toBeCloseTo(Math.log10(2) - 0.5, 9);
    expect(Math.log10(b)).toBeCloseTo(Math.log10(2) + 0.5, 9);
  });
});

describe('quantileSorted', () => {
  it('interpolates between neighbours as numpy.quantile does', () => {
    // numpy.quantile([1, 2, 3, 4], 0.25) == 1.75
    expect(quantileSorted([1, 2, 3, 4], 0.25)).toBe(1.75);
    expect(quantileSorted([1, 2, 3, 4], 1)).toBe(4);
    expect(quantileSorted([7], 0.5)).toBe(7);
    expect(quantileSorted([], 0.5)).toBeNaN();
  });
});

describe('quantileSelect', () => {
  it('agrees with sorting then interpolating, on random data with ties', () => {
    let seed = 7;
    const random = () => {
      seed = (seed * 1_664_525 + 1_013_904_223) >>> 0;
      return seed / 2 ** 32;
    };
    for (const n of [1, 2, 3, 10, 101, 1000]) {
      const data = Float64Array.from({ length: n }, () => Math.round(random() * 50) / 7);
      const sorted = Array.from(data).sort((a, b) => a - b);
      for (const q of [0, 0.05, 0.5, 0.95, 1])
        expect(quantileSelect(Float64Array.from(data), n, q)).toBe(quantileSorted(sorted, q));
    }
  });
});
