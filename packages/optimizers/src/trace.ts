import type { Optimizer, ScheduleLike } from '@downhill/core';
import { resolveHyperparameter } from './hyperparameter.js';
import { checkNonNegative, checkThat, checkUnitInterval } from './validate.js';

/** Options of {@link trace}. */
export interface TraceOptions {
  /** Momentum factor mu (live-settable as `momentum`): a number or a `step -> value` schedule. Default 0.9. */
  readonly momentum?: ScheduleLike;
  /** Dampening d in [0, 1]: the gradient enters the buffer scaled by 1 - d. Default 0. */
  readonly dampening?: number;
  /** Nesterov momentum (needs momentum > 0 and dampening 0). Default false. */
  readonly nesterov?: boolean;
}

/** State of {@link trace}: the momentum buffer, empty until momentum is first used. */
export interface TraceState {
  momentumBuffer: Float64Array;
}

/**
 * Heavy-ball / Nesterov momentum as PyTorch's SGD applies it (Polyak 1964; Sutskever et al. 2013):
 *
 *   b_1 = g_1,   b_t = mu * b_{t-1} + (1 - d) * g_t,
 *   u_t = g_t + mu * b_t  (Nesterov)   or   u_t = b_t.
 *
 * The first buffer is the gradient itself, undamped. With mu = 0 the update passes through and
 * the buffer is not touched; the buffer is allocated the first time momentum is non-zero (so a
 * live `set momentum` on a run started without momentum works as in PyTorch). TF.js uses this
 * form without dampening; Keras keeps `v = mu v - lr g` (the learning rate inside the buffer),
 * which differs from it when the learning rate changes.
 */
export function trace(options: TraceOptions = {}): Optimizer<TraceState> {
  const momentum = options.momentum ?? 0.9;
  const dampening = options.dampening ?? 0;
  const nesterov = options.nesterov ?? false;
  checkNonNegative('trace', 'momentum', momentum);
  checkUnitInterval('trace', 'dampening', dampening, true);
  if (nesterov) {
    if (typeof momentum === 'number')
      checkThat('trace', 'momentum', momentum > 0, '> 0 when nesterov is true', momentum);
    checkThat('trace', 'dampening', dampening === 0, '0 when nesterov is true', dampening);
  }
  return {
    name: 'trace',
    settable: ['momentum'],
    init: () => ({ momentumBuffer: new Float64Array(0) }),
    update(updates, state, _params, context) {
      const mu = resolveHyperparameter(context, 'momentum', momentum);
      if (mu === 0) return;
      const n = updates.length;
      const b = state.momentumBuffer;
      if (b.length !== n) {
        // First use of momentum: PyTorch starts the buffer at the gradient.
        state.momentumBuffer = Float64Array.from(updates);
        if (nesterov) for (let i = 0; i < n; i++) updates[i]! += mu * updates[i]!;
        return;
      }
      const keep = 1 - dampening;
      if (nesterov) {
        for (let i = 0; i < n; i++) {
          const g = updates[i]!;
          const v = mu * b[i]! + keep * g;
          b[i] = v;
          updates[i] = g + mu * v;
        }
      } else {
        for (let i = 0; i < n; i++) {
          const v = mu * b[i]! + keep * updates[i]!;
          b[i] = v;
          updates[i] = v;
        }
      }
    },
    describe: () => ({
      name: 'trace',
      momentum: typeof momentum === 'number' ? momentum : (momentum.description ?? 'schedule'),
      dampening,
      nesterov,
    }),
  };
}
