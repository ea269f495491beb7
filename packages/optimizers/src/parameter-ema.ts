import type { GradientTransformation } from '@downhill/core';
import type { AveragingOptimizer, AveragingState } from './averaging-optimizer.js';
import { describeTransform, settableOf } from './chain.js';
import { checkInteger, checkUnitInterval } from './validate.js';

/** Options of {@link parameterEma}. */
export interface ParameterEmaOptions {
  /** Decay d in [0, 1]: the weight of the old average. Default 0.999. */
  readonly decay?: number;
  /** First step whose parameters enter the average. Default 0. */
  readonly start?: number;
}

/**
 * Exponential moving average of the parameters (Polyak-Ruppert style averaging with exponential
 * weights; used e.g. by Tan & Le, 2019, EfficientNet): the first parameters after `start` are
 * copied, then after every update
 *
 *   w_ema <- d w_ema + (1 - d) w,
 *
 * as PyTorch's `AveragedModel` with `get_ema_multi_avg_fn(d)`. The run's parameters are not
 * replaced: evaluate with {@link averagedParams} or the wrapper's `averagedParams()`.
 */
export function parameterEma<S>(
  inner: GradientTransformation<S>,
  options: ParameterEmaOptions = {},
): AveragingOptimizer<S> {
  const decay = options.decay ?? 0.999;
  const start = options.start ?? 0;
  checkUnitInterval('parameterEma', 'decay', decay, true);
  checkInteger('parameterEma', 'start', start, 0);
  let last: AveragingState<S> | undefined;
  return {
    name: 'parameterEma',
    settable: settableOf([inner]),
    init: (params) => ({ inner: inner.init(params), average: Float64Array.from(params), averaged: 0 }),
    update(updates, state, params, context) {
      last = state;
      inner.update(updates, state.inner, params, context);
      if (context.step < start) return;
      const avg = state.average;
      const n = updates.length;
      if (state.averaged++ === 0) {
        for (let i = 0; i < n; i++) avg[i] = params[i]! + updates[i]!;
      } else {
        const keep = 1 - decay;
        for (let i = 0; i < n; i++) avg[i] = decay * avg[i]! + keep * (params[i]! + updates[i]!);
      }
    },
    averagedParams: () => (last && last.averaged > 0 ? last.average : undefined),
    describe: () => ({ name: 'parameterEma', decay, start, inner: describeTransform(inner) }),
  };
}
