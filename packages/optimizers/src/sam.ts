import type { GradientTransformation, Objective, Optimizer } from '@downhill/core';
import { describeTransform, settableOf } from './chain.js';
import { resolveHyperparameter } from './hyperparameter.js';
import { checkNonNegative } from './validate.js';

/** Options of {@link sam}. */
export interface SamOptions<TBatch> {
  /** The objective the run minimises: SAM evaluates its gradient a second time, at w + e. */
  readonly objective: Objective<TBatch>;
  /**
   * The batch of the second evaluation. It must be the batch the run's gradient came from, so SAM
   * as a transform suits full-batch runs and test functions (`undefined` batch). Default: undefined.
   */
  readonly batch?: () => TBatch;
  /** Neighbourhood radius rho, live-settable as `samRho`. Default 0.05 (the paper's). */
  readonly rho?: number;
}

/** State of {@link sam}: the inner optimizer's and the number of extra evaluations so far. */
export interface SamState<S> {
  inner: S;
  evaluations: number;
}

/**
 * Sharpness-aware minimisation (Foret, Kleiner, Mobahi & Neyshabur, ICLR 2021, "Sharpness-Aware
 * Minimization for Efficiently Improving Generalization", Algorithm 1): the gradient is taken at
 * the worst point of a rho-ball, to first order,
 *
 *   e = rho g / ||g||_2,   g_SAM = grad L(w + e),   then the inner optimizer steps with g_SAM,
 *
 * which favours flat minima (a sharp minimum narrower than rho pushes the iterate out). Wrap the
 * whole optimizer: `sam(sgd({ ... }), { objective })`. The second evaluation happens inside the
 * update (the run loop does not know about it): it is counted in `state.evaluations`, and it
 * uses `options.batch()`, so mini-batch SAM inside `train()` needs the run loop to hand the batch
 * over (not yet possible); full-batch runs and test functions work as they are.
 */
export function sam<S, TBatch = void>(
  inner: GradientTransformation<S>,
  options: SamOptions<TBatch>,
): Optimizer<SamState<S>> {
  const { objective } = options;
  const rho = options.rho ?? 0.05;
  checkNonNegative('sam', 'rho', rho);
  if (typeof objective?.loss !== 'function') {
    throw new RangeError('sam: objective must be an Objective (with a loss function)');
  }
  const batch = options.batch ?? (() => undefined as TBatch);
  let perturbed = new Float64Array(0);
  let gradient = new Float64Array(0);
  return {
    name: 'sam',
    settable: [...new Set(['samRho', ...settableOf([inner as Optimizer])])],
    init: (params) => ({ inner: inner.init(params), evaluations: 0 }),
    update(updates, state, params, context) {
      const n = updates.length;
      if (perturbed.length !== n) {
        perturbed = new Float64Array(n);
        gradient = new Float64Array(n);
      }
      const r = resolveHyperparameter(context, 'samRho', rho);
      let norm = 0;
      for (let i = 0; i < n; i++) norm += updates[i]! * updates[i]!;
      norm = Math.sqrt(norm);
      if (norm > 0 && r > 0) {
        const scale = r / norm;
        for (let i = 0; i < n; i++) perturbed[i] = params[i]! + scale * updates[i]!;
        objective.loss(perturbed, batch(), gradient);
        state.evaluations++;
        updates.set(gradient);
      }
      inner.update(updates, state.inner, params, context);
    },
    describe: () => ({ name: 'sam', rho, inner: describeTransform(inner as Optimizer) }),
  };
}
