import type { Optimizer, ScheduleLike } from '@downhill/core';
import { resolveHyperparameter } from './hyperparameter.js';
import { checkNonNegative } from './validate.js';

/**
 * Coupled L2 weight decay: `u <- u + wd * params`, the gradient of (wd / 2) ||params||^2, placed
 * before the preconditioner so that it is scaled with the gradient (PyTorch's `weight_decay` in
 * SGD, Adam, RMSprop, Adagrad ...). `wd` is live-settable as `weightDecay`. Stateless.
 */
export function addWeightDecay(weightDecay: ScheduleLike): Optimizer<Record<string, never>> {
  checkNonNegative('addWeightDecay', 'weightDecay', weightDecay);
  return {
    name: 'addWeightDecay',
    settable: ['weightDecay'],
    init: () => ({}),
    update(updates, _state, params, context) {
      const wd = resolveHyperparameter(context, 'weightDecay', weightDecay);
      if (wd === 0) return;
      const n = updates.length;
      for (let i = 0; i < n; i++) updates[i]! += wd * params[i]!;
    },
    describe: () => ({
      name: 'addWeightDecay',
      weightDecay: typeof weightDecay === 'number' ? weightDecay : 'schedule',
    }),
  };
}
