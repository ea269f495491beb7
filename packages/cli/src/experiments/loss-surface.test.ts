import { rosenbrock } from '@downhill/models';
import { describe, expect, it } from 'vitest';
import { lossSurface } from './loss-surface.js';

describe('lossSurface', () => {
  it('samples the surface row by row in y, as the dashboard reads it', () => {
    const surface = lossSurface(rosenbrock(), { x: [-2, 2], y: [-1, 3], steps: 5 });
    expect(surface.xs).toEqual([-2, -1, 0, 1, 2]);
    expect(surface.ys).toEqual([-1, 0, 1, 2, 3]);
    expect(surface.values).toHaveLength(25);
    // f = (1 - x)^2 + 100 (y - x^2)^2 by hand at a few grid points.
    const at = (i: number, j: number) => surface.values[j * 5 + i];
    expect(at(3, 2)).toBe(0); // (1, 1)
    expect(at(0, 0)).toBe(9 + 100 * 25); // (-2, -1)
    expect(at(2, 4)).toBe(1 + 100 * 9); // (0, 3)
    expect(at(1, 1)).toBe(4 + 100); // (-1, 0)
  });
});
