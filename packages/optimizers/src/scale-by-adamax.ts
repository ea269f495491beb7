import type { Optimizer } from '@downhill/core';
import { resolveDecayRate } from './hyperparameter.js';
import { checkNonNegative, checkUnitInterval } from './validate.js';

/** Options of {@link scaleByAdamax}. */
export interface AdamaxOptions {
  readonly beta1?: number;
  readonly beta2?: number;
  /** Added to |g| before the maximum. Default 1e-8. */
  readonly eps?: number;
}

/** State of {@link scaleByAdamax}. */
export interface AdamaxState {
  count: number;
  firstMoment: Float64Array;
  infinityNorm: Float64Array;
}

/**
 * Adamax, Adam with the infinity norm (Kingma & Ba, 2015, section 7.1), as PyTorch computes it:
 *
 *   m_t = b1 m_{t-1} + (1 - b1) g_t,   n_t = max(b2 n_{t-1}, |g_t| + eps),
 *   u_t = m_t / ((1 - b1^t) n_t).
 *
 * Keras and TF.js add eps to n_t in the denominator (`m_t / ((1 - b1^t)(n_t + eps))`) instead of
 * to |g_t| inside the maximum.
 */
export function scaleByAdamax(options: AdamaxOptions = {}): Optimizer<AdamaxState> {
  const beta1 = options.beta1 ?? 0.9;
  const beta2 = options.beta2 ?? 0.999;
  const eps = options.eps ?? 1e-8;
  checkUnitInterval('scaleByAdamax', 'beta1', beta1);
  checkUnitInterval('scaleByAdamax', 'beta2', beta2);
  checkNonNegative('scaleByAdamax', 'eps', eps);
  return {
    name: 'scaleByAdamax',
    settable: ['beta1', 'beta2'],
    init: (params) => ({
      count: 0,
      firstMoment: new Float64Array(params.length),
      infinityNorm: new Float64Array(params.length),
    }),
    update(updates, state, _params, context) {
      const b1 = resolveDecayRate(context, 'scaleByAdamax', 'beta1', beta1);
      const b2 = resolveDecayRate(context, 'scaleByAdamax', 'beta2', beta2);
      const t = ++state.count;
      const c1 = 1 / (1 - b1 ** t);
      const m = state.firstMoment;
      const u = state.infinityNorm;
      const n = updates.length;
      for (let i = 0; i < n; i++) {
        const g = updates[i]!;
        const mi = b1 * m[i]! + (1 - b1) * g;
        const decayed = b2 * u[i]!;
        const a = Math.abs(g) + eps;
        const ui = Math.max(decayed, a);
        m[i] = mi;
        u[i] = ui;
        updates[i] = (c1 * mi) / ui;
      }
    },
    describe: () => ({ name: 'scaleByAdamax', beta1, beta2, eps }),
  };
}
