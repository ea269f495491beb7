import type { Optimizer, ScheduleLike } from '@downhill/core';
import { resolveHyperparameter } from './hyperparameter.js';
import { checkLearningRate } from './validate.js';

/**
 * Scales the update by minus the learning rate: `u <- -lr_t * u`, the last transform of most
 * optimizers (so that the run loop's `params += u` descends). `lr_t` is the live override of
 * `learningRate` when set, else `learningRate` (a number or a `step -> value` schedule) at the step.
 * Stateless.
 */
export function scaleByLearningRate(learningRate: ScheduleLike): Optimizer<Record<string, never>> {
  checkLearningRate('scaleByLearningRate', learningRate);
  return {
    name: 'scaleByLearningRate',
    settable: ['learningRate'],
    init: () => ({}),
    update(updates, _state, _params, context) {
      const scale = -resolveHyperparameter(context, 'learningRate', learningRate);
      const n = updates.length;
      for (let i = 0; i < n; i++) updates[i]! *= scale;
    },
    describe: () => ({
      name: 'scaleByLearningRate',
      learningRate:
        typeof learningRate === 'number' ? learningRate : (learningRate.description ?? 'schedule'),
    }),
  };
}
