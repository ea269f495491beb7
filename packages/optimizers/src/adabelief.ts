import type { Optimizer, ScheduleLike } from '@downhill/core';
import { addDecayedWeights } from './add-decayed-weights.js';
import { chain, named } from './chain.js';
import { ascendIf } from './maximize.js';
import { scaleByBelief } from './scale-by-belief.js';
import { scaleByLearningRate } from './scale-by-learning-rate.js';
import { checkLearningRate, checkNonNegative, checkUnitInterval } from './validate.js';

/** Options of {@link adabelief}. */
export interface AdabeliefOptions {
  /** Live-settable. Default 1e-3. */
  readonly learningRate?: ScheduleLike;
  /** Live-settable. Default 0.9. */
  readonly beta1?: number;
  /** Live-settable. Default 0.999. */
  readonly beta2?: number;
  /** Default 1e-16 (the authors' default since adabelief-pytorch 0.1). */
  readonly eps?: number;
  /** Decoupled weight decay (the authors' `weight_decouple`), live-settable. Default 0. */
  readonly weightDecay?: ScheduleLike;
  readonly maximize?: boolean;
}

/**
 * AdaBelief (Zhuang et al., NeurIPS 2020), Algorithm 2 of the paper:
 *
 *   m_t = b1 m + (1 - b1) g;   s_t = b2 s + (1 - b2) (g - m_t)^2 + eps;
 *   p_t = p_{t-1} - lr ((m_t / (1 - b1^t)) / (sqrt(s_t / (1 - b2^t)) + eps) + wd p_{t-1}).
 *
 * Chain: [maximize], scaleByBelief, addDecayedWeights, scaleByLearningRate. Without the
 * authors' optional rectification (RAdam's) and gradient-norm tricks.
 */
export function adabelief(options: AdabeliefOptions = {}): Optimizer<unknown[]> {
  const { learningRate = 1e-3, beta1 = 0.9, beta2 = 0.999, eps = 1e-16, weightDecay = 0 } = options;
  const ascend = options.maximize ?? false;
  checkLearningRate('adabelief', learningRate);
  checkUnitInterval('adabelief', 'beta1', beta1);
  checkUnitInterval('adabelief', 'beta2', beta2);
  checkNonNegative('adabelief', 'eps', eps);
  checkNonNegative('adabelief', 'weightDecay', weightDecay);
  return named(
    'adabelief',
    { learningRate, beta1, beta2, eps, weightDecay, maximize: ascend },
    chain(
      ...ascendIf(ascend),
      scaleByBelief({ beta1, beta2, eps }),
      addDecayedWeights(weightDecay),
      scaleByLearningRate(learningRate),
    ),
  );
}
