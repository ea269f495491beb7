import type { GradientTransformation, Optimizer } from '@downhill/core';
import { describeTransform, settableOf } from './chain.js';
import { checkInteger, checkUnitInterval } from './validate.js';

/** Options of {@link lookahead}. */
export interface LookaheadOptions {
  /** Inner (fast) steps between synchronisations. Default 5. */
  readonly k?: number;
  /** Slow-weight step size alpha in [0, 1]. Default 0.5. */
  readonly alpha?: number;
}

/** State of {@link lookahead}. */
export interface LookaheadState<S> {
  inner: S;
  /** The slow weights phi. */
  slow: Float64Array;
  /** Inner steps taken. */
  count: number;
}

/**
 * Lookahead (Zhang, Lucas, Hinton & Ba, 2019, "Lookahead Optimizer: k steps forward, 1 step
 * back"): the inner optimizer moves the fast weights theta; every k steps the slow weights move
 * towards them and the fast weights restart from there:
 *
 *   phi <- phi + alpha (theta - phi),   theta <- phi.
 *
 * The run's parameters are the fast weights. On a synchronising step the update is rewritten to
 * `phi - params`, so that the run loop's `params += u` lands on phi (to within rounding).
 */
export function lookahead<S>(
  inner: GradientTransformation<S>,
  options: LookaheadOptions = {},
): Optimizer<LookaheadState<S>> {
  const k = options.k ?? 5;
  const alpha = options.alpha ?? 0.5;
  checkInteger('lookahead', 'k', k, 1);
  checkUnitInterval('lookahead', 'alpha', alpha, true);
  return {
    name: 'lookahead',
    settable: settableOf([inner]),
    init: (params) => ({ inner: inner.init(params), slow: Float64Array.from(params), count: 0 }),
    update(updates, state, params, context) {
      inner.update(updates, state.inner, params, context);
      state.count++;
      if (state.count % k !== 0) return;
      const slow = state.slow;
      const n = updates.length;
      for (let i = 0; i < n; i++) {
        const p = params[i]!;
        const fast = p + updates[i]!;
        const phi = slow[i]! + alpha * (fast - slow[i]!);
        slow[i] = phi;
        updates[i] = phi - p;
      }
    },
    describe: () => ({ name: 'lookahead', k, alpha, inner: describeTransform(inner) }),
  };
}
