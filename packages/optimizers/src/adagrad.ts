import type { Optimizer, ScheduleLike } from '@downhill/core';
import { addWeightDecay } from './add-weight-decay.js';
import { chain, named } from './chain.js';
import { ascendIf } from './maximize.js';
import { scaleByAdagrad } from './scale-by-adagrad.js';
import { scaleByLearningRate } from './scale-by-learning-rate.js';
import { checkLearningRate, checkNonNegative } from './validate.js';

/** Options of {@link adagrad}. Defaults are PyTorch's. */
export interface AdagradOptimizerOptions {
  /** Default 0.01; live-settable. */
  readonly learningRate?: ScheduleLike;
  /** The step is divided by 1 + (t - 1) lrDecay. Default 0. */
  readonly lrDecay?: number;
  /** Coupled L2 weight decay, live-settable. Default 0. */
  readonly weightDecay?: ScheduleLike;
  /** Starting sum of squared gradients. Default 0 (Keras and TF.js: 0.1). */
  readonly initialAccumulator?: number;
  /** Default 1e-10. */
  readonly eps?: number;
  readonly maximize?: boolean;
}

/**
 * Adagrad (Duchi, Hazan & Singer, 2011, "Adaptive Subgradient Methods for Online Learning and
 * Stochastic Optimization"), as PyTorch's `torch.optim.Adagrad`:
 *
 *   g_t <- g_t + wd p_{t-1};  G_t = G_{t-1} + g_t^2;
 *   p_t = p_{t-1} - lr / (1 + (t - 1) lrDecay) * g_t / (sqrt(G_t) + eps).
 *
 * Chain: [maximize], addWeightDecay, scaleByAdagrad, scaleByLearningRate. Keras and TF.js put eps
 * inside the root and start the accumulator at 0.1.
 */
export function adagrad(options: AdagradOptimizerOptions = {}): Optimizer<unknown[]> {
  const learningRate = options.learningRate ?? 0.01;
  const weightDecay = options.weightDecay ?? 0;
  const ascend = options.maximize ?? false;
  const lrDecay = options.lrDecay ?? 0;
  const initialAccumulator = options.initialAccumulator ?? 0;
  const eps = options.eps ?? 1e-10;
  checkLearningRate('adagrad', learningRate);
  checkNonNegative('adagrad', 'weightDecay', weightDecay);
  checkNonNegative('adagrad', 'lrDecay', lrDecay);
  checkNonNegative('adagrad', 'initialAccumulator', initialAccumulator);
  checkNonNegative('adagrad', 'eps', eps);
  return named(
    'adagrad',
    { learningRate, lrDecay, weightDecay, initialAccumulator, eps, maximize: ascend },
    chain(
      ...ascendIf(ascend),
      addWeightDecay(weightDecay),
      scaleByAdagrad({ initialAccumulator, eps, lrDecay }),
      scaleByLearningRate(learningRate),
    ),
  );
}
