import type { Optimizer } from '@downhill/core';
import { resolveDecayRate } from './hyperparameter.js';
import { checkNonNegative, checkUnitInterval } from './validate.js';

/** Options of {@link scaleByRadam}. */
export interface RadamOptions {
  readonly beta1?: number;
  readonly beta2?: number;
  readonly eps?: number;
}

/** State of {@link scaleByRadam}. */
export interface RadamState {
  count: number;
  firstMoment: Float64Array;
  secondMoment: Float64Array;
}

/**
 * Rectified Adam (Liu et al., 2020, "On the Variance of the Adaptive Learning Rate and Beyond"),
 * as PyTorch computes it:
 *
 *   m_t, v_t as in Adam,   mhat_t = m_t / (1 - b1^t),
 *   rho_inf = 2 / (1 - b2) - 1,   rho_t = rho_inf - 2 t b2^t / (1 - b2^t),
 *   if rho_t > 5:  r_t = sqrt((rho_t - 4)(rho_t - 2) rho_inf / ((rho_inf - 4)(rho_inf - 2) rho_t)),
 *                  u_t = mhat_t * r_t * sqrt(1 - b2^t) / (sqrt(v_t) + eps)
 *   else           u_t = mhat_t   (momentum SGD while the variance estimate is unreliable).
 *
 * Note eps is added to the uncorrected sqrt(v_t) here, unlike PyTorch's Adam.
 */
export function scaleByRadam(options: RadamOptions = {}): Optimizer<RadamState> {
  const beta1 = options.beta1 ?? 0.9;
  const beta2 = options.beta2 ?? 0.999;
  const eps = options.eps ?? 1e-8;
  checkUnitInterval('scaleByRadam', 'beta1', beta1);
  checkUnitInterval('scaleByRadam', 'beta2', beta2);
  checkNonNegative('scaleByRadam', 'eps', eps);
  return {
    name: 'scaleByRadam',
    settable: ['beta1', 'beta2'],
    init: (params) => ({
      count: 0,
      firstMoment: new Float64Array(params.length),
      secondMoment: new Float64Array(params.length),
    }),
    update(updates, state, _params, context) {
      const b1 = resolveDecayRate(context, 'scaleByRadam', 'beta1', beta1);
      const b2 = resolveDecayRate(context, 'scaleByRadam', 'beta2', beta2);
      const t = ++state.count;
      const c1 = 1 / (1 - b1 ** t);
      const bc2 = 1 - b2 ** t;
      const rhoInf = 2 / (1 - b2) - 1;
      const rhoT = rhoInf - (2 * t * b2 ** t) / bc2;
      const m = state.firstMoment;
      const v = state.secondMoment;
      const n = updates.length;
      if (rhoT > 5) {
        const rect = Math.sqrt(((rhoT - 4) * (rhoT - 2) * rhoInf) / ((rhoInf - 4) * (rhoInf - 2) * rhoT));
        const scale = c1 * rect * Math.sqrt(bc2);
        for (let i = 0; i < n; i++) {
          const g = updates[i]!;
          const mi = b1 * m[i]! + (1 - b1) * g;
          const vi = b2 * v[i]! + (1 - b2) * g * g;
          m[i] = mi;
          v[i] = vi;
          updates[i] = (scale * mi) / (Math.sqrt(vi) + eps);
        }
      } else {
        for (let i = 0; i < n; i++) {
          const g = updates[i]!;
          const mi = b1 * m[i]! + (1 - b1) * g;
          m[i] = mi;
          v[i] = b2 * v[i]! + (1 - b2) * g * g;
          updates[i] = c1 * mi;
        }
      }
    },
    describe: () => ({ name: 'scaleByRadam', beta1, beta2, eps }),
  };
}
