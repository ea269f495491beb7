import type { Optimizer, ScheduleLike } from '@downhill/core';
import { chain, named } from './chain.js';
import { resolveDecayRate, resolveHyperparameter } from './hyperparameter.js';
import { ascendIf } from './maximize.js';
import { checkInteger, checkLearningRate, checkNonNegative, checkUnitInterval } from './validate.js';

/** Options of {@link scheduleFreeSgd} and {@link scheduleFreeAdamw}. */
export interface ScheduleFreeOptions {
  /** gamma, live-settable. Default 1 (SGD) / 0.0025 (AdamW), as the authors' package. */
  readonly learningRate?: ScheduleLike;
  /** beta: interpolation between the average x and the base iterate z, live-settable as `beta1`. Default 0.9. */
  readonly beta1?: number;
  /** AdamW only: second-moment decay, live-settable. Default 0.999. */
  readonly beta2?: number;
  /** AdamW only. Default 1e-8. */
  readonly eps?: number;
  /** Weight decay, evaluated at y, live-settable. Default 0. */
  readonly weightDecay?: ScheduleLike;
  /** Linear warmup of gamma over this many steps. Default 0. */
  readonly warmupSteps?: number;
  readonly maximize?: boolean;
}

/**
 * State of the schedule-free optimizers. The run's parameters are y, the point gradients are
 * taken at; `z` is the base (SGD/Adam) iterate and `average` is x, the point to evaluate. Named
 * as the averaging wrappers' state, so {@link averagedParams} returns x.
 */
export interface ScheduleFreeState {
  count: number;
  z: Float64Array;
  average: Float64Array;
  averaged: number;
  /** Sum of gamma_t^2 so far (the averaging weights). */
  weightSum: number;
  /** AdamW's second moment (empty for SGD). */
  secondMoment: Float64Array;
}

function scaleByScheduleFree(adam: boolean, options: ScheduleFreeOptions): Optimizer<ScheduleFreeState> {
  const owner = adam ? 'scheduleFreeAdamw' : 'scheduleFreeSgd';
  const learningRate = options.learningRate ?? (adam ? 0.0025 : 1);
  const beta1 = options.beta1 ?? 0.9;
  const beta2 = options.beta2 ?? 0.999;
  const eps = options.eps ?? 1e-8;
  const weightDecay = options.weightDecay ?? 0;
  const warmupSteps = options.warmupSteps ?? 0;
  checkLearningRate(owner, learningRate);
  checkUnitInterval(owner, 'beta1', beta1);
  checkUnitInterval(owner, 'beta2', beta2);
  checkNonNegative(owner, 'eps', eps);
  checkNonNegative(owner, 'weightDecay', weightDecay);
  checkInteger(owner, 'warmupSteps', warmupSteps, 0);
  return {
    name: owner,
    settable: adam
      ? ['learningRate', 'beta1', 'beta2', 'weightDecay']
      : ['learningRate', 'beta1', 'weightDecay'],
    init: (params) => ({
      count: 0,
      z: Float64Array.from(params),
      average: Float64Array.from(params),
      averaged: 0,
      weightSum: 0,
      secondMoment: new Float64Array(adam ? params.length : 0),
    }),
    update(updates, state, y, context) {
      const b1 = resolveDecayRate(context, owner, 'beta1', beta1);
      const b2 = adam ? resolveDecayRate(context, owner, 'beta2', beta2) : 0;
      const wd = resolveHyperparameter(context, 'weightDecay', weightDecay);
      const t = ++state.count;
      const warm = warmupSteps > 0 ? Math.min(1, t / warmupSteps) : 1;
      const gamma =
        resolveHyperparameter(context, 'learningRate', learningRate) *
        warm *
        (adam ? Math.sqrt(1 - b2 ** t) : 1);
      const weight = gamma * gamma;
      state.weightSum += weight;
      const c = state.weightSum > 0 ? weight / state.weightSum : 0;
      const z = state.z;
      const x = state.average;
      const v = state.secondMoment;
      const n = updates.length;
      for (let i = 0; i < n; i++) {
        let g = updates[i]!;
        if (adam) {
          const vi = b2 * v[i]! + (1 - b2) * g * g;
          v[i] = vi;
          g /= Math.sqrt(vi) + eps;
        }
        const yi = y[i]!;
        const zi = z[i]! - gamma * (g + wd * yi);
        const xi = (1 - c) * x[i]! + c * zi;
        z[i] = zi;
        x[i] = xi;
        updates[i] = (1 - b1) * zi + b1 * xi - yi;
      }
      state.averaged = t;
    },
    describe: () => ({
      name: owner,
      learningRate: typeof learningRate === 'number' ? learningRate : 'schedule',
      beta1,
      ...(adam ? { beta2, eps } : {}),
      warmupSteps,
    }),
  };
}

