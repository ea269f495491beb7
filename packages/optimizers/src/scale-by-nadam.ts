import type { Optimizer } from '@downhill/core';
import { resolveDecayRate } from './hyperparameter.js';
import { checkNonNegative, checkUnitInterval } from './validate.js';

/** Options of {@link scaleByNadam}. */
export interface NadamOptions {
  readonly beta1?: number;
  readonly beta2?: number;
  readonly eps?: number;
  /** psi in the momentum schedule mu_t = b1 (1 - 0.5 * 0.96^(t psi)). Default 0.004. */
  readonly momentumDecay?: number;
}

/** State of {@link scaleByNadam}. `muProduct` is prod_{i<=t} mu_i. */
export interface NadamState {
  count: number;
  muProduct: number;
  firstMoment: Float64Array;
  secondMoment: Float64Array;
}

/**
 * NAdam, Adam with Nesterov momentum (Dozat, 2016, "Incorporating Nesterov Momentum into Adam"),
 * with PyTorch's momentum schedule:
 *
 *   mu_t = b1 (1 - 0.5 * 0.96^(t psi)),   P_t = prod_{i<=t} mu_i,
 *   m_t = b1 m_{t-1} + (1 - b1) g_t,   v_t = b2 v_{t-1} + (1 - b2) g_t^2,
 *   r_t = sqrt(v_t / (1 - b2^t)) + eps,
 *   u_t = ((1 - mu_t) / (1 - P_t)) g_t / r_t + (mu_{t+1} / (1 - P_t mu_{t+1})) m_t / r_t.
 *
 * Keras 3 drops psi from the schedule (mu_t = b1 (1 - 0.5 * 0.96^t), so its momentum reaches b1
 * within tens of steps instead of thousands) and defaults eps to 1e-7; TF.js has no NAdam.
 */
export function scaleByNadam(options: NadamOptions = {}): Optimizer<NadamState> {
  const beta1 = options.beta1 ?? 0.9;
  const beta2 = options.beta2 ?? 0.999;
  const eps = options.eps ?? 1e-8;
  const momentumDecay = options.momentumDecay ?? 0.004;
  checkUnitInterval('scaleByNadam', 'beta1', beta1);
  checkUnitInterval('scaleByNadam', 'beta2', beta2);
  checkNonNegative('scaleByNadam', 'eps', eps);
  checkNonNegative('scaleByNadam', 'momentumDecay', momentumDecay);
  return {
    name: 'scaleByNadam',
    settable: ['beta1', 'beta2'],
    init: (params) => ({
      count: 0,
      muProduct: 1,
      firstMoment: new Float64Array(params.length),
      secondMoment: new Float64Array(params.length),
    }),
    update(updates, state, _params, context) {
      const b1 = resolveDecayRate(context, 'scaleByNadam', 'beta1', beta1);
      const b2 = resolveDecayRate(context, 'scaleByNadam', 'beta2', beta2);
      const t = ++state.count;
      const mu = b1 * (1 - 0.5 * 0.96 ** (t * momentumDecay));
      const muNext = b1 * (1 - 0.5 * 0.96 ** ((t + 1) * momentumDecay));
      const product = state.muProduct * mu;
      state.muProduct = product;
      const gradientWeight = (1 - mu) / (1 - product);
      const momentWeight = muNext / (1 - product * muNext);
      const c2 = 1 / (1 - b2 ** t);
      const m = state.firstMoment;
      const v = state.secondMoment;
      const n = updates.length;
      for (let i = 0; i < n; i++) {
        const g = updates[i]!;
        const mi = b1 * m[i]! + (1 - b1) * g;
        const vi = b2 * v[i]! + (1 - b2) * g * g;
        m[i] = mi;
        v[i] = vi;
        updates[i] = (gradientWeight * g + momentWeight * mi) / (Math.sqrt(vi * c2) + eps);
      }
    },
    describe: () => ({ name: 'scaleByNadam', beta1, beta2, eps, momentumDecay }),
  };
}
