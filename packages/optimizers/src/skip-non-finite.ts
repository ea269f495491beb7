import { allFinite, type GradientTransformation, type Optimizer } from '@downhill/core';
import { describeTransform, settableOf } from './chain.js';

/** State of {@link skipNonFinite}. */
export interface SkipNonFiniteState<S> {
  inner: S;
  /** Updates skipped so far. */
  skipped: number;
  /** Updates skipped in a row up to now (0 after a finite one). */
  consecutive: number;
}

/**
 * Skips updates that are not finite, counting them (as Optax's `apply_if_finite`): a gradient with
 * a NaN or infinite entry is not passed to `inner` (whose state is left as it was) and the update
 * is zero; an update that `inner` makes non-finite from a finite gradient is zeroed too (inner's
 * state has then advanced). After `maxConsecutive` skips in a row the non-finite update is let
 * through, so that the run loop reports the divergence instead of stalling forever.
 * (`train` itself ends a run whose gradient is non-finite; this wrapper is for update pipelines
 * where an occasional overflow must not end it, such as a non-finite result of `inner`.)
 */
export function skipNonFinite<S>(
  inner: GradientTransformation<S>,
  options: { readonly maxConsecutive?: number } = {},
): Optimizer<SkipNonFiniteState<S>> {
  const maxConsecutive = options.maxConsecutive ?? Number.POSITIVE_INFINITY;
  if (!(maxConsecutive >= 0))
    throw new RangeError(`skipNonFinite: maxConsecutive must be >= 0, got ${maxConsecutive}`);
  const skip = (updates: Float64Array, state: SkipNonFiniteState<S>): boolean => {
    if (state.consecutive >= maxConsecutive) return false;
    updates.fill(0);
    state.skipped++;
    state.consecutive++;
    return true;
  };
  return {
    name: 'skipNonFinite',
    settable: settableOf([inner]),
    init: (params) => ({ inner: inner.init(params), skipped: 0, consecutive: 0 }),
    update(updates, state, params, context) {
      if (!allFinite(updates) && skip(updates, state)) return;
      inner.update(updates, state.inner, params, context);
      if (!allFinite(updates) && skip(updates, state)) return;
      state.consecutive = 0;
    },
    describe: () => ({ name: 'skipNonFinite', maxConsecutive, inner: describeTransform(inner) }),
  };
}
