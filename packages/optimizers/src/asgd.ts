import type { Optimizer, ScheduleLike } from '@downhill/core';
import { addWeightDecay } from './add-weight-decay.js';
import { chain, named } from './chain.js';
import { ascendIf } from './maximize.js';
import { type AsgdStepOptions, scaleByAsgd } from './scale-by-asgd.js';
import { checkNonNegative } from './validate.js';

/** Options of {@link asgd}. Defaults are PyTorch's. */
export interface AsgdOptions extends AsgdStepOptions {
  /** Coupled L2 weight decay, live-settable. Default 0. */
  readonly weightDecay?: ScheduleLike;
  /** Ascend instead of descend. Default false. */
  readonly maximize?: boolean;
}

/**
 * Averaged SGD as PyTorch's `torch.optim.ASGD` (lr 0.01, lambd 1e-4, alpha 0.75, t0 1e6):
 *
 *   g_t <- g_t + wd p;   p_t = p_{t-1} (1 - lambda eta_t) - eta_t g_t;
 *   eta_{t+1} = lr / (1 + lambda lr t)^alpha;   ax = mean of p_t over t >= t0 + 2 (p_t before).
 *
 * Chain: [maximize], addWeightDecay, {@link scaleByAsgd}. The run's parameters are the SGD
 * iterates; evaluate the average with `averagedParams(state)`.
 */
export function asgd(options: AsgdOptions = {}): Optimizer<unknown[]> {
  const { learningRate = 0.01, lambd = 1e-4, alpha = 0.75, t0 = 1e6 } = options;
  const weightDecay = options.weightDecay ?? 0;
  const ascend = options.maximize ?? false;
  checkNonNegative('asgd', 'weightDecay', weightDecay);
  return named(
    'asgd',
    { learningRate, lambd, alpha, t0, weightDecay, maximize: ascend },
    chain(...ascendIf(ascend), addWeightDecay(weightDecay), scaleByAsgd({ learningRate, lambd, alpha, t0 })),
  );
}
