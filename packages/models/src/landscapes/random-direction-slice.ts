import { createRng, type Objective } from '@downhill/core';
import type { ParameterBlock } from '../models/model.js';

export interface RandomDirectionSliceOptions<TBatch> {
  /** The parameters the slice is centred on (e.g. the trained ones). */
  readonly center: ArrayLike<number>;
  readonly batch?: TBatch;
  /** Seeds the two Gaussian directions. */
  readonly seed: number;
  /** Range of both coefficients alpha, beta (default [-1, 1]). */
  readonly range?: readonly [number, number];
  /** Points per axis (default 21). */
  readonly steps?: number;
  /**
   * Parameter blocks of the model (`model.layout`). With 'filter' normalisation each row of a
   * weight block (one unit's incoming weights: a "filter") is normalised separately and bias
   * blocks get a zero direction. Without a layout the whole vector counts as one filter.
   */
  readonly layout?: readonly ParameterBlock[];
  /** 'filter' (default, Li et al. 2018) or 'none' (raw Gaussian directions). */
  readonly normalization?: 'filter' | 'none';
}

export interface RandomDirectionSlice {
  readonly alphas: Float64Array;
  readonly betas: Float64Array;
  /** `values[j * alphas.length + i]` is the loss at center + alphas[i] d1 + betas[j] d2. */
  readonly values: Float64Array;
  readonly directions: readonly [Float64Array, Float64Array];
  readonly min: number;
  readonly max: number;
}

/** Rescales d so that each filter of d has the norm of the same filter of theta (zero filters stay zero). */
function normalizeFilter(d: Float64Array, theta: ArrayLike<number>, start: number, end: number): void {
  let dd = 0;
  let tt = 0;
  for (let i = start; i < end; i++) {
    dd += d[i]! * d[i]!;
    tt += theta[i]! * theta[i]!;
  }
  const s = dd > 0 ? Math.sqrt(tt / dd) : 0;
  for (let i = start; i < end; i++) d[i]! *= s;
}

/**
 * A 2-D slice of a many-parameter loss surface, f(center + alpha d1 + beta d2), along two random
 * Gaussian directions with filter normalisation (Li, Xu, Taylor, Studer & Goldstein, "Visualizing
 * the Loss Landscape of Neural Nets", NeurIPS 2018): each filter of d is rescaled to the norm of
 * the corresponding filter of the centre, d_f <- d_f ||theta_f|| / ||d_f||, which removes the scale
 * invariance of ReLU networks and makes slices of different networks comparable. Biases get a zero
 * direction, as in the paper.
 */
export function randomDirectionSlice<TBatch>(
  objective: Objective<TBatch>,
  options: RandomDirectionSliceOptions<TBatch>,
): RandomDirectionSlice {
  const n = objective.dimension;
  const center = options.center;
  if (center.length !== n) {
    throw new RangeError(`randomDirectionSlice: center has length ${center.length}, the objective has ${n}`);
  }
  const [lo, hi] = options.range ?? [-1, 1];
  if (!(hi > lo)) throw new RangeError(`randomDirectionSlice: range needs min < max, got [${lo}, ${hi}]`);
  const steps = options.steps ?? 21;
  if (!Number.isInteger(steps) || steps < 2) {
    throw new RangeError(`randomDirectionSlice: steps must be an integer >= 2, got ${steps}`);
  }
  const rng = createRng(options.seed);
  const d1 = new Float64Array(n);
  const d2 = new Float64Array(n);
  for (let i = 0; i < n; i++) d1[i] = rng.normal();
  for (let i = 0; i < n; i++) d2[i] = rng.normal();
  if ((options.normalization ?? 'filter') === 'filter') {
    for (const d of [d1, d2]) {
      if (options.layout === undefined) normalizeFilter(d, center, 0, n);
      else {
        for (const block of options.layout) {
          const end = block.offset + block.rows * block.cols;
          if (end > n)
            throw new RangeError(`randomDirectionSlice: layout block ${block.name} ends at ${end} > ${n}`);
          if (block.kind === 'bias') d.fill(0, block.offset, end);
          else {
            for (let r = 0; r < block.rows; r++) {
              const start = block.offset + r * block.cols;
              normalizeFilter(d, center, start, start + block.cols);
            }
          }
        }
      }
    }
  }
  const alphas = new Float64Array(steps);
  for (let i = 0; i < steps; i++) alphas[i] = lo + ((hi - lo) * i) / (steps - 1);
  const betas = alphas.slice();
  const params = new Float64Array(n);
  const values = new Float64Array(steps * steps);
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (let j = 0; j < steps; j++) {
    for (let i = 0; i < steps; i++) {
      const a = alphas[i]!;
      const b = betas[j]!;
      for (let k = 0; k < n; k++) params[k] = center[k]! + a * d1[k]! + b * d2[k]!;
      const v = objective.loss(params, options.batch as TBatch);
      values[j * steps + i] = v;
      if (Number.isFinite(v)) {
        if (v < min) min = v;
        if (v > max) max = v;
      }
    }
  }
  return { alphas, betas, values, directions: [d1, d2], min, max };
}
