import { describe, expect, it } from 'vitest';
import { GRID_SLOTS, gridX } from './grid-x.js';

const series = (xs: number[]) => ({
  x: Float64Array.from(xs),
  y: new Float64Array(xs.length),
  length: xs.length,
});

describe('gridX', () => {
  it('puts GRID_SLOTS evenly spaced positions in each pixel column of the range', () => {
    const { x, before, after } = gridX([series([0, 5, 10])], 0, 10, 2);
    expect(before.length).toBe(0);
    expect(after.length).toBe(0);
    expect(GRID_SLOTS).toBe(4);
    // Column width 5, slots at (s + 0.5) / 4 of it.
    expect(Array.from(x)).toEqual([0.625, 1.875, 3.125, 4.375, 5.625, 6.875, 8.125, 9.375]);
  });

  it('keeps the points outside the range at their own x, sorted and distinct, around the slots', () => {
    const { x, before, after } = gridX(
      [series([-3, 1, 2, 12]), series([-1, -3, 5]), series([4, 11, 12])].map((s) => ({
        ...s,
        x: Float64Array.from(Array.from(s.x).sort((a, b) => a - b)),
      })),
      0,
      10,
      1,
    );
    expect(Array.from(before)).toEqual([-3, -1]);
    expect(Array.from(after)).toEqual([11, 12]);
    expect(Array.from(x)).toEqual([-3, -1, 1.25, 3.75, 6.25, 8.75, 11, 12]);
  });

  it('is strictly increasing whatever the lines hold', () => {
    const { x } = gridX([series([-1e9, 1e-9, 1e9])], 0, 1, 1000);
    for (let i = 1; i < x.length; i++) expect(x[i]!).toBeGreaterThan(x[i - 1]!);
    expect(x.length).toBe(2 + GRID_SLOTS * 1000);
  });
});
