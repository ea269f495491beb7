import type { Optimizer } from '@downhill/core';
import { checkNonNegative } from './validate.js';

/** Options of {@link scaleByAdagrad}. */
export interface AdagradOptions {
  /** Starting value of the sum of squared gradients. Default 0 (PyTorch; Keras and TF.js use 0.1). */
  readonly initialAccumulator?: number;
  /** Added to the root of the sum. Default 1e-10. */
  readonly eps?: number;
  /** Learning-rate decay: the step is divided by 1 + (t - 1) * lrDecay. Default 0. */
  readonly lrDecay?: number;
}

/** State of {@link scaleByAdagrad}. */
export interface AdagradState {
  count: number;
  sumOfSquares: Float64Array;
}

/**
 * Adagrad's scaling (Duchi, Hazan & Singer, 2011, "Adaptive Subgradient Methods for Online
 * Learning and Stochastic Optimization"), as PyTorch computes it:
 *
 *   G_t = G_{t-1} + g_t^2  (G_0 = initialAccumulator),
 *   u_t = g_t / ((1 + (t - 1) * lrDecay) * (sqrt(G_t) + eps)).
 *
 * Keras and TF.js put eps inside the square root (`sqrt(G_t + eps)`).
 */
export function scaleByAdagrad(options: AdagradOptions = {}): Optimizer<AdagradState> {
  const initialAccumulator = options.initialAccumulator ?? 0;
  const eps = options.eps ?? 1e-10;
  const lrDecay = options.lrDecay ?? 0;
  checkNonNegative('scaleByAdagrad', 'initialAccumulator', initialAccumulator);
  checkNonNegative('scaleByAdagrad', 'eps', eps);
  checkNonNegative('scaleByAdagrad', 'lrDecay', lrDecay);
  return {
    name: 'scaleByAdagrad',
    settable: [],
    init: (params) => ({
      count: 0,
      sumOfSquares: new Float64Array(params.length).fill(initialAccumulator),
    }),
    update(updates, state) {
      const t = ++state.count;
      const decay = 1 / (1 + (t - 1) * lrDecay);
      const s = state.sumOfSquares;
      const n = updates.length;
      for (let i = 0; i < n; i++) {
        const g = updates[i]!;
        const si = s[i]! + g * g;
        s[i] = si;
        updates[i] = (decay * g) / (Math.sqrt(si) + eps);
      }
    },
    describe: () => ({ name: 'scaleByAdagrad', initialAccumulator, eps, lrDecay }),
  };
}
