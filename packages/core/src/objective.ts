import type { Matrix, Vector } from './vector.js';

/**
 * A batch of supervised examples: row i of `x` is one input, row i of `y` its target(s).
 * Loaders may reuse the same batch object (and its buffers) from one batch to the next.
 */
export interface Batch {
  readonly x: Matrix;
  readonly y: Matrix;
}

/** Plain, serializable description of a component for the run's `start` event and the dashboard. */
export interface Description {
  readonly name: string;
  readonly [key: string]: unknown;
}

/**
 * Something to minimise: the mean loss of a batch at given parameters.
 *
 * `loss` must compute the gradient in the same pass when `grad` is given (fused forward and
 * backward), overwriting `grad`, and must not allocate per call: the run loop calls it once per
 * step with caller-owned buffers. Objectives with no data (test functions such as Rosenbrock)
 * take `TBatch = void` and are called with `undefined`.
 */
export interface Objective<TBatch = Batch> {
  /** Number of parameters. */
  readonly dimension: number;
  loss(params: Vector, batch: TBatch, grad?: Vector): number;
  describe?(): Description;
}
