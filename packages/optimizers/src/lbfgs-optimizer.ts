import {
  type Optimizer,
  type ScheduleLike,
  type UpdateContext,
  type Vector,
  withFusedStep,
} from '@downhill/core';
import { closureObjective } from './closure-objective.js';
import { resolveHyperparameter } from './hyperparameter.js';
import { type LbfgsOptions, type LbfgsState, lbfgs } from './lbfgs.js';
import { checkInteger, checkLearningRate, checkNonNegative, checkThat } from './validate.js';

/** Options of {@link lbfgsOptimizer}: PyTorch's `torch.optim.LBFGS`, per `step(closure)`. */
export interface LbfgsOptimizerOptions
  extends Omit<LbfgsOptions<unknown>, 'batch' | 'state' | 'learningRate'> {
  /** Step length scale (PyTorch `lr`), live-settable. Default 1. */
  readonly learningRate?: ScheduleLike;
}

/**
 * State of {@link lbfgsOptimizer}: {@link LbfgsState} with the curvature history in fixed-size
 * buffers (`pairs` of `historySize` slots, oldest first), so that a checkpoint has one shape
 * from the first step on.
 */
export interface LbfgsOptimizerState {
  iterations: number;
  evaluations: number;
  direction: Float64Array;
  step: number;
  previousGradient: Float64Array;
  hessianDiagonal: number;
  pairs: number;
  gradientDifferences: Float64Array;
  steps: Float64Array;
  rho: Float64Array;
}

/**
 * L-BFGS as an optimizer that `train()` drives, as PyTorch's `torch.optim.LBFGS`: each run-loop
 * step is one `step(closure)`, up to `maxIterations` iterations with their line search, the
 * extra evaluations through the run loop's closure (`context.evaluate`, on the step's batch;
 * the step event counts them). The run loop's own evaluation is PyTorch's first closure call,
 * so a run's evaluations are PyTorch's one for one. Full batch is what L-BFGS assumes; with
 * mini-batches each step fits its own batch.
 */
export function lbfgsOptimizer(options: LbfgsOptimizerOptions = {}): Optimizer<LbfgsOptimizerState> {
  const learningRate = options.learningRate ?? 1;
  const historySize = options.historySize ?? 100;
  const { learningRate: _lr, ...rest } = options;
  checkLearningRate('lbfgs', learningRate);
  checkInteger('lbfgs', 'historySize', historySize, 1);
  checkInteger('lbfgs', 'maxIterations', options.maxIterations ?? 20, 1);
  if (options.maxEvaluations !== undefined)
    checkInteger('lbfgs', 'maxEvaluations', options.maxEvaluations, 1);
  checkNonNegative('lbfgs', 'toleranceGrad', options.toleranceGrad ?? 1e-7);
  checkNonNegative('lbfgs', 'toleranceChange', options.toleranceChange ?? 1e-9);
  const lineSearch = options.lineSearch ?? 'none';
  checkThat(
    'lbfgs',
    'lineSearch',
    lineSearch === 'strong-wolfe' || lineSearch === 'none',
    "'strong-wolfe' or 'none'",
    lineSearch,
  );

  const closure = closureObjective('lbfgs');
  let n = -1;
  // Where the rotated history is copied through (per parameter count).
  let scratch = new Float64Array(0);

  /** One PyTorch step: the new parameters (lbfgs's own buffer), the state advanced. */
  const step = (gradient: Vector, state: LbfgsOptimizerState, params: Vector, ctx: UpdateContext) => {
    if (params.length !== n) {
      n = params.length;
      scratch = new Float64Array(historySize * n);
    }
    closure.begin(gradient, ctx);
    const views: LbfgsState = {
      iterations: state.iterations,
      evaluations: state.evaluations,
      direction: state.direction,
      step: state.step,
      previousGradient: state.previousGradient,
      hessianDiagonal: state.hessianDiagonal,
      gradientDifferences: Array.from({ length: state.pairs }, (_, k) =>
        state.gradientDifferences.subarray(k * n, (k + 1) * n),
      ),
      steps: Array.from({ length: state.pairs }, (_, k) => state.steps.subarray(k * n, (k + 1) * n)),
      rho: Array.from(state.rho.subarray(0, state.pairs)),
    };
    try {
      const lr = resolveHyperparameter(ctx, 'learningRate', learningRate);
      const result = lbfgs(closure.objective, params, { ...rest, learningRate: lr, state: views });
      // lbfgs rotates its history lists (the oldest buffer becomes the newest): copy them out
      // through the scratch buffer, then back into their slots in order.
      const pairs = views.gradientDifferences.length;
      for (let k = 0; k < pairs; k++) scratch.set(views.gradientDifferences[k]!, k * n);
      state.gradientDifferences.set(scratch.subarray(0, pairs * n));
      for (let k = 0; k < pairs; k++) scratch.set(views.steps[k]!, k * n);
      state.steps.set(scratch.subarray(0, pairs * n));
      state.rho.set(views.rho);
      state.pairs = pairs;
      state.iterations = views.iterations;
      state.evaluations = views.evaluations;
      state.step = views.step;
      state.hessianDiagonal = views.hessianDiagonal;
      return result.params;
    } finally {
      closure.end();
    }
  };

  const optimizer: Optimizer<LbfgsOptimizerState> = {
    name: 'lbfgs',
    settable: ['learningRate'],
    init: (params) => ({
      iterations: 0,
      evaluations: 0,
      direction: new Float64Array(params.length),
      step: 0,
      previousGradient: new Float64Array(params.length),
      hessianDiagonal: 1,
      pairs: 0,
      gradientDifferences: new Float64Array(historySize * params.length),
      steps: new Float64Array(historySize * params.length),
      rho: new Float64Array(historySize),
    }),
    update(updates, state, params, ctx) {
      const next = step(updates, state, params, ctx);
      for (let i = 0; i < updates.length; i++) updates[i] = next[i]! - params[i]!;
    },
    describe: () => ({
      name: 'lbfgs',
      learningRate: typeof learningRate === 'number' ? learningRate : 'schedule',
      historySize,
      ...rest,
    }),
  };
  // The run loop prefers this: the new parameters are lbfgs's exactly (params + (x - params)
  // would round).
  return withFusedStep(optimizer, (updates, state: LbfgsOptimizerState, params, ctx) => {
    const next = step(updates, state, params, ctx);
    for (let i = 0; i < next.length; i++) if (!Number.isFinite(next[i]!)) return false;
    params.set(next);
    return true;
  });
}
