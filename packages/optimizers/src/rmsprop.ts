import type { Optimizer, ScheduleLike } from '@downhill/core';
import { addWeightDecay } from './add-weight-decay.js';
import { chain, named } from './chain.js';
import { ascendIf } from './maximize.js';
import { scaleByLearningRate } from './scale-by-learning-rate.js';
import { scaleByRms } from './scale-by-rms.js';
import { trace } from './trace.js';
import { checkLearningRate, checkNonNegative, checkUnitInterval } from './validate.js';

/** Options of {@link rmsprop}. Defaults are PyTorch's. */
export interface RmspropOptions {
  /** Default 0.01; live-settable. */
  readonly learningRate?: ScheduleLike;
  /** Smoothing constant in [0, 1]. Default 0.99 (Keras: rho = 0.9). */
  readonly alpha?: number;
  /** Default 1e-8. */
  readonly eps?: number;
  /** Coupled L2 weight decay, live-settable. Default 0. */
  readonly weightDecay?: ScheduleLike;
  /** Momentum on the scaled gradient, live-settable. Default 0. */
  readonly momentum?: number;
  /** Centered variant (Graves, 2013). Default false. */
  readonly centered?: boolean;
  /** eps inside the root, `g / sqrt(s + eps)` (Optax, TensorFlow, Keras). Default false (PyTorch). */
  readonly epsInsideSqrt?: boolean;
  readonly maximize?: boolean;
}

/**
 * RMSprop (Hinton, Srivastava & Swersky, 2012, Coursera "Neural Networks for Machine Learning",
 * lecture 6e), as PyTorch's `torch.optim.RMSprop`:
 *
 *   g_t <- g_t + wd p;  s_t = alpha s + (1 - alpha) g_t^2;  r_t = sqrt(s_t [- a_t^2]) + eps;
 *   b_t = mu b_{t-1} + g_t / r_t;   p_t = p_{t-1} - lr b_t   (b_t = g_t / r_t without momentum).
 *
 * Chain: [maximize], addWeightDecay, scaleByRms, trace, scaleByLearningRate. Keras and TF.js put
 * eps inside the root and multiply the learning rate into the momentum buffer
 * (`b = mu b + lr g / r`), which differs from this form when the learning rate changes.
 */
export function rmsprop(options: RmspropOptions = {}): Optimizer<unknown[]> {
  const learningRate = options.learningRate ?? 0.01;
  const alpha = options.alpha ?? 0.99;
  const eps = options.eps ?? 1e-8;
  const weightDecay = options.weightDecay ?? 0;
  const momentum = options.momentum ?? 0;
  const centered = options.centered ?? false;
  const epsInsideSqrt = options.epsInsideSqrt ?? false;
  const ascend = options.maximize ?? false;
  checkLearningRate('rmsprop', learningRate);
  checkUnitInterval('rmsprop', 'alpha', alpha, true);
  checkNonNegative('rmsprop', 'eps', eps);
  checkNonNegative('rmsprop', 'weightDecay', weightDecay);
  checkNonNegative('rmsprop', 'momentum', momentum);
  return named(
    'rmsprop',
    { learningRate, alpha, eps, weightDecay, momentum, centered, epsInsideSqrt, maximize: ascend },
    chain(
      ...ascendIf(ascend),
      addWeightDecay(weightDecay),
      scaleByRms({ alpha, eps, centered, epsInsideSqrt }),
      trace({ momentum }),
      scaleByLearningRate(learningRate),
    ),
  );
}
