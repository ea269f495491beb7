import type { Optimizer, ScheduleLike } from '@downhill/core';
import { resolveHyperparameter } from './hyperparameter.js';
import { checkNonNegative } from './validate.js';

/**
 * `u <- u + wd * params`, with `wd` live-settable as `weightDecay`: the one operation behind both
 * coupled and decoupled weight decay, which differ only in where they sit in a chain.
 */
export function weightDecayTerm(name: string, weightDecay: ScheduleLike): Optimizer<Record<string, never>> {
  checkNonNegative(name, 'weightDecay', weightDecay);
  return {
    name,
    settable: ['weightDecay'],
    init: () => ({}),
    update(updates, _state, params, context) {
      const wd = resolveHyperparameter(context, 'weightDecay', weightDecay);
      if (wd === 0) return;
      const n = updates.length;
      for (let i = 0; i < n; i++) updates[i]! += wd * params[i]!;
    },
    describe: () => ({ name, weightDecay: typeof weightDecay === 'number' ? weightDecay : 'schedule' }),
  };
}
