import type { Optimizer, ScheduleLike } from '@downhill/core';
import { addWeightDecay } from './add-weight-decay.js';
import { chain, named } from './chain.js';
import { ascendIf } from './maximize.js';
import { scaleByAdamax } from './scale-by-adamax.js';
import { scaleByLearningRate } from './scale-by-learning-rate.js';
import { checkLearningRate, checkNonNegative, checkUnitInterval } from './validate.js';

/** Options of {@link adamax}. Defaults are PyTorch's. */
export interface AdamaxOptimizerOptions {
  /** Default 2e-3; live-settable. */
  readonly learningRate?: ScheduleLike;
  readonly beta1?: number;
  readonly beta2?: number;
  /** Default 1e-8. */
  readonly eps?: number;
  /** Coupled L2 weight decay, live-settable. Default 0. */
  readonly weightDecay?: ScheduleLike;
  readonly maximize?: boolean;
}

/**
 * Adamax (Kingma & Ba, 2015, section 7.1), as PyTorch's `torch.optim.Adamax`:
 *
 *   g_t <- g_t + wd p;  m_t = b1 m + (1 - b1) g_t;  n_t = max(b2 n_{t-1}, |g_t| + eps);
 *   p_t = p_{t-1} - lr / (1 - b1^t) * m_t / n_t.
 *
 * Chain: [maximize], addWeightDecay, scaleByAdamax, scaleByLearningRate. Keras and TF.js add eps
 * to n_t in the denominator instead.
 */
export function adamax(options: AdamaxOptimizerOptions = {}): Optimizer<unknown[]> {
  const learningRate = options.learningRate ?? 2e-3;
  const beta1 = options.beta1 ?? 0.9;
  const beta2 = options.beta2 ?? 0.999;
  const eps = options.eps ?? 1e-8;
  const weightDecay = options.weightDecay ?? 0;
  const ascend = options.maximize ?? false;
  checkLearningRate('adamax', learningRate);
  checkUnitInterval('adamax', 'beta1', beta1);
  checkUnitInterval('adamax', 'beta2', beta2);
  checkNonNegative('adamax', 'eps', eps);
  checkNonNegative('adamax', 'weightDecay', weightDecay);
  return named(
    'adamax',
    { learningRate, beta1, beta2, eps, weightDecay, maximize: ascend },
    chain(
      ...ascendIf(ascend),
      addWeightDecay(weightDecay),
      scaleByAdamax({ beta1, beta2, eps }),
      scaleByLearningRate(learningRate),
    ),
  );
}
