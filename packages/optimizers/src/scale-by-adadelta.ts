import type { Optimizer } from '@downhill/core';
import { checkNonNegative, checkUnitInterval } from './validate.js';

/** Options of {@link scaleByAdadelta}. */
export interface AdadeltaOptions {
  /** Decay of both running averages. Default 0.9 (PyTorch; Keras and TF.js use 0.95). */
  readonly rho?: number;
  /** Added inside both square roots. Default 1e-6 (PyTorch; Keras and TF.js use 1e-7). */
  readonly eps?: number;
}

/** State of {@link scaleByAdadelta}. */
export interface AdadeltaState {
  squareAverage: Float64Array;
  deltaAverage: Float64Array;
}

/**
 * Adadelta's scaling (Zeiler, 2012, "ADADELTA: An Adaptive Learning Rate Method"), as PyTorch
 * computes it:
 *
 *   E[g^2]_t = rho E[g^2]_{t-1} + (1 - rho) g_t^2,
 *   u_t = sqrt(E[dx^2]_{t-1} + eps) / sqrt(E[g^2]_t + eps) * g_t,
 *   E[dx^2]_t = rho E[dx^2]_{t-1} + (1 - rho) u_t^2.
 *
 * The average of squared updates is kept before the learning rate scales them, so PyTorch's `lr`
 * (default 1.0) is a pure multiplier. Keras computes the same formula but defaults to lr = 0.001,
 * rho = 0.95, eps = 1e-7 (steps a thousand times smaller than the paper's). TF.js's denominator
 * differs: it uses the previous average, `sqrt(E[g^2]_{t-1} + eps)`, before adding g_t^2.
 */
export function scaleByAdadelta(options: AdadeltaOptions = {}): Optimizer<AdadeltaState> {
  const rho = options.rho ?? 0.9;
  const eps = options.eps ?? 1e-6;
  checkUnitInterval('scaleByAdadelta', 'rho', rho, true);
  checkNonNegative('scaleByAdadelta', 'eps', eps);
  return {
    name: 'scaleByAdadelta',
    settable: [],
    init: (params) => ({
      squareAverage: new Float64Array(params.length),
      deltaAverage: new Float64Array(params.length),
    }),
    update(updates, state) {
      const s = state.squareAverage;
      const d = state.deltaAverage;
      const keep = 1 - rho;
      const n = updates.length;
      for (let i = 0; i < n; i++) {
        const g = updates[i]!;
        const si = rho * s[i]! + keep * g * g;
        s[i] = si;
        const u = (Math.sqrt(d[i]! + eps) / Math.sqrt(si + eps)) * g;
        d[i] = rho * d[i]! + keep * u * u;
        updates[i] = u;
      }
    },
    describe: () => ({ name: 'scaleByAdadelta', rho, eps }),
  };
}
