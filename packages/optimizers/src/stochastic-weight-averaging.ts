import { type GradientTransformation, type ScheduleLike, valueAt } from '@downhill/core';
import type { AveragingOptimizer, AveragingState } from './averaging-optimizer.js';
import { describeTransform, settableOf } from './chain.js';
import { innerContext } from './inner-context.js';
import { checkInteger, checkLearningRate } from './validate.js';

/** Options of {@link stochasticWeightAveraging}. */
export interface SwaOptions {
  /** Step at which averaging (and the SWA learning rate) starts. */
  readonly start: number;
  /** Average the parameters every this many steps from `start` (PyTorch averages once per epoch). Default 1. */
  readonly every?: number;
  /**
   * Learning rate from `start` on (a number, or a schedule of the steps since `start`, e.g. an
   * anneal as PyTorch's `SWALR`); live-settable as `swaLearningRate`. It replaces the inner
   * optimizer's `learningRate` in the SWA phase. Omit it to keep the inner learning rate.
   */
  readonly learningRate?: ScheduleLike;
}

/**
 * Stochastic weight averaging (Izmailov, Podoprikhin, Garipov, Vetrov & Wilson, 2018, "Averaging
 * Weights Leads to Wider Optima and Better Generalization"): from step `start` on, the inner
 * optimizer runs with the SWA learning rate and every `every` steps the new parameters w join an
 * equal average:
 *
 *   w_swa <- w_swa + (w - w_swa) / (n + 1),   n <- n + 1.
 *
 * The run's parameters are not replaced: evaluate with {@link averagedParams} (or the wrapper's
 * `averagedParams()`). As PyTorch's `AveragedModel` + `SWALR`, minus batch-norm statistics.
 */
export function stochasticWeightAveraging<S>(
  inner: GradientTransformation<S>,
  options: SwaOptions,
): AveragingOptimizer<S> {
  const { start, learningRate } = options;
  const every = options.every ?? 1;
  checkInteger('stochasticWeightAveraging', 'start', start, 0);
  checkInteger('stochasticWeightAveraging', 'every', every, 1);
  if (learningRate !== undefined) checkLearningRate('stochasticWeightAveraging', learningRate);
  const context = innerContext();
  const swaOverrides: Record<string, number> = {};
  let last: AveragingState<S> | undefined;
  const settable = settableOf([inner]);
  return {
    name: 'stochasticWeightAveraging',
    settable: learningRate === undefined ? settable : [...settable, 'swaLearningRate'],
    init: (params) => ({ inner: inner.init(params), average: Float64Array.from(params), averaged: 0 }),
    update(updates, state, params, outer) {
      last = state;
      const t = outer.step;
      if (t >= start && learningRate !== undefined) {
        const override = outer.overrides.swaLearningRate;
        const lr = override !== undefined ? override : valueAt(learningRate, t - start);
        outer.current.swaLearningRate = lr;
        Object.assign(swaOverrides, outer.overrides);
        swaOverrides.learningRate = lr;
        context.step = t;
        context.loss = outer.loss;
        context.overrides = swaOverrides;
        context.current = outer.current;
        inner.update(updates, state.inner, params, context);
      } else {
        inner.update(updates, state.inner, params, outer);
      }
      if (t < start || (t - start + 1) % every !== 0) return;
      const n = ++state.averaged;
      const avg = state.average;
      const size = updates.length;
      if (n === 1) {
        for (let i = 0; i < size; i++) avg[i] = params[i]! + updates[i]!;
      } else {
        const w = 1 / n;
        for (let i = 0; i < size; i++) avg[i]! += (params[i]! + updates[i]! - avg[i]!) * w;
      }
    },
    averagedParams: () => (last && last.averaged > 0 ? last.average : undefined),
    describe: () => ({
      name: 'stochasticWeightAveraging',
      start,
      every,
      learningRate: typeof learningRate === 'function' ? 'schedule' : learningRate,
      inner: describeTransform(inner),
    }),
  };
}
