import { describe, expect, it } from 'vitest';
import { decimateMinMax } from './decimate-min-max.js';

/** Oracle: bucket every point by brute force and take the extremes of each pixel column. */
function columnExtremes(x: number[], y: number[], xMin: number, xMax: number, columns: number) {
  const result = new Map<number, { min: number; max: number }>();
  x.forEach((xi, i) => {
    if (xi < xMin || xi > xMax) return;
    const c = Math.min(columns - 1, Math.floor(((xi - xMin) / (xMax - xMin)) * columns));
    const entry = result.get(c) ?? { min: Number.POSITIVE_INFINITY, max: Number.NEGATIVE_INFINITY };
    entry.min = Math.min(entry.min, y[i]!);
    entry.max = Math.max(entry.max, y[i]!);
    result.set(c, entry);
  });
  return result;
}

describe('decimateMinMax', () => {
  it('keeps every column extreme, including a single-sample spike', () => {
    const n = 100_000;
    const x = Array.from({ length: n }, (_, i) => i);
    const y = x.map((i) => Math.sin(i / 500) + (i === 54_321 ? 1000 : 0) - (i === 777 ? 50 : 0));
    const d = decimateMinMax({ x, y, xMin: 0, xMax: n - 1, columns: 300 });
    expect(d.length).toBeLessThanOrEqual(4 * 300);
    const got = columnExtremes([...d.x.subarray(0, d.length)], [...d.y.subarray(0, d.length)], 0, n - 1, 300);
    const want = columnExtremes(x, y, 0, n - 1, 300);
    expect(got).toEqual(want);
    expect(Math.max(...d.y.subarray(0, d.length))).toBe(y[54_321]);
    expect(Math.min(...d.y.subarray(0, d.length))).toBe(y[777]);
  });

  it('returns points in x order and keeps first and last of the range', () => {
    const x = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];
    const y = [5, 1, 9, 3, 3, 3, 7, 0, 2, 4];
    const d = decimateMinMax({ x, y, xMin: 0, xMax: 9, columns: 2 });
    const xs = [...d.x.subarray(0, d.length)];
    expect(xs).toEqual([...xs].sort((a, b) => a - b));
    expect(xs[0]).toBe(0);
    expect(xs.at(-1)).toBe(9);
    // Column 0 holds x 0..4: first 0, min at 1, max at 2, last 4. Column 1 holds 5..9.
    expect(xs).toEqual([0, 1, 2, 4, 5, 7, 6, 9].sort((a, b) => a - b));
  });

  it('keeps one neighbour outside the visible range so the line reaches both edges', () => {
    const x = [0, 10, 20, 30, 40];
    const y = [1, 2, 3, 4, 5];
    const d = decimateMinMax({ x, y, xMin: 15, xMax: 25, columns: 10 });
    expect([...d.x.subarray(0, d.length)]).toEqual([10, 20, 30]);
  });

  it('skips non-finite values and returns short series unchanged', () => {
    const d = decimateMinMax({ x: [0, 1, 2], y: [1, Number.NaN, 3], xMin: 0, xMax: 2, columns: 100 });
    expect([...d.y.subarray(0, d.length)]).toEqual([1, 3]);
  });

  it('reads only the first `length` points of a growable buffer', () => {
    const x = new Float64Array([0, 1, 2, 0, 0]);
    const y = new Float64Array([3, 4, 5, 0, 0]);
    const d = decimateMinMax({ x, y, length: 3, xMin: 0, xMax: 2, columns: 100 });
    expect([...d.y.subarray(0, d.length)]).toEqual([3, 4, 5]);
  });

  it('names the bad argument', () => {
    expect(() => decimateMinMax({ x: [], y: [], xMin: 0, xMax: 1, columns: 0 })).toThrow(
      /columns must be >= 1/,
    );
    expect(() => decimateMinMax({ x: [], y: [], xMin: 2, xMax: 1, columns: 5 })).toThrow(/xMin <= xMax/);
  });
});
