import type { Optimizer, ScheduleLike } from '@downhill/core';
import { weightDecayTerm } from './weight-decay-term.js';

/**
 * Coupled L2 weight decay: `u <- u + wd * params`, the gradient of (wd / 2) ||params||^2, placed
 * before the preconditioner so that it is scaled with the gradient (PyTorch's `weight_decay` in
 * SGD, Adam, RMSprop, Adagrad ...). `wd` is live-settable as `weightDecay`. Stateless.
 */
export function addWeightDecay(weightDecay: ScheduleLike): Optimizer<Record<string, never>> {
  return weightDecayTerm('addWeightDecay', weightDecay);
}
