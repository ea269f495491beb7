import type { Objective } from '@downhill/core';
import { lossGrid } from '@downhill/models';

/**
 * A 2-parameter loss surface as plain data for a run's `start` config (`config.extra.lossGrid`),
 * in the shape the dashboard's `<downhill-trajectory>` draws: `values[i + j * nx]` is the loss at
 * `x = x0 + i (x1 - x0) / (nx - 1)`, `y = y0 + j (y1 - y0) / (ny - 1)`.
 */
export interface LossSurface {
  readonly x: readonly [number, number];
  readonly y: readonly [number, number];
  readonly nx: number;
  readonly ny: number;
  readonly values: number[];
}

/** Samples a 2-parameter objective over a box (for batches: on the given batch). */
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
  // Rounded to 6 significant digits: the contour plot needs no more, and the start event stays small.
  const values = Array.from(grid.values, (v) => (Number.isFinite(v) ? Number(v.toPrecision(6)) : v));
  return { x: [options.x[0], options.x[1]], y: [options.y[0], options.y[1]], nx: steps, ny: steps, values };
}
