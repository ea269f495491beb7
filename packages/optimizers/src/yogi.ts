import type { Optimizer, ScheduleLike } from '@downhill/core';
import { chain, named } from './chain.js';
import { ascendIf } from './maximize.js';
import { scaleByLearningRate } from './scale-by-learning-rate.js';
import { scaleByYogi } from './scale-by-yogi.js';
import { checkLearningRate, checkNonNegative, checkUnitInterval } from './validate.js';

/** Options of {@link yogi}. Defaults are Optax's (the paper's lr 0.01, eps 1e-3). */
export interface YogiOptimizerOptions {
  /** Live-settable. Default 0.01. */
  readonly learningRate?: ScheduleLike;
  /** Live-settable. Default 0.9. */
  readonly beta1?: number;
  /** Live-settable. Default 0.999. */
  readonly beta2?: number;
  /** Default 1e-3. */
  readonly eps?: number;
  /** Initial value of both moments. Default 1e-6. */
  readonly initialAccumulator?: number;
  /** Optax's bias correction of both moments (true), or the paper's Algorithm 2 as printed. Default true. */
  readonly biasCorrection?: boolean;
  readonly maximize?: boolean;
}

/**
 * Yogi (Zaheer et al., NeurIPS 2018), as Optax's `yogi`:
 *
 *   m_t = b1 m + (1 - b1) g;   v_t = v - (1 - b2) sign(v - g^2) g^2;
 *   p_t = p - lr (m_t / (1 - b1^t)) / (sqrt(v_t / (1 - b2^t)) + eps)   (no corrections: the paper).
 *
 * Chain: [maximize], scaleByYogi, scaleByLearningRate.
 */
export function yogi(options: YogiOptimizerOptions = {}): Optimizer<unknown[]> {
  const { learningRate = 0.01, beta1 = 0.9, beta2 = 0.999, eps = 1e-3, initialAccumulator = 1e-6 } = options;
  const ascend = options.maximize ?? false;
  const biasCorrection = options.biasCorrection ?? true;
  checkLearningRate('yogi', learningRate);
  checkUnitInterval('yogi', 'beta1', beta1);
  checkUnitInterval('yogi', 'beta2', beta2);
  checkNonNegative('yogi', 'eps', eps);
  checkNonNegative('yogi', 'initialAccumulator', initialAccumulator);
  return named(
    'yogi',
    { learningRate, beta1, beta2, eps, initialAccumulator, biasCorrection, maximize: ascend },
    chain(
      ...ascendIf(ascend),
      scaleByYogi({ beta1, beta2, eps, initialAccumulator, biasCorrection }),
      scaleByLearningRate(learningRate),
    ),
  );
}
