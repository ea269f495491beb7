import type { Objective, Vector } from '@downhill/core';

export interface CheckGradientOptions {
  /**
   * Relative step: coordinate i is moved by h = epsilon * max(1, |params[i]|).
   * Default 1e-5 for 'central', 2e-4 for 'five-point'.
   */
  readonly epsilon?: number;
  /**
   * 'central' (default): (f(x + h) - f(x - h)) / 2h, error O(h^2), 2 evaluations per coordinate.
   * 'five-point': (f(x - 2h) - 8 f(x - h) + 8 f(x + h) - f(x + 2h)) / 12h, error O(h^4), 4
   * evaluations; more accurate for smooth, strongly curved functions, but its wider stencil is
   * more likely to straddle a kink (ReLU, |x|).
   */
  readonly stencil?: 'central' | 'five-point';
  /**
   * Denominator floor of the relative error |a - n| / max(|a|, |n|, floor), so that coordinates
   * whose true derivative is ~0 are judged by absolute error instead (finite differences cannot
   * resolve them relatively). Default: a thousandth of the largest derivative magnitude (analytic
   * or numeric), and at least 1e-10.
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
  const fivePoint = options.stencil === 'five-point';
  const epsilon = options.epsilon ?? (fivePoint ? 2e-4 : 1e-5);
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
  for (let i = 0; i < params.length; i++) {
    const original = params[i]!;
    const h = epsilon * Math.max(1, Math.abs(original));
    params[i] = original + h;
    const up = objective.loss(params, batch);
    params[i] = original - h;
    const down = objective.loss(params, batch);
    // Divide by the step actually taken in floating point, not the nominal 2h.
    const width = original + h - (original - h);
    if (fivePoint) {
      params[i] = original + 2 * h;
      const up2 = objective.loss(params, batch);
      params[i] = original - 2 * h;
      const down2 = objective.loss(params, batch);
      numeric[i] = (8 * (up - down) - (up2 - down2)) / (6 * width);
    } else numeric[i] = (up - down) / width;
    params[i] = original;
  }
  let largest = 0;
  for (let i = 0; i < params.length; i++) {
    largest = Math.max(largest, Math.abs(analytic[i]!), Math.abs(numeric[i]!));
  }
  const floor = options.floor ?? Math.max(1e-10, 1e-3 * largest);
  let worst = 0;
  let worstIndex = -1;
  for (let i = 0; i < params.length; i++) {
    const a = analytic[i]!;
    const n = numeric[i]!;
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
