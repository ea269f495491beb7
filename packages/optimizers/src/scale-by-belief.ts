import type { Optimizer } from '@downhill/core';
import { resolveDecayRate } from './hyperparameter.js';
import { checkNonNegative, checkUnitInterval } from './validate.js';

/** Options of {@link scaleByBelief}. */
export interface BeliefOptions {
  /** Decay of the first moment, live-settable as `beta1`. Default 0.9. */
  readonly beta1?: number;
  /** Decay of the belief (second central moment), live-settable as `beta2`. Default 0.999. */
  readonly beta2?: number;
  /** Added inside the belief average each step and to its root. Default 1e-16 (the authors'). */
  readonly eps?: number;
}

/** State of {@link scaleByBelief}. */
export interface BeliefState {
  count: number;
  firstMoment: Float64Array;
  belief: Float64Array;
}

/**
 * AdaBelief's preconditioner (Zhuang et al., 2020, "AdaBelief Optimizer: Adapting Stepsizes by the
 * Belief in Observed Gradients", Algorithm 2): Adam with the variance of the gradient around its
 * prediction m_t in place of the raw second moment,
 *
 *   m_t = b1 m_{t-1} + (1 - b1) g_t,   s_t = b2 s_{t-1} + (1 - b2) (g_t - m_t)^2 + eps,
 *   u_t = (m_t / (1 - b1^t)) / (sqrt(s_t / (1 - b2^t)) + eps).
 *
 * The residual uses the new m_t, as the paper and the authors' PyTorch code do (Optax's
 * `scale_by_belief` uses m_{t-1}). Follow with a learning rate.
 */
export function scaleByBelief(options: BeliefOptions = {}): Optimizer<BeliefState> {
  const beta1 = options.beta1 ?? 0.9;
  const beta2 = options.beta2 ?? 0.999;
  const eps = options.eps ?? 1e-16;
  checkUnitInterval('scaleByBelief', 'beta1', beta1);
  checkUnitInterval('scaleByBelief', 'beta2', beta2);
  checkNonNegative('scaleByBelief', 'eps', eps);
  return {
    name: 'scaleByBelief',
    settable: ['beta1', 'beta2'],
    init: (params) => ({
      count: 0,
      firstMoment: new Float64Array(params.length),
      belief: new Float64Array(params.length),
    }),
    update(updates, state, _params, context) {
      const b1 = resolveDecayRate(context, 'scaleByBelief', 'beta1', beta1);
      const b2 = resolveDecayRate(context, 'scaleByBelief', 'beta2', beta2);
      const t = ++state.count;
      const c1 = 1 / (1 - b1 ** t);
      const c2 = 1 / (1 - b2 ** t);
      const m = state.firstMoment;
      const s = state.belief;
      const n = updates.length;
      for (let i = 0; i < n; i++) {
        const g = updates[i]!;
        const mi = b1 * m[i]! + (1 - b1) * g;
        const r = g - mi;
        const si = b2 * s[i]! + (1 - b2) * r * r + eps;
        m[i] = mi;
        s[i] = si;
        updates[i] = (mi * c1) / (Math.sqrt(si * c2) + eps);
      }
    },
    describe: () => ({ name: 'scaleByBelief', beta1, beta2, eps }),
  };
}
