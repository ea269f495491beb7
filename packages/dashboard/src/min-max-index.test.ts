import { describe, expect, it } from 'vitest';
import { decimateMinMax } from './decimate-min-max.js';
import { columnEnds, MinMaxIndex } from './min-max-index.js';

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

describe('MinMaxIndex.decimate, columns of a few points', () => {
  it('keeps first, min, max and last of each column as a brute-force scan does (ties: the earlier)', () => {
    const n = 2_000;
    const x = new Float64Array(n).map((_, i) => i);
    // Repeated values (ties) and NaN gaps, about 10 points a column.
    const y = new Float64Array(n).map((_, i) =>
      i % 37 === 0 ? Number.NaN : Math.round(Math.sin(i * 1.7) * 3),
    );
    const index = new MinMaxIndex();
    index.update(y, n);
    const columns = 200;
    const xMin = 0;
    const xMax = n - 1;
    const got = index.decimate({ x, xMin, xMax, columns });
    // Brute force: a column holds the points with x below its right edge, the last one all the rest.
    const expected: number[] = [];
    let start = 0;
    for (let c = 0; c < columns; c++) {
      const edge = xMin + ((xMax - xMin) * (c + 1)) / columns;
      let end = start;
      while (end < n && (c === columns - 1 || x[end]! < edge)) end++;
      const finite: number[] = [];
      for (let i = start; i < end; i++) if (Number.isFinite(y[i]!)) finite.push(i);
      if (finite.length > 0) {
        let min = finite[0]!;
        let max = finite[0]!;
        for (const i of finite) {
          if (y[i]! < y[min]!) min = i;
          if (y[i]! > y[max]!) max = i;
        }
        const kept = [finite[0]!, Math.min(min, max), Math.max(min, max), finite[finite.length - 1]!];
        for (const i of kept)
          if (expected.length === 0 || i > expected[expected.length - 1]!) expected.push(i);
      }
      start = end;
    }
    expect(Array.from(got.x.subarray(0, got.length))).toEqual(expected);
    expect(Array.from(got.y.subarray(0, got.length))).toEqual(expected.map((i) => y[i]!));
  });

  it('gives the same points with the column ends found once and shared', () => {
    const n = 5_000;
    const x = new Float64Array(n).map((_, i) => i * 0.25);
    const y = new Float64Array(n).map((_, i) => Math.cos(i / 7) + (i % 11) / 10);
    const index = new MinMaxIndex();
    index.update(y, n);
    const range = { xMin: 100.1, xMax: 900.7, columns: 333 };
    const alone = index.decimate({ x, ...range });
    const copy = { x: Float64Array.from(alone.x.subarray(0, alone.length)), length: alone.length };
    const ends = columnEnds({ x, length: n, ...range });
    // Each end is the first point at or past the column's right edge (the last: past xMax).
    expect(ends[0]).toBe(Math.ceil((100.1 + (900.7 - 100.1) / 333) / 0.25));
    expect(ends[332]).toBe(Math.floor(900.7 / 0.25) + 1);
    const shared = index.decimate({ x, ...range, ends });
    expect(shared.length).toBe(copy.length);
    expect(Array.from(shared.x.subarray(0, shared.length))).toEqual(Array.from(copy.x));
  });
});
