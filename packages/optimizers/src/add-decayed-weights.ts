import type { Optimizer, ScheduleLike } from '@downhill/core';
import { resolveHyperparameter } from './hyperparameter.js';
import { checkNonNegative } from './validate.js';

/**
 * Decoupled weight decay (Loshchilov & Hutter, 2019, "Decoupled Weight Decay Regularization"):
 * `u <- u + wd * params`, placed after the preconditioner and before {@link scaleByLearningRate},
 * so that the step becomes `-lr (u + wd params)`: PyTorch's AdamW `p <- p (1 - lr wd) - lr u`,
 * with the decay following live changes of the learning rate. Keras' AdamW does the same; TF.js
 * has no AdamW. `wd` is live-settable as `weightDecay`. Stateless.
 */
export function addDecayedWeights(weightDecay: ScheduleLike): Optimizer<Record<string, never>> {
  checkNonNegative('addDecayedWeights', 'weightDecay', weightDecay);
  return {
    name: 'addDecayedWeights',
    settable: ['weightDecay'],
    init: () => ({}),
    update(updates, _state, params, context) {
      const wd = resolveHyperparameter(context, 'weightDecay', weightDecay);
      if (wd === 0) return;
      const n = updates.length;
      for (let i = 0; i < n; i++) updates[i]! += wd * params[i]!;
    },
    describe: () => ({
      name: 'addDecayedWeights',
      weightDecay: typeof weightDecay === 'number' ? weightDecay : 'schedule',
    }),
  };
}
