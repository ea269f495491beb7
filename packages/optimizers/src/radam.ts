import type { Optimizer, ScheduleLike } from '@downhill/core';
import { addDecayedWeights } from './add-decayed-weights.js';
import { addWeightDecay } from './add-weight-decay.js';
import { chain, named } from './chain.js';
import { ascendIf } from './maximize.js';
import { scaleByLearningRate } from './scale-by-learning-rate.js';
import { scaleByRadam } from './scale-by-radam.js';
import { checkLearningRate, checkNonNegative, checkUnitInterval } from './validate.js';

/** Options of {@link radam}. Defaults are PyTorch's. */
export interface RadamOptimizerOptions {
  /** Default 1e-3; live-settable. */
  readonly learningRate?: ScheduleLike;
  readonly beta1?: number;
  readonly beta2?: number;
  /** Default 1e-8. */
  readonly eps?: number;
  /** Weight decay, live-settable. Default 0. */
  readonly weightDecay?: ScheduleLike;
  /** Decoupled (AdamW-style) weight decay instead of L2. Default false. */
  readonly decoupledWeightDecay?: boolean;
  readonly maximize?: boolean;
}

/**
 * RAdam (Liu et al., 2020, "On the Variance of the Adaptive Learning Rate and Beyond"), as
 * PyTorch's `torch.optim.RAdam`: Adam with its adaptive step rectified by r_t while the variance
 * of the adaptive rate is tractable (rho_t > 5), and bias-corrected momentum SGD before that
 * (see {@link scaleByRadam} for the formulas).
 *
 * Chain: [maximize], addWeightDecay, scaleByRadam, scaleByLearningRate (or addDecayedWeights after
 * scaleByRadam with `decoupledWeightDecay`).
 */
export function radam(options: RadamOptimizerOptions = {}): Optimizer<unknown[]> {
  const learningRate = options.learningRate ?? 1e-3;
  const beta1 = options.beta1 ?? 0.9;
  const beta2 = options.beta2 ?? 0.999;
  const eps = options.eps ?? 1e-8;
  const weightDecay = options.weightDecay ?? 0;
  const decoupled = options.decoupledWeightDecay ?? false;
  const ascend = options.maximize ?? false;
  checkLearningRate('radam', learningRate);
  checkUnitInterval('radam', 'beta1', beta1);
  checkUnitInterval('radam', 'beta2', beta2);
  checkNonNegative('radam', 'eps', eps);
  checkNonNegative('radam', 'weightDecay', weightDecay);
  const moments = scaleByRadam({ beta1, beta2, eps });
  return named(
    'radam',
    { learningRate, beta1, beta2, eps, weightDecay, decoupledWeightDecay: decoupled, maximize: ascend },
    decoupled
      ? chain(...ascendIf(ascend), moments, addDecayedWeights(weightDecay), scaleByLearningRate(learningRate))
      : chain(...ascendIf(ascend), addWeightDecay(weightDecay), moments, scaleByLearningRate(learningRate)),
  );
}
