import type { Optimizer } from '@downhill/core';
import type { AdamOptions } from './adam.js';
import { addDecayedWeights } from './add-decayed-weights.js';
import { chain, named } from './chain.js';
import { ascendIf } from './maximize.js';
import { scaleByAdam } from './scale-by-adam.js';
import { scaleByLearningRate } from './scale-by-learning-rate.js';
import { checkDecayRate, checkLearningRate, checkNonNegative, checkUnitInterval } from './validate.js';

/**
 * AdamW (Loshchilov & Hutter, 2019, "Decoupled Weight Decay Regularization"), as PyTorch's
 * `torch.optim.AdamW` (default weight decay 0.01):
 *
 *   p_t = p_{t-1} - lr (mhat_t / (sqrt(vhat_t) + eps) + wd p_{t-1}),
 *
 * with mhat, vhat and eps as in {@link adam}: the decay does not pass through the moments.
 * Chain: [maximize], scaleByAdam, addDecayedWeights, scaleByLearningRate.
 */
export function adamw(options: AdamOptions = {}): Optimizer<unknown[]> {
  const learningRate = options.learningRate ?? 1e-3;
  const weightDecay = options.weightDecay ?? 0.01;
  const ascend = options.maximize ?? false;
  checkLearningRate('adamw', learningRate);
  checkNonNegative('adamw', 'weightDecay', weightDecay);
  checkDecayRate('adamw', 'beta1', options.beta1 ?? 0.9);
  checkUnitInterval('adamw', 'beta2', options.beta2 ?? 0.999);
  checkNonNegative('adamw', 'eps', options.eps ?? 1e-8);
  const { beta1 = 0.9, beta2 = 0.999, eps = 1e-8, amsgrad = false } = options;
  return named(
    'adamw',
    { learningRate, beta1, beta2, eps, amsgrad, weightDecay, maximize: ascend },
    chain(
      ...ascendIf(ascend),
      scaleByAdam({ beta1, beta2, eps, amsgrad }),
      addDecayedWeights(weightDecay),
      scaleByLearningRate(learningRate),
    ),
  );
}
