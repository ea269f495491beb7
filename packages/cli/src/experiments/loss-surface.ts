import type { Objective } from '@downhill/core';
import { lossGrid } from '@downhill/models';

/**
 * A 2-parameter loss surface as plain data for a run's start config (`config.extra.landscape`),
 * the shape the dashboard draws under the trajectories: evenly spaced axis values `xs` and `ys`
 * and `values[j * xs.length + i]`, the loss at (xs[i], ys[j]) (as `@downhill/models`' `lossGrid`).
 */
export interface LossSurface {
  readonly xs: number[];
  readonly ys: number[];
  readonly values: number[];
}

/** Samples a 2-parameter objective over a box (for models over data: on the given batch). */
export function lossSurface<TBatch>(
  objective: Objective<TBatch>,
  options: {
    readonly x: readonly [number, number];
    readonly y: readonly [number, number];
    readonly steps?: number;
    readonly batch?: TBatch;
  },
): LossSurface {
  const steps = options.steps ?? 61;
  const grid = lossGrid(objective, {
    x: { min: options.x[0], max: options.x[1], steps },
    y: { min: options.y[0], max: options.y[1], steps },
    ...(options.batch !== undefined ? { batch: options.batch } : {}),
  });
  // 6 significant digits are plenty for contours and keep the start event small.
  const round = (v: number) => Number(v.toPrecision(6));
  return {
    xs: Array.from(grid.xs, round),
    ys: Array.from(grid.ys, round),
    values: Array.from(grid.values, round),
  };
}
