// Plain SGD on the core Optimizer contract for the tests (not exported; @downhill/optimizers is
// written separately). Reads the live override first, as every Downhill optimizer does.
import type { Optimizer, ScheduleLike } from '@downhill/core';
import { valueAt } from '@downhill/core';

/** updates = -lr * grad, with lr from `ctx.overrides.learningRate` or else the schedule. */
export function testSgd(learningRate: ScheduleLike): Optimizer<{ count: number }> {
  return {
    name: 'sgd',
    settable: ['learningRate'],
    init: () => ({ count: 0 }),
    update(updates, state, _params, ctx) {
      const lr = ctx.overrides.learningRate ?? valueAt(learningRate, ctx.step);
      ctx.current.learningRate = lr;
      for (let i = 0; i < updates.length; i++) updates[i] = -lr * updates[i]!;
      state.count++;
    },
    describe: () => ({ name: 'sgd' }),
  };
}
