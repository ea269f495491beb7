import type { Objective, Vector } from '@downhill/core';

export interface CheckGradientOptions {
  /** Relative step: coordinate i is moved by h = epsilon * max(1, |params[i]|). Default 1e-5. */
  readonly epsilon?: number;
  /**
   * Denominator floor of the relative error |a - n| / max(|a|, |n|, floor), so that coordinates
   * whose true derivative is ~0 are judged by absolute error instead. Default 1e-8.
   */
  readonly floor?: number;
  /** Pass threshold on the worst relative error. Default 1e-6. */
  readonly tolerance?: number;
}

export interface GradientCheck {
  /** True when the worst relative error is at most the tolerance. */
  readonly ok: boolean;
  /** Largest relative error over all coordinates. */
  readonly maxRelativeError: number;
  /** Coordinate where it occurred, with both derivatives there. */
  readonly worstIndex: number;
  readonly analyticAtWorst: number;
  readonly numericAtWorst: number;
  /** Full gradients, for inspection. */
  readonly analytic: Float64Array;
  readonly numeric: Float64Array;
}

/**
 * Compares an objective's analytic gradient with central finite differences,
 * g_i ~ (f(x + h e_i) - f(x - h e_i)) / (2 h), which have error O(h^2) plus rounding
 * O(eps_machine f / h); the default h = 1e-5 * max(1, |x_i|) balances the two for smooth f in
 * double precision. Reports the worst coordinate. Costs 2 * dimension loss evaluations, and
 * kinks (ReLU, |x|, hinge) within h of the point make the numeric derivative meaningless there.
 * `params` is restored exactly afterwards.
 */
export function checkGradient<TBatch>(
  objective: Objective<TBatch>,
  params: Vector,
  batch: TBatch,
  options: CheckGradientOptions = {},
): GradientCheck {
  const epsilon = options.epsilon ?? 1e-5;
  const floor = options.floor ?? 1e-8;
  const tolerance = options.tolerance ?? 1e-6;
  if (!(epsilon > 0)) throw new RangeError(`checkGradient: epsilon must be > 0, got ${epsilon}`);
  if (params.length !== objective.dimension) {
    throw new RangeError(
      `checkGradient: params has length ${params.length}, the objective has ${objective.dimension}`,
    );
  }
  const analytic = new Float64Array(params.length);
  objective.loss(params, batch, analytic);
  const numeric = new Float64Array(params.length);
  let worst = 0;
  let worstIndex = -1;
  for (let i = 0; i < params.length; i++) {
    const original = params[i]!;
    const h = epsilon * Math.max(1, Math.abs(original));
    params[i] = original + h;
    const up = objective.loss(params, batch);
    params[i] = original - h;
    const down = objective.loss(params, batch);
    params[i] = original;
    // The step actually taken in floating point, not the nominal h.
    const n = (up - down) / (original + h - (original - h));
    numeric[i] = n;
    const a = analytic[i]!;
    const err = Math.abs(a - n) / Math.max(Math.abs(a), Math.abs(n), floor);
    if (err > worst || worstIndex < 0 || Number.isNaN(err)) {
      worst = err;
      worstIndex = i;
      if (Number.isNaN(err)) break;
    }
  }
  return {
    ok: worst <= tolerance,
    maxRelativeError: worst,
    worstIndex,
    analyticAtWorst: analytic[worstIndex] ?? Number.NaN,
    numericAtWorst: numeric[worstIndex] ?? Number.NaN,
    analytic,
    numeric,
  };
}
