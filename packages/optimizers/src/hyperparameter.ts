import { type ScheduleLike, type UpdateContext, valueAt } from '@downhill/core';

/**
 * The value of a live hyperparameter for this update: the run's override (set through its
 * control path with a `set` command) when there is one, else `fallback` (a number or a
 * `step -> value` schedule evaluated at `context.step`). The value used is written into
 * `context.current[name]`, which the run's `step` event reports.
 */
export function resolveHyperparameter(context: UpdateContext, name: string, fallback: ScheduleLike): number {
  const override = context.overrides[name];
  const value = override !== undefined ? override : valueAt(fallback, context.step);
  context.current[name] = value;
  return value;
}
