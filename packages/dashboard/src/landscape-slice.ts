import type { LossGrid } from './loss-grid.js';

/**
 * A loss surface as `@downhill/models` computes it (`lossGrid`, `randomDirectionSlice`): evenly
 * spaced axis values and `values[j * xs.length + i]` at (xs[i], ys[j]). For a slice through a
 * larger model, `center` and `directions` say which plane: point = center + x d1 + y d2.
 */
export interface LandscapeSlice {
  readonly xs: ArrayLike<number>;
  readonly ys: ArrayLike<number>;
  readonly values: ArrayLike<number>;
  readonly center?: ArrayLike<number>;
  readonly directions?: readonly [ArrayLike<number>, ArrayLike<number>];
}

/** The slice as the trajectory's `grid`; names what is wrong with a malformed one. */
export function gridFromSlice(slice: LandscapeSlice): LossGrid {
  const nx = slice.xs.length;
  const ny = slice.ys.length;
  if (nx < 2 || ny < 2)
    throw new RangeError(`gridFromSlice: xs and ys need >= 2 values, got ${nx} and ${ny}`);
  if (slice.values.length !== nx * ny)
    throw new RangeError(
      `gridFromSlice: values has ${slice.values.length} entries, xs x ys needs ${nx * ny}`,
    );
  return {
    x: [slice.xs[0]!, slice.xs[nx - 1]!],
    y: [slice.ys[0]!, slice.ys[ny - 1]!],
    nx,
    ny,
    values: slice.values,
  };
}

/** Whether a run's `config.extra.landscape` (plain JSON) is a usable slice. */
export function isLandscapeSlice(value: unknown): value is LandscapeSlice {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  const numbers = (a: unknown) => Array.isArray(a) && a.every((n) => typeof n === 'number');
  return (
    numbers(v.xs) &&
    numbers(v.ys) &&
    numbers(v.values) &&
    (v.center === undefined || numbers(v.center)) &&
    (v.directions === undefined ||
      (Array.isArray(v.directions) && v.directions.length === 2 && v.directions.every(numbers)))
  );
}

/**
 * Coordinates (x, y) of `params` in the plane `center + x d1 + y d2`: the least-squares solution
 * of the 2x2 normal equations [d1.d1 d1.d2; d1.d2 d2.d2] [x; y] = [d1.r; d2.r], r = params - center
 * (exact when the point lies in the plane; the orthogonal projection otherwise).
 */
export function projectOnPlane(
  params: ArrayLike<number>,
  center: ArrayLike<number>,
  directions: readonly [ArrayLike<number>, ArrayLike<number>],
): [number, number] {
  const [d1, d2] = directions;
  if (params.length !== center.length || d1.length !== center.length || d2.length !== center.length)
    throw new RangeError(
      `projectOnPlane: params (${params.length}), center (${center.length}) and directions (${d1.length}, ${d2.length}) must have one length`,
    );
  let a = 0;
  let b = 0;
  let c = 0;
  let r1 = 0;
  let r2 = 0;
  for (let i = 0; i < center.length; i++) {
    const r = params[i]! - center[i]!;
    a += d1[i]! * d1[i]!;
    b += d1[i]! * d2[i]!;
    c += d2[i]! * d2[i]!;
    r1 += d1[i]! * r;
    r2 += d2[i]! * r;
  }
  const det = a * c - b * b;
  if (!(Math.abs(det) > 0)) throw new RangeError('projectOnPlane: the two directions are parallel or zero');
  return [(c * r1 - b * r2) / det, (a * r2 - b * r1) / det];
}
