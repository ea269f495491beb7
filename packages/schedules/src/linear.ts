import type { Schedule } from '@downhill/core';
import { checkParameter } from './check-parameter.js';
import { describedSchedule } from './described-schedule.js';

export interface LinearOptions {
  /** Value at the start of the transition. */
  readonly initial: number;
  /** Value at the end of the transition and after it. */
  readonly end: number;
  /** Length of the transition, an integer >= 1. */
  readonly transitionSteps: number;
  /** Steps to hold `initial` before the transition; default 0. */
  readonly transitionBegin?: number;
}

/**
 * Linear ramp, Optax `linear_schedule`: `initial + (end - initial) * t / transitionSteps` with
 * `t = clip(step - transitionBegin, 0, transitionSteps)`. The usual warm-up; PyTorch `LinearLR`
 * is `linear({ initial: base * start_factor, end: base * end_factor, transitionSteps: total_iters })`.
 */
export function linear(options: LinearOptions): Schedule {
  const { initial, end, transitionSteps, transitionBegin = 0 } = options;
  checkParameter('linear', 'initial', initial);
  checkParameter('linear', 'end', end);
  checkParameter('linear', 'transitionSteps', transitionSteps, { integer: true, min: 1 });
  checkParameter('linear', 'transitionBegin', transitionBegin, { integer: true, min: 0 });
  return describedSchedule(
    (step) => {
      const t = Math.min(Math.max(step - transitionBegin, 0), transitionSteps);
      return initial + ((end - initial) * t) / transitionSteps;
    },
    { name: 'linear', initial, end, transitionSteps, transitionBegin },
  );
}
