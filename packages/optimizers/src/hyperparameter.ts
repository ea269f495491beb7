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

/**
 * {@link resolveHyperparameter} for a decay rate such as Adam's betas (a number or a schedule, as
 * PyTorch's one-cycle and cyclic schedulers cycle Adam's beta1): a live override or scheduled value outside
 * [0, 1) (or [0, 1] with `includeOne`) throws a RangeError naming `owner`, the parameter and the
 * range, which ends the run with an `error` event instead of silently producing NaN.
 */
export function resolveDecayRate(
  context: UpdateContext,
  owner: string,
  name: string,
  fallback: ScheduleLike,
  includeOne = false,
): number {
  const value = resolveHyperparameter(context, name, fallback);
  if (!(value >= 0 && (includeOne ? value <= 1 : value < 1))) {
    throw new RangeError(
      `${owner}: live ${name} must be in ${includeOne ? '[0, 1]' : '[0, 1)'}, got ${value} (set at step ${context.step})`,
    );
  }
  return value;
}
