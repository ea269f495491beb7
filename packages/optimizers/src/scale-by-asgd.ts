import type { Optimizer, ScheduleLike } from '@downhill/core';
import { resolveHyperparameter } from './hyperparameter.js';
import { checkLearningRate, checkNonNegative } from './validate.js';

/** Options of {@link scaleByAsgd}. Defaults are PyTorch's `torch.optim.ASGD`. */
export interface AsgdStepOptions {
  /** Learning rate lr (number or schedule), live-settable as `learningRate`. Default 0.01. */
  readonly learningRate?: ScheduleLike;
  /** Decay term lambda. Default 1e-4. */
  readonly lambd?: number;
  /** Power of the step-size decay. Default 0.75. */
  readonly alpha?: number;
  /** Step after which averaging starts (before it the average is the current point). Default 1e6. */
  readonly t0?: number;
}

/**
 * State of {@link scaleByAsgd}: the step count, the step size and averaging weight of the next
 * step (PyTorch's `eta` and `mu`), and the averaged parameters (PyTorch's `ax`).
 * `average`/`averaged` follow the averaging wrappers' shape, so {@link averagedParams} finds it.
 */
export interface AsgdState {
  count: number;
  eta: number;
  mu: number;
  average: Float64Array;
  averaged: number;
}

/**
 * Averaged SGD's step (Polyak & Juditsky, 1992, "Acceleration of Stochastic Approximation by
 * Averaging"; the decaying step of Bottou, 2012, "Stochastic Gradient Descent Tricks"), as
 * PyTorch's `torch.optim.ASGD`:
 *
 *   p_t = p_{t-1} (1 - lambda eta_t) - eta_t g_t,
 *   ax_t = p_t when mu_t = 1, else ax_{t-1} + mu_t (p_t - ax_{t-1}),
 *   eta_{t+1} = lr / (1 + lambda lr t)^alpha,   mu_{t+1} = 1 / max(1, t - t0),
 *
 * with eta_1 = lr and mu_1 = 1. So the average is the plain mean of the points from step t0 + 2 on.
 * Writes `u = -(lambda eta p + eta g)` (the run loop adds it) and keeps `ax` in the state; read it
 * with `averagedParams(state)`. The learning rate enters eta when eta is computed, at the end of
 * the previous step, as in PyTorch (a schedule or a live `set` acts one step later than in SGD).
 */
export function scaleByAsgd(options: AsgdStepOptions = {}): Optimizer<AsgdState> {
  const learningRate = options.learningRate ?? 0.01;
  const lambd = options.lambd ?? 1e-4;
  const alpha = options.alpha ?? 0.75;
  const t0 = options.t0 ?? 1e6;
  checkLearningRate('asgd', learningRate);
  checkNonNegative('asgd', 'lambd', lambd);
  checkNonNegative('asgd', 'alpha', alpha);
  checkNonNegative('asgd', 't0', t0);
  return {
    name: 'scaleByAsgd',
    settable: ['learningRate'],
    init: (params) => ({
      count: 0,
      eta: 0,
      mu: 1,
      average: new Float64Array(params.length),
      averaged: 0,
    }),
    update(updates, state, params, context) {
      const lr = resolveHyperparameter(context, 'learningRate', learningRate);
      // eta_1 is the learning rate itself (init has no step context to evaluate a schedule at).
      const eta = state.count === 0 ? lr : state.eta;
      const t = ++state.count;
      const decay = lambd * eta;
      const mu = state.mu;
      const ax = state.average;
      const n = updates.length;
      if (mu === 1) {
        for (let i = 0; i < n; i++) {
          const p = params[i]!;
          const u = -(decay * p + eta * updates[i]!);
          updates[i] = u;
          ax[i] = p + u;
        }
      } else {
        for (let i = 0; i < n; i++) {
          const p = params[i]!;
          const u = -(decay * p + eta * updates[i]!);
          updates[i] = u;
          ax[i]! += mu * (p + u - ax[i]!);
        }
      }
      state.averaged = t;
      state.eta = lr / (1 + lambd * lr * t) ** alpha;
      state.mu = 1 / Math.max(1, t - t0);
    },
    describe: () => ({
      name: 'scaleByAsgd',
      learningRate: typeof learningRate === 'number' ? learningRate : 'schedule',
      lambd,
      alpha,
      t0,
    }),
  };
}