/**
 * Schedule-free SGD (Defazio, Yang, Mehta, Mishchenko, Khaled & Cutkosky, 2024, "The Road Less
 * Scheduled", Algorithm 1 without the Adam preconditioner): no learning-rate schedule, an online
 * average instead,
 *
 *   y_t = (1 - beta) z_t + beta x_t   (the gradient is taken here: the run's parameters),
 *   z_{t+1} = z_t - gamma_t (g(y_t) + wd y_t),
 *   x_{t+1} = (1 - c_{t+1}) x_t + c_{t+1} z_{t+1},   c_{t+1} = gamma_t^2 / sum_{i<=t} gamma_i^2,
 *
 * with gamma_t = gamma min(1, t / warmup). The evaluation-point swap: the run trains at y, but
 * the model to evaluate (validation metrics, the final result) is x. The authors' PyTorch code
 * swaps the parameters in place with `optimizer.eval()` / `optimizer.train()`; here the state
 * keeps x, read it with `averagedParams(state)` (e.g. in `spec.metrics`, or from the `end`
 * event's optimizer state), and the run's parameters stay y so training continues unchanged.
 */
export function scheduleFreeSgd(options: ScheduleFreeOptions = {}): Optimizer<unknown[]> {
  const ascend = options.maximize ?? false;
  return named(
    'scheduleFreeSgd',
    {
      learningRate: options.learningRate ?? 1,
      beta1: options.beta1 ?? 0.9,
      weightDecay: options.weightDecay ?? 0,
      warmupSteps: options.warmupSteps ?? 0,
      maximize: ascend,
    },
    chain(...ascendIf(ascend), scaleByScheduleFree(false, options)),
  );
}

/**
 * Schedule-free AdamW (Defazio et al., 2024, Algorithm 1): schedule-free SGD on the gradient
 * divided by Adam's root second moment, with gamma_t = gamma sqrt(1 - b2^t) min(1, t / warmup)
 * (bias correction folded into the step, so also into the averaging weights gamma_t^2), and the
 * decay wd y_t added after the preconditioner:
 *
 *   v_t = b2 v + (1 - b2) g^2;   z_{t+1} = z_t - gamma_t (g / (sqrt(v_t) + eps) + wd y_t).
 *
 * Evaluate at x = `averagedParams(state)`, as for {@link scheduleFreeSgd}.
 */
export function scheduleFreeAdamw(options: ScheduleFreeOptions = {}): Optimizer<unknown[]> {
  const ascend = options.maximize ?? false;
  return named(
    'scheduleFreeAdamw',
    {
      learningRate: options.learningRate ?? 0.0025,
      beta1: options.beta1 ?? 0.9,
      beta2: options.beta2 ?? 0.999,
      eps: options.eps ?? 1e-8,
      weightDecay: options.weightDecay ?? 0,
      warmupSteps: options.warmupSteps ?? 0,
      maximize: ascend,
    },
    chain(...ascendIf(ascend), scaleByScheduleFree(true, options)),
  );
}
