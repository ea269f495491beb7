import type { Optimizer, ScheduleLike } from '@downhill/core';
import { addWeightDecay } from './add-weight-decay.js';
import { chain, named } from './chain.js';
import { ascendIf } from './maximize.js';
import { scaleByAdadelta } from './scale-by-adadelta.js';
import { scaleByLearningRate } from './scale-by-learning-rate.js';
import { checkLearningRate, checkNonNegative, checkUnitInterval } from './validate.js';

/** Options of {@link adadelta}. Defaults are PyTorch's. */
export interface AdadeltaOptimizerOptions {
  /** Multiplier of the Adadelta step. Default 1 (Keras and TF.js: 0.001); live-settable. */
  readonly learningRate?: ScheduleLike;
  /** Default 0.9 (Keras and TF.js: 0.95). */
  readonly rho?: number;
  /** Default 1e-6 (Keras and TF.js: 1e-7). */
  readonly eps?: number;
  /** Coupled L2 weight decay, live-settable. Default 0. */
  readonly weightDecay?: ScheduleLike;
  readonly maximize?: boolean;
}

/**
 * Adadelta (Zeiler, 2012, "ADADELTA: An Adaptive Learning Rate Method"), as PyTorch's
 * `torch.optim.Adadelta`:
 *
 *   g_t <- g_t + wd p;  E[g^2]_t = rho E[g^2] + (1 - rho) g_t^2;
 *   dx_t = sqrt(E[dx^2]_{t-1} + eps) / sqrt(E[g^2]_t + eps) g_t;  E[dx^2]_t = rho E[dx^2] + (1 - rho) dx_t^2;
 *   p_t = p_{t-1} - lr dx_t.
 *
 * Chain: [maximize], addWeightDecay, scaleByAdadelta, scaleByLearningRate. TF.js divides by the
 * previous average `sqrt(E[g^2]_{t-1} + eps)` instead (see {@link scaleByAdadelta}).
 */
export function adadelta(options: AdadeltaOptimizerOptions = {}): Optimizer<unknown[]> {
  const learningRate = options.learningRate ?? 1;
  const rho = options.rho ?? 0.9;
  const eps = options.eps ?? 1e-6;
  const weightDecay = options.weightDecay ?? 0;
  const ascend = options.maximize ?? false;
  checkLearningRate('adadelta', learningRate);
  checkUnitInterval('adadelta', 'rho', rho, true);
  checkNonNegative('adadelta', 'eps', eps);
  checkNonNegative('adadelta', 'weightDecay', weightDecay);
  return named(
    'adadelta',
    { learningRate, rho, eps, weightDecay, maximize: ascend },
    chain(
      ...ascendIf(ascend),
      addWeightDecay(weightDecay),
      scaleByAdadelta({ rho, eps }),
      scaleByLearningRate(learningRate),
    ),
  );
}
