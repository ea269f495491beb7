import type { Optimizer } from '@downhill/core';
import { checkNonNegative, checkUnitInterval } from './validate.js';

/** Options of {@link scaleByRms}. */
export interface RmsOptions {
  /** Smoothing constant of the squared-gradient average. Default 0.99 (PyTorch). */
  readonly alpha?: number;
  /** Added to the root mean square. Default 1e-8. */
  readonly eps?: number;
  /** Centered RMSprop: subtract the squared mean gradient (an estimate of the variance). Default false. */
  readonly centered?: boolean;
  /**
   * Put eps inside the square root, `g / sqrt(s + eps)`, as Optax's `scale_by_rms` and
   * TensorFlow/Keras do, instead of PyTorch's `g / (sqrt(s) + eps)`. Default false.
   */
  readonly epsInsideSqrt?: boolean;
}

/** State of {@link scaleByRms}. `gradientAverage` is empty unless centered. */
export interface RmsState {
  squareAverage: Float64Array;
  gradientAverage: Float64Array;
}

/**
 * RMSprop's scaling (Hinton, Srivastava & Swersky, 2012, Lecture 6e of "Neural Networks for
 * Machine Learning"; centered form from Graves, 2013, "Generating Sequences With Recurrent Neural
 * Networks"), as PyTorch computes it:
 *
 *   s_t = alpha s_{t-1} + (1 - alpha) g_t^2,
 *   centered: a_t = alpha a_{t-1} + (1 - alpha) g_t,  r_t = sqrt(s_t - a_t^2) + eps,
 *   otherwise r_t = sqrt(s_t) + eps,
 *   u_t = g_t / r_t.
 *
 * Keras and TF.js put eps inside the square root (`sqrt(s_t + eps)`, also when centered), and
 * Keras defaults to rho = 0.9, eps = 1e-7.
 */
export function scaleByRms(options: RmsOptions = {}): Optimizer<RmsState> {
  const alpha = options.alpha ?? 0.99;
  const eps = options.eps ?? 1e-8;
  const centered = options.centered ?? false;
  const epsInsideSqrt = options.epsInsideSqrt ?? false;
  // One add on each side of the root; the unused one adds 0, which leaves the value unchanged.
  const inside = epsInsideSqrt ? eps : 0;
  const outside = epsInsideSqrt ? 0 : eps;
  checkUnitInterval('scaleByRms', 'alpha', alpha, true);
  checkNonNegative('scaleByRms', 'eps', eps);
  return {
    name: 'scaleByRms',
    settable: [],
    init: (params) => ({
      squareAverage: new Float64Array(params.length),
      gradientAverage: new Float64Array(centered ? params.length : 0),
    }),
    update(updates, state) {
      const s = state.squareAverage;
      const a = state.gradientAverage;
      const keep = 1 - alpha;
      const n = updates.length;
      for (let i = 0; i < n; i++) {
        const g = updates[i]!;
        const si = alpha * s[i]! + keep * g * g;
        s[i] = si;
        if (centered) {
          const ai = alpha * a[i]! + keep * g;
          a[i] = ai;
          updates[i] = g / (Math.sqrt(si - ai * ai + inside) + outside);
        } else {
          updates[i] = g / (Math.sqrt(si + inside) + outside);
        }
      }
    },
    describe: () => ({
      name: 'scaleByRms',
      alpha,
      eps,
      centered,
      ...(epsInsideSqrt ? { epsInsideSqrt } : {}),
    }),
  };
}
