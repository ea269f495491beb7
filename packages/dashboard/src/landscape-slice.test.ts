import { describe, expect, it } from 'vitest';
import { gridFromSlice, isLandscapeSlice, projectOnPlane } from './landscape-slice.js';

describe('projectOnPlane', () => {
  it('recovers the coordinates of a point in the plane, for non-orthogonal directions', () => {
    const center = [1, 2, 3];
    const d1 = [1, 0, 1];
    const d2 = [1, 1, 0];
    const point = center.map((c, i) => c + 0.5 * d1[i]! - 2 * d2[i]!);
    const [x, y] = projectOnPlane(point, center, [d1, d2]);
    expect(x).toBeCloseTo(0.5, 12);
    expect(y).toBeCloseTo(-2, 12);
  });

  it('drops the component off the plane (hand-computed orthogonal case)', () => {
    expect(
      projectOnPlane(
        [3, 4, 7],
        [0, 0, 0],
        [
          [1, 0, 0],
          [0, 2, 0],
        ],
      ),
    ).toEqual([3, 2]);
  });

  it('names parallel directions and mismatched lengths', () => {
    expect(() =>
      projectOnPlane(
        [1, 1],
        [0, 0],
        [
          [1, 1],
          [2, 2],
        ],
      ),
    ).toThrow(/parallel or zero/);
    expect(() =>
      projectOnPlane(
        [1],
        [0, 0],
        [
          [1, 0],
          [0, 1],
        ],
      ),
    ).toThrow(/must have one length/);
  });
});

describe('gridFromSlice', () => {
  it('takes the axes ends and the row-major values', () => {
    const grid = gridFromSlice({ xs: [-1, 0, 1], ys: [2, 4], values: [1, 2, 3, 4, 5, 6] });
    expect(grid).toMatchObject({ x: [-1, 1], y: [2, 4], nx: 3, ny: 2 });
    expect(() => gridFromSlice({ xs: [0, 1], ys: [0, 1], values: [1] })).toThrow(
      /values has 1 entries, xs x ys needs 4/,
    );
  });

  it('recognises a slice in plain JSON', () => {
    expect(
      isLandscapeSlice({
        xs: [0, 1],
        ys: [0, 1],
        values: [1, 2, 3, 4],
        center: [0, 0, 0],
        directions: [
          [1, 0, 0],
          [0, 1, 0],
        ],
      }),
    ).toBe(true);
    expect(isLandscapeSlice({ xs: [0, 1], ys: 'no', values: [] })).toBe(false);
  });
});
