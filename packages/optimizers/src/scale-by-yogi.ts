import type { Optimizer } from '@downhill/core';
import { resolveDecayRate } from './hyperparameter.js';
import { checkNonNegative, checkUnitInterval } from './validate.js';

/** Options of {@link scaleByYogi}. Defaults are Optax's. */
export interface YogiOptions {
  /** Decay of the first moment, live-settable as `beta1`. Default 0.9. */
  readonly beta1?: number;
  /** Rate of the additive second-moment change, live-settable as `beta2`. Default 0.999. */
  readonly beta2?: number;
  /** Added to sqrt(v_t). Default 1e-3 (the paper's). */
  readonly eps?: number;
  /** Initial value of both moments. Default 1e-6. */
  readonly initialAccumulator?: number;
  /**
   * Divide the moments by 1 - b1^t and 1 - b2^t, as Optax's `scale_by_yogi` does. Default true;
   * false is the paper's Algorithm 2 as printed.
   */
  readonly biasCorrection?: boolean;
}

/** State of {@link scaleByYogi}. */
export interface YogiState {
  count: number;
  firstMoment: Float64Array;
  secondMoment: Float64Array;
}

/**
 * Yogi's preconditioner (Zaheer, Reddi, Sachan, Kale & Kumar, 2018, "Adaptive Methods for
 * Nonconvex Optimization", Algorithm 2): the second moment moves additively, by at most
 * (1 - b2) g^2 a step, instead of Adam's multiplicative average,
 *
 *   m_t = b1 m_{t-1} + (1 - b1) g_t,   v_t = v_{t-1} - (1 - b2) sign(v_{t-1} - g_t^2) g_t^2,
 *   u_t = (m_t / (1 - b1^t)) / (sqrt(v_t / (1 - b2^t)) + eps),
 *
 * with both moments starting at `initialAccumulator` and the bias correction of Optax's
 * `scale_by_yogi` (`biasCorrection: false` gives the paper's m_t / (sqrt(v_t) + eps)).
 */
export function scaleByYogi(options: YogiOptions = {}): Optimizer<YogiState> {
  const beta1 = options.beta1 ?? 0.9;
  const beta2 = options.beta2 ?? 0.999;
  const eps = options.eps ?? 1e-3;
  const initialAccumulator = options.initialAccumulator ?? 1e-6;
  const biasCorrection = options.biasCorrection ?? true;
  checkUnitInterval('scaleByYogi', 'beta1', beta1);
  checkUnitInterval('scaleByYogi', 'beta2', beta2);
  checkNonNegative('scaleByYogi', 'eps', eps);
  checkNonNegative('scaleByYogi', 'initialAccumulator', initialAccumulator);
  return {
    name: 'scaleByYogi',
    settable: ['beta1', 'beta2'],
    init: (params) => ({
      count: 0,
      firstMoment: new Float64Array(params.length).fill(initialAccumulator),
      secondMoment: new Float64Array(params.length).fill(initialAccumulator),
    }),
    update(updates, state, _params, context) {
      const b1 = resolveDecayRate(context, 'scaleByYogi', 'beta1', beta1);
      const b2 = resolveDecayRate(context, 'scaleByYogi', 'beta2', beta2);
      const t = ++state.count;
      const c1 = biasCorrection ? 1 / (1 - b1 ** t) : 1;
      const c2 = biasCorrection ? 1 / (1 - b2 ** t) : 1;
      const m = state.firstMoment;
      const v = state.secondMoment;
      const n = updates.length;
      for (let i = 0; i < n; i++) {
        const g = updates[i]!;
        const g2 = g * g;
        const mi = b1 * m[i]! + (1 - b1) * g;
        const vi = v[i]! - (1 - b2) * Math.sign(v[i]! - g2) * g2;
        m[i] = mi;
        v[i] = vi;
        updates[i] = (mi * c1) / (Math.sqrt(vi * c2) + eps);
      }
    },
    describe: () => ({ name: 'scaleByYogi', beta1, beta2, eps, initialAccumulator, biasCorrection }),
  };
}
