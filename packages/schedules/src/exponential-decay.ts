import type { Schedule } from '@downhill/core';
import { checkParameter } from './check-parameter.js';
import { describedSchedule } from './described-schedule.js';

export interface ExponentialDecayOptions {
  /** Value at step 0. */
  readonly initial: number;
  /** Multiplier per `transitionSteps` steps (PyTorch `gamma`, Optax `decay_rate`), > 0. */
  readonly gamma: number;
  /** Steps over which the value is multiplied by `gamma` once; default 1 (PyTorch `ExponentialLR`). */
  readonly transitionSteps?: number;
  /** Steps to hold `initial` before decaying; default 0. */
  readonly transitionBegin?: number;
  /** Decay in whole multiples of `transitionSteps` (a staircase) instead of continuously. */
  readonly staircase?: boolean;
  /** Bound the decay: a floor when `gamma < 1`, a ceiling when `gamma > 1`. */
  readonly end?: number;
}

/**
 * Exponential decay, Optax `exponential_decay`:
 * `initial * gamma ^ (max(step - transitionBegin, 0) / transitionSteps)` (the exponent floored when
 * `staircase`), clipped at `end`. With the defaults it is PyTorch `ExponentialLR`:
 * `initial * gamma ^ step`.
 */
export function exponentialDecay(options: ExponentialDecayOptions): Schedule {
  const { initial, gamma, transitionSteps = 1, transitionBegin = 0, staircase = false, end } = options;
  const owner = 'exponentialDecay';
  checkParameter(owner, 'initial', initial);
  checkParameter(owner, 'gamma', gamma, { min: 0, minExclusive: true });
  checkParameter(owner, 'transitionSteps', transitionSteps, { integer: true, min: 1 });
  checkParameter(owner, 'transitionBegin', transitionBegin, { integer: true, min: 0 });
  if (end !== undefined) checkParameter(owner, 'end', end);
  const bound =
    end === undefined
      ? (v: number) => v
      : gamma < 1
        ? (v: number) => Math.max(v, end)
        : (v: number) => Math.min(v, end);
  return describedSchedule(
    (step) => {
      const count = Math.max(step - transitionBegin, 0);
      const p = staircase ? Math.floor(count / transitionSteps) : count / transitionSteps;
      return bound(initial * gamma ** p);
    },
    {
      name: 'exponentialDecay',
      initial,
      gamma,
      transitionSteps,
      transitionBegin,
      staircase,
      ...(end !== undefined ? { end } : {}),
    },
  );
}
