import type { Optimizer } from '@downhill/core';
import { checkNonNegative, checkThat } from './validate.js';

/** Options of {@link scaleByRprop}. */
export interface RpropOptions {
  /** Initial step size of every coordinate (PyTorch's `lr`). Default 0.01. */
  readonly initialStep?: number;
  /** Step shrink factor when the gradient changes sign, in (0, 1). Default 0.5. */
  readonly etaMinus?: number;
  /** Step growth factor when it keeps its sign, > 1. Default 1.2. */
  readonly etaPlus?: number;
  /** Smallest step size. Default 1e-6. */
  readonly minStep?: number;
  /** Largest step size. Default 50. */
  readonly maxStep?: number;
}

/** State of {@link scaleByRprop}: per-coordinate step sizes and the previous (masked) gradient. */
export interface RpropState {
  stepSizes: Float64Array;
  previousGradient: Float64Array;
}

/**
 * Resilient backpropagation (Riedmiller & Braun, 1993, "A Direct Adaptive Method for Faster
 * Backpropagation Learning: The RPROP Algorithm"), in PyTorch's variant (Rprop-, no weight
 * backtracking):
 *
 *   s = sign(g_t * g_{t-1});  step_t = clamp(step_{t-1} * (etaPlus if s > 0, etaMinus if s < 0, 1 if s = 0),
 *                                            minStep, maxStep);
 *   if s < 0: g_t <- 0;   u_t = -sign(g_t) * step_t;   g_{t-1} <- g_t.
 *
 * The update already points downhill and includes the step size: do not follow it with
 * {@link scaleByLearningRate}.
 */
export function scaleByRprop(options: RpropOptions = {}): Optimizer<RpropState> {
  const initialStep = options.initialStep ?? 0.01;
  const etaMinus = options.etaMinus ?? 0.5;
  const etaPlus = options.etaPlus ?? 1.2;
  const minStep = options.minStep ?? 1e-6;
  const maxStep = options.maxStep ?? 50;
  checkNonNegative('scaleByRprop', 'initialStep', initialStep);
  checkThat('scaleByRprop', 'etaMinus', etaMinus > 0 && etaMinus < 1, 'in (0, 1)', etaMinus);
  checkThat(
    'scaleByRprop',
    'etaPlus',
    etaPlus > 1 && Number.isFinite(etaPlus),
    'a finite number > 1',
    etaPlus,
  );
  checkNonNegative('scaleByRprop', 'minStep', minStep);
  checkThat('scaleByRprop', 'maxStep', maxStep >= minStep, `>= minStep (${minStep})`, maxStep);
  return {
    name: 'scaleByRprop',
    settable: [],
    init: (params) => ({
      stepSizes: new Float64Array(params.length).fill(initialStep),
      previousGradient: new Float64Array(params.length),
    }),
    update(updates, state) {
      const step = state.stepSizes;
      const prev = state.previousGradient;
      const n = updates.length;
      for (let i = 0; i < n; i++) {
        // Without branches: gradient signs are close to random, which defeats branch prediction.
        const s = updates[i]! * prev[i]!;
        const same = +(s > 0);
        const flipped = +(s < 0);
        const factor = same * etaPlus + flipped * etaMinus + (1 - same - flipped);
        const size = Math.min(Math.max(step[i]! * factor, minStep), maxStep);
        const g = updates[i]! * (1 - flipped);
        step[i] = size;
        prev[i] = g;
        // -sign(g) * size; `g * 0` keeps a NaN a NaN.
        updates[i] = (+(g < 0) - +(g > 0)) * size + g * 0;
      }
    },
    describe: () => ({ name: 'scaleByRprop', initialStep, etaMinus, etaPlus, minStep, maxStep }),
  };
}
