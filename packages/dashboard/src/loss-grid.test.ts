import { describe, expect, it } from 'vitest';
import { contourLevels, includePoint, sampleLossGrid } from './loss-grid.js';

describe('sampleLossGrid', () => {
  it('puts the loss at x_i, y_j into values[i + j * nx]', () => {
    const grid = sampleLossGrid((x, y) => 10 * x + y, { bounds: { x: [0, 2], y: [-1, 1] }, nx: 3, ny: 2 });
    // x = 0, 1, 2 and y = -1, 1.
    expect(Array.from(grid.values)).toEqual([-1, 9, 19, 1, 11, 21]);
  });

  it('names bad sizes and empty bounds', () => {
    expect(() => sampleLossGrid(() => 0, { bounds: { x: [0, 1], y: [0, 1] }, nx: 1 })).toThrow(
      /nx and ny must be integers >= 2/,
    );
    expect(() => sampleLossGrid(() => 0, { bounds: { x: [1, 1], y: [0, 1] } })).toThrow(
      /bounds must be non-empty/,
    );
  });
});

describe('contourLevels', () => {
  it('spaces levels geometrically over several decades', () => {
    const levels = contourLevels([1, 10_000], 4);
    expect(levels).toHaveLength(3);
    levels.forEach((l, k) => {
      expect(l).toBeCloseTo(10 ** (k + 1), 9);
    });
  });

  it('spaces levels evenly over a narrow range', () => {
    expect(contourLevels([2, 6], 4)).toEqual([3, 4, 5]);
  });

  it('has no level on a flat surface', () => {
    expect(contourLevels([3, 3, Number.NaN], 10)).toEqual([]);
  });
});

describe('includePoint', () => {
  it('grows to include a point with a margin and keeps bounds that already do', () => {
    const b = includePoint(undefined, 1, 2);
    expect(b.x[0]).toBeLessThan(1);
    expect(b.y[1]).toBeGreaterThan(2);
    expect(includePoint(b, 1, 2)).toBe(b);
    const grown = includePoint(b, 10, 2);
    expect(grown.x[1]).toBeGreaterThan(10);
  });
});
