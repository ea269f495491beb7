import type { Optimizer, ScheduleLike } from '@downhill/core';
import { addDecayedWeights } from './add-decayed-weights.js';
import { chain, named } from './chain.js';
import { ascendIf } from './maximize.js';
import { scaleByLearningRate } from './scale-by-learning-rate.js';
import { scaleByLion } from './scale-by-lion.js';
import { checkLearningRate, checkNonNegative, checkUnitInterval } from './validate.js';

/** Options of {@link lion}. Defaults are the paper's. */
export interface LionOptimizerOptions {
  /** Default 1e-4; live-settable. */
  readonly learningRate?: ScheduleLike;
  /** Default 0.9. */
  readonly beta1?: number;
  /** Default 0.99. */
  readonly beta2?: number;
  /** Decoupled weight decay, live-settable. Default 0. */
  readonly weightDecay?: ScheduleLike;
  readonly maximize?: boolean;
}

/**
 * Lion, EvoLved Sign Momentum (Chen et al., 2023, "Symbolic Discovery of Optimization
 * Algorithms", Algorithm 2):
 *
 *   c_t = b1 m_{t-1} + (1 - b1) g_t;   p_t = p_{t-1} - lr (sign(c_t) + wd p_{t-1});
 *   m_t = b2 m_{t-1} + (1 - b2) g_t.
 *
 * PyTorch has no Lion; this follows the paper. Chain: [maximize], scaleByLion, addDecayedWeights,
 * scaleByLearningRate.
 */
export function lion(options: LionOptimizerOptions = {}): Optimizer<unknown[]> {
  const learningRate = options.learningRate ?? 1e-4;
  const beta1 = options.beta1 ?? 0.9;
  const beta2 = options.beta2 ?? 0.99;
  const weightDecay = options.weightDecay ?? 0;
  const ascend = options.maximize ?? false;
  checkLearningRate('lion', learningRate);
  checkUnitInterval('lion', 'beta1', beta1, true);
  checkUnitInterval('lion', 'beta2', beta2, true);
  checkNonNegative('lion', 'weightDecay', weightDecay);
  return named(
    'lion',
    { learningRate, beta1, beta2, weightDecay, maximize: ascend },
    chain(
      ...ascendIf(ascend),
      scaleByLion({ beta1, beta2 }),
      addDecayedWeights(weightDecay),
      scaleByLearningRate(learningRate),
    ),
  );
}
