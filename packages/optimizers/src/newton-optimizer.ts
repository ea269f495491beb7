import { type Optimizer, type UpdateContext, type Vector, withFusedStep } from '@downhill/core';
import { closureObjective } from './closure-objective.js';
import { resolveHyperparameter } from './hyperparameter.js';
import { type NewtonOptions, newton } from './newton.js';
import { checkNonNegative, checkPositive, checkThat } from './validate.js';

/** Options of {@link newtonOptimizer}: those of {@link newton} for one iteration a step. */
export type NewtonOptimizerOptions = Pick<
  NewtonOptions<unknown>,
  'finiteDifferenceStep' | 'damping' | 'lineSearch' | 'toleranceGrad'
>;

/** State of {@link newtonOptimizer}: Newton's method keeps nothing between steps but counts. */
export interface NewtonOptimizerState {
  /** Objective evaluations so far, the run loop's included. */
  evaluations: number;
}

/**
 * Newton's method as an optimizer that `train()` drives: each run step is one iteration of
 * {@link newton} (the Hessian by central differences of the gradient, 2 n evaluations, damping
 * until positive definite, Armijo backtracking), its extra evaluations through the run loop's
 * closure on the step's batch and counted in the step event. Memoryless, so k run steps are
 * exactly `newton(..., { maxIterations: k })`. `damping` is live-settable. O(n^2) memory,
 * O(n^3) a step, and each step allocates its n x n matrices: small models only.
 */
export function newtonOptimizer(options: NewtonOptimizerOptions = {}): Optimizer<NewtonOptimizerState> {
  checkPositive('newton', 'finiteDifferenceStep', options.finiteDifferenceStep ?? 1e-5);
  checkNonNegative('newton', 'damping', options.damping ?? 0);
  checkNonNegative('newton', 'toleranceGrad', options.toleranceGrad ?? 1e-10);
  const lineSearch = options.lineSearch ?? 'backtracking';
  checkThat(
    'newton',
    'lineSearch',
    lineSearch === 'backtracking' || lineSearch === 'none',
    "'backtracking' or 'none'",
    lineSearch,
  );
  const closure = closureObjective('newton');
  const step = (gradient: Vector, state: NewtonOptimizerState, params: Vector, ctx: UpdateContext) => {
    closure.begin(gradient, ctx);
    try {
      const damping = resolveHyperparameter(ctx, 'damping', options.damping ?? 0);
      if (!(damping >= 0)) throw new RangeError(`newton: live damping must be >= 0, got ${damping}`);
      const result = newton(closure.objective, params, { ...options, damping, maxIterations: 1 });
      state.evaluations += result.evaluations;
      return result.params;
    } finally {
      closure.end();
    }
  };
  const optimizer: Optimizer<NewtonOptimizerState> = {
    name: 'newton',
    settable: ['damping'],
    init: () => ({ evaluations: 0 }),
    update(updates, state, params, ctx) {
      const next = step(updates, state, params, ctx);
      for (let i = 0; i < updates.length; i++) updates[i] = next[i]! - params[i]!;
    },
    describe: () => ({ name: 'newton', lineSearch, ...options }),
  };
  return withFusedStep(optimizer, (updates, state: NewtonOptimizerState, params, ctx) => {
    const next = step(updates, state, params, ctx);
    for (let i = 0; i < next.length; i++) if (!Number.isFinite(next[i]!)) return false;
    params.set(next);
    return true;
  });
}
