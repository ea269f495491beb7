import type { Objective } from '@downhill/core';

/** One axis of a grid: `steps` evenly spaced values from `min` to `max` inclusive. */
export interface GridAxis {
  readonly min: number;
  readonly max: number;
  readonly steps: number;
}

export interface LossGridOptions<TBatch> {
  readonly x: GridAxis;
  readonly y: GridAxis;
  /** The batch every point is evaluated on (omit for test functions). */
  readonly batch?: TBatch;
  /**
   * For objectives with more than 2 parameters: the point the plane goes through and which two
   * coordinates vary (default [0, 1]); the others stay at `center`.
   */
  readonly center?: ArrayLike<number>;
  readonly axes?: readonly [number, number];
}

/** Loss values over a grid, row-major by y: `values[j * xs.length + i]` is the loss at (xs[i], ys[j]). */
export interface LossGrid {
  readonly xs: Float64Array;
  readonly ys: Float64Array;
  readonly values: Float64Array;
  readonly min: number;
  readonly max: number;
}

function axisValues(name: string, axis: GridAxis): Float64Array {
  if (!Number.isInteger(axis.steps) || axis.steps < 2) {
    throw new RangeError(`lossGrid: ${name}.steps must be an integer >= 2, got ${axis.steps}`);
  }
  if (!(axis.max > axis.min) || !Number.isFinite(axis.min) || !Number.isFinite(axis.max)) {
    throw new RangeError(`lossGrid: ${name} needs finite min < max, got [${axis.min}, ${axis.max}]`);
  }
  const out = new Float64Array(axis.steps);
  for (let i = 0; i < axis.steps; i++) out[i] = axis.min + ((axis.max - axis.min) * i) / (axis.steps - 1);
  return out;
}

/**
 * Evaluates the loss on a 2-D grid, for contour plots of 2-parameter problems (or of a plane
 * through `center` along two coordinate axes). Non-finite losses are stored as they are and
 * skipped by `min` / `max`.
 */
export function lossGrid<TBatch>(objective: Objective<TBatch>, options: LossGridOptions<TBatch>): LossGrid {
  const xs = axisValues('x', options.x);
  const ys = axisValues('y', options.y);
  const [ax, ay] = options.axes ?? [0, 1];
  const dimension = objective.dimension;
  if (dimension !== 2 && options.center === undefined) {
    throw new RangeError(
      `lossGrid: the objective has ${dimension} parameters; give center (and axes) to cut a plane`,
    );
  }
  if (!(ax >= 0 && ax < dimension && ay >= 0 && ay < dimension && ax !== ay)) {
    throw new RangeError(
      `lossGrid: axes must be two different coordinates in [0, ${dimension - 1}], got [${ax}, ${ay}]`,
    );
  }
  const params = new Float64Array(dimension);
  if (options.center !== undefined) {
    if (options.center.length !== dimension) {
      throw new RangeError(
        `lossGrid: center has length ${options.center.length}, the objective has ${dimension}`,
      );
    }
    for (let i = 0; i < dimension; i++) params[i] = options.center[i]!;
  }
  const values = new Float64Array(xs.length * ys.length);
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (let j = 0; j < ys.length; j++) {
    params[ay] = ys[j]!;
    for (let i = 0; i < xs.length; i++) {
      params[ax] = xs[i]!;
      const v = objective.loss(params, options.batch as TBatch);
      values[j * xs.length + i] = v;
      if (Number.isFinite(v)) {
        if (v < min) min = v;
        if (v > max) max = v;
      }
    }
  }
  return { xs, ys, values, min, max };
}
