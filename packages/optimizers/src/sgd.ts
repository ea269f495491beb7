import type { Optimizer, ScheduleLike } from '@downhill/core';
import { addWeightDecay } from './add-weight-decay.js';
import { chain, named } from './chain.js';
import { ascendIf } from './maximize.js';
import { scaleByLearningRate } from './scale-by-learning-rate.js';
import { trace } from './trace.js';
import { checkLearningRate, checkNonNegative, checkThat, checkUnitInterval } from './validate.js';

/** Options of {@link sgd}. Defaults are PyTorch's. */
export interface SgdOptions {
  /** Learning rate (number or schedule), live-settable. Default 1e-3. */
  readonly learningRate?: ScheduleLike;
  /**
   * Momentum factor, live-settable: a number or a schedule (e.g. `oneCycle`'s momentum, which
   * PyTorch's OneCycleLR cycles for SGD). Default 0.
   */
  readonly momentum?: ScheduleLike;
  /** Dampening of the gradient entering the momentum buffer, in [0, 1]. Default 0. */
  readonly dampening?: number;
  /** Nesterov momentum (needs momentum > 0, dampening 0). Default false. */
  readonly nesterov?: boolean;
  /** Coupled L2 weight decay, live-settable. Default 0. */
  readonly weightDecay?: ScheduleLike;
  /** Ascend instead of descend. Default false. */
  readonly maximize?: boolean;
}

/**
 * Stochastic gradient descent with optional momentum, as PyTorch's `torch.optim.SGD`
 * (Robbins & Monro, 1951; momentum: Polyak, 1964; Nesterov form: Sutskever et al., 2013):
 *
 *   g_t <- g_t + wd p_{t-1};   b_1 = g_1,  b_t = mu b_{t-1} + (1 - d) g_t;
 *   p_t = p_{t-1} - lr (g_t + mu b_t)  (Nesterov)   or   p_{t-1} - lr b_t   (mu > 0)   or   p_{t-1} - lr g_t.
 *
 * Chain: [maximize], addWeightDecay, trace, scaleByLearningRate. Live: learningRate, momentum,
 * weightDecay. Keras keeps `v = mu v - lr g` (the learning rate inside the buffer), which gives
 * the same steps at a constant learning rate but differs when it changes; TF.js's momentum
 * optimizer matches PyTorch (without dampening or weight decay).
 */
export function sgd(options: SgdOptions = {}): Optimizer<unknown[]> {
  const learningRate = options.learningRate ?? 1e-3;
  const momentum = options.momentum ?? 0;
  const dampening = options.dampening ?? 0;
  const nesterov = options.nesterov ?? false;
  const weightDecay = options.weightDecay ?? 0;
  const ascend = options.maximize ?? false;
  checkLearningRate('sgd', learningRate);
  checkNonNegative('sgd', 'momentum', momentum);
  checkUnitInterval('sgd', 'dampening', dampening, true);
  checkNonNegative('sgd', 'weightDecay', weightDecay);
  if (nesterov) {
    if (typeof momentum === 'number')
      checkThat('sgd', 'momentum', momentum > 0, '> 0 when nesterov is true', momentum);
    checkThat('sgd', 'dampening', dampening === 0, '0 when nesterov is true', dampening);
  }
  return named(
    'sgd',
    { learningRate, momentum, dampening, nesterov, weightDecay, maximize: ascend },
    chain(
      ...ascendIf(ascend),
      addWeightDecay(weightDecay),
      trace({ momentum, dampening, nesterov }),
      scaleByLearningRate(learningRate),
    ),
  );
}
