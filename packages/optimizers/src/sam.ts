import type { GradientTransformation, Objective, Optimizer } from '@downhill/core';
import { describeTransform, settableOf } from './chain.js';
import { resolveHyperparameter } from './hyperparameter.js';
import { checkNonNegative } from './validate.js';

/** Options of {@link sam}. */
export interface SamOptions<TBatch> {
  /**
   * The objective for the second evaluation where the update is driven by hand. Inside
   * `train()` SAM uses the run loop's `context.evaluate` instead (the step's own batch, counted
   * in the step event's `evaluations`), and this may be left out.
   */
  readonly objective?: Objective<TBatch>;
  /**
   * The batch of a second evaluation through `objective` (never used inside `train()`). Default:
   * undefined (test functions).
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
 * whole optimizer: `sam(sgd({ ... }))`. Inside `train()` the second gradient comes from the run
 * loop's `context.evaluate` (PyTorch's closure: the step's own batch, also for mini-batches,
 * counted in the step event's `evaluations`); driven by hand, from `options.objective` at
 * `options.batch()`. Both count in `state.evaluations`.
 */
export function sam<S, TBatch = void>(
  inner: GradientTransformation<S>,
  options: SamOptions<TBatch> = {},
): Optimizer<SamState<S>> {
  const { objective } = options;
  const rho = options.rho ?? 0.05;
  checkNonNegative('sam', 'rho', rho);
  if (objective !== undefined && typeof objective?.loss !== 'function') {
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
        if (context.evaluate !== undefined) context.evaluate(perturbed, gradient);
        else if (objective !== undefined) objective.loss(perturbed, batch(), gradient);
        else {
          throw new RangeError(
            'sam: no way to evaluate the gradient again: run it in train() or pass options.objective',
          );
        }
        state.evaluations++;
        updates.set(gradient);
      }
      inner.update(updates, state.inner, params, context);
    },
    describe: () => ({ name: 'sam', rho, inner: describeTransform(inner as Optimizer) }),
  };
}
