import type { Optimizer } from '@downhill/core';
import { resolveDecayRate } from './hyperparameter.js';
import { checkUnitInterval } from './validate.js';

/** Options of {@link scaleByLion}. */
export interface LionOptions {
  /** Interpolation between momentum and gradient for the sign. Default 0.9. */
  readonly beta1?: number;
  /** Decay of the momentum. Default 0.99. */
  readonly beta2?: number;
}

/** State of {@link scaleByLion}. */
export interface LionState {
  momentum: Float64Array;
}

/**
 * Lion's sign update (Chen et al., 2023, "Symbolic Discovery of Optimization Algorithms"):
 *
 *   u_t = sign(b1 m_{t-1} + (1 - b1) g_t),   m_t = b2 m_{t-1} + (1 - b2) g_t.
 *
 * PyTorch has no Lion; this follows the paper's Algorithm 2 (sign(0) = 0). Use a learning rate
 * 3-10x smaller than AdamW's.
 */
export function scaleByLion(options: LionOptions = {}): Optimizer<LionState> {
  const beta1 = options.beta1 ?? 0.9;
  const beta2 = options.beta2 ?? 0.99;
  checkUnitInterval('scaleByLion', 'beta1', beta1, true);
  checkUnitInterval('scaleByLion', 'beta2', beta2, true);
  return {
    name: 'scaleByLion',
    settable: ['beta1', 'beta2'],
    init: (params) => ({ momentum: new Float64Array(params.length) }),
    update(updates, state, _params, context) {
      const b1 = resolveDecayRate(context, 'scaleByLion', 'beta1', beta1, true);
      const b2 = resolveDecayRate(context, 'scaleByLion', 'beta2', beta2, true);
      const m = state.momentum;
      const n = updates.length;
      for (let i = 0; i < n; i++) {
        const g = updates[i]!;
        const mi = m[i]!;
        const c = b1 * mi + (1 - b1) * g;
        // sign(c) without branches (random signs defeat branch prediction: 5x slower with
        // Math.sign or a ternary); `c * 0` keeps a NaN a NaN.
        updates[i] = +(c > 0) - +(c < 0) + c * 0;
        m[i] = b2 * mi + (1 - b2) * g;
      }
    },
    describe: () => ({ name: 'scaleByLion', beta1, beta2 }),
  };
}
