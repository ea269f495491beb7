import type { Schedule } from '@downhill/core';
import { checkParameter } from './check-parameter.js';
import { describedSchedule } from './described-schedule.js';

export interface StepDecayOptions {
  /** Value at step 0 (PyTorch `base_lr`). */
  readonly initial: number;
  /** Steps between two decays (`step_size`), an integer >= 1. */
  readonly stepSize: number;
  /** Multiplier applied at each decay (`gamma`), default 0.1. */
  readonly gamma?: number;
}

/**
 * Step decay, PyTorch `StepLR`: `initial * gamma ^ floor(step / stepSize)`.
 */
export function stepDecay(options: StepDecayOptions): Schedule {
  const { initial, stepSize, gamma = 0.1 } = options;
  checkParameter('stepDecay', 'initial', initial);
  checkParameter('stepDecay', 'stepSize', stepSize, { integer: true, min: 1 });
  checkParameter('stepDecay', 'gamma', gamma, { min: 0 });
  return describedSchedule((step) => initial * gamma ** Math.floor(Math.max(step, 0) / stepSize), {
    name: 'stepDecay',
    initial,
    stepSize,
    gamma,
  });
}
