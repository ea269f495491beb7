import type { GradientTransformation, Optimizer } from '@downhill/core';
import { describeTransform, settableOf } from './chain.js';
import { forward, innerContext } from './inner-context.js';
import { checkInteger } from './validate.js';

/** State of {@link accumulateGradients}. */
export interface AccumulateState<S> {
  inner: S;
  /** Sum of the gradients since the last applied update. */
  sum: Float64Array;
  /** Gradients summed so far in this group (0 to every - 1). */
  count: number;
}

/**
 * Gradient accumulation over `every` steps (Optax's `MultiSteps`): the gradients of `every`
 * consecutive steps are summed and their mean is passed to `inner` once, on the last step of each
 * group; the other steps produce a zero update. `inner` sees step `floor(step / every)`, so its
 * schedules count applied updates. Equivalent to a batch `every` times larger.
 */
export function accumulateGradients<S>(
  inner: GradientTransformation<S>,
  options: { readonly every: number },
): Optimizer<AccumulateState<S>> {
  const every = options.every;
  checkInteger('accumulateGradients', 'every', every, 1);
  const context = innerContext();
  return {
    name: 'accumulateGradients',
    settable: settableOf([inner]),
    init: (params) => ({ inner: inner.init(params), sum: new Float64Array(params.length), count: 0 }),
    update(updates, state, params, outer) {
      const sum = state.sum;
      const n = updates.length;
      if (state.count + 1 < every) {
        for (let i = 0; i < n; i++) {
          sum[i]! += updates[i]!;
          updates[i] = 0;
        }
        state.count++;
        return;
      }
      const mean = 1 / every;
      for (let i = 0; i < n; i++) {
        updates[i] = (sum[i]! + updates[i]!) * mean;
        sum[i] = 0;
      }
      state.count = 0;
      inner.update(updates, state.inner, params, forward(context, outer, Math.floor(outer.step / every)));
    },
    describe: () => ({ name: 'accumulateGradients', every, inner: describeTransform(inner) }),
  };
}
