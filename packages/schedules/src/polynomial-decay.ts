import type { Schedule } from '@downhill/core';
import { checkParameter } from './check-parameter.js';
import { describedSchedule } from './described-schedule.js';

export interface PolynomialDecayOptions {
  /** Value at the start of the transition. */
  readonly initial: number;
  /** Value at the end of the transition and after it; default 0 (PyTorch `PolynomialLR`). */
  readonly end?: number;
  /** Exponent, > 0; default 1. */
  readonly power?: number;
  /** Length of the transition (PyTorch `total_iters`, Optax `transition_steps`), an integer >= 1. */
  readonly transitionSteps: number;
  /** Steps to hold `initial` before the transition; default 0. */
  readonly transitionBegin?: number;
}

/**
 * Polynomial decay, Optax `polynomial_schedule`:
 * `(initial - end) * (1 - t / transitionSteps) ^ power + end` with
 * `t = clip(step - transitionBegin, 0, transitionSteps)`. With `end = 0` it is PyTorch
 * `PolynomialLR`: `initial * (1 - min(step, total_iters) / total_iters) ^ power`.
 */
export function polynomialDecay(options: PolynomialDecayOptions): Schedule {
  const { initial, end = 0, power = 1, transitionSteps, transitionBegin = 0 } = options;
  const owner = 'polynomialDecay';
  checkParameter(owner, 'initial', initial);
  checkParameter(owner, 'end', end);
  checkParameter(owner, 'power', power, { min: 0, minExclusive: true });
  checkParameter(owner, 'transitionSteps', transitionSteps, { integer: true, min: 1 });
  checkParameter(owner, 'transitionBegin', transitionBegin, { integer: true, min: 0 });
  return describedSchedule(
    (step) => {
      const t = Math.min(Math.max(step - transitionBegin, 0), transitionSteps);
      return (initial - end) * (1 - t / transitionSteps) ** power + end;
    },
    { name: 'polynomialDecay', initial, end, power, transitionSteps, transitionBegin },
  );
}
