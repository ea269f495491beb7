import { describe, expect, it } from 'vitest';
import { decimateMinMax } from './decimate-min-max.js';
import { MinMaxIndex } from './min-max-index.js';

/** Oracle: scan the range point by point (first occurrence wins ties). */
function scanExtremes(y: ArrayLike<number>, from: number, to: number): [number, number] {
  let min = -1;
  let max = -1;
  for (let i = from; i < to; i++) {
    if (!Number.isFinite(y[i]!)) continue;
    if (min < 0 || y[i]! < y[min]!) min = i;
    if (max < 0 || y[i]! > y[max]!) max = i;
  }
  return [min, max];
}

function series(n: number, seed: number): Float64Array {
  const y = new Float64Array(n);
  let s = seed;
  for (let i = 0; i < n; i++) {
    s = (s * 1_103_515_245 + 12_345) % 2 ** 31;
    y[i] = Math.round((s / 2 ** 31) * 50); // many ties
    if (s % 97 === 0) y[i] = Number.NaN;
  }
  return y;
}

describe('MinMaxIndex', () => {
  it('finds the same extremes as a full scan for every kind of range, built in pieces', () => {
    const y = series(1000, 7);
    const index = new MinMaxIndex();
    index.update(y, 1);
    index.update(y, 333);
    index.update(y, 1000);
    for (let from = 0; from < 1000; from += 37)
      for (let to = from + 1; to <= 1000; to += 53)
        expect(index.extremes(from, to)).toEqual(scanExtremes(y, from, to));
  });

  it('finds the extremes of every range of a series grown one point at a time', () => {
    const y = series(70, 5);
    const index = new MinMaxIndex();
    for (let n = 1; n <= 70; n++) {
      index.update(y, n);
      for (let from = 0; from < n; from++)
        for (let to = from + 1; to <= n; to++)
          expect(index.extremes(from, to)).toEqual(scanExtremes(y, from, to));
    }
  });

  it('accepts a grown copy of the buffer and a restart from a shorter length', () => {
    const y = series(300, 3);
    const index = new MinMaxIndex();
    index.update(y.slice(0, 100), 100);
    index.update(y, 300);
    expect(index.extremes(0, 300)).toEqual(scanExtremes(y, 0, 300));
    const other = series(50, 11);
    index.update(other, 50);
    expect(index.extremes(0, 50)).toEqual(scanExtremes(other, 0, 50));
  });

  it('decimates to the same column extremes as decimateMinMax', () => {
    const n = 100_000;
    const x = new Float64Array(n).map((_, i) => i * 0.5);
    const y = new Float64Array(n).map((_, i) => Math.sin(i / 300) + (i === 40_000 ? 9 : 0));
    const index = new MinMaxIndex();
    index.update(y, n);
    for (const [xMin, xMax, columns] of [
      [0, (n - 1) * 0.5, 500],
      [1000, 30_000, 777],
      [12_345.25, 12_400, 100],
    ] as const) {
      const fast = index.decimate({ x, xMin, xMax, columns });
      const scan = decimateMinMax({ x, y, xMin, xMax, columns });
      const asSet = (d: typeof fast) => new Set(Array.from(d.x.subarray(0, d.length)));
      // Same extremes in every column: compare the sets of kept points' y extremes per x.
      expect(Math.max(...fast.y.subarray(0, fast.length))).toBe(Math.max(...scan.y.subarray(0, scan.length)));
      expect(Math.min(...fast.y.subarray(0, fast.length))).toBe(Math.min(...scan.y.subarray(0, scan.length)));
      const scanned = asSet(scan);
      const kept = asSet(fast);
      // Column edges may fall one point apart (floor vs binary search): nearly all points agree.
      let common = 0;
      for (const value of kept) if (scanned.has(value)) common++;
      expect(common / scanned.size).toBeGreaterThan(0.9);
      const xs = Array.from(fast.x.subarray(0, fast.length));
      expect(xs).toEqual([...xs].sort((a, b) => a - b));
    }
  });
});
