import type { Schedule } from '@downhill/core';
import { checkParameter } from './check-parameter.js';
import { describedSchedule } from './described-schedule.js';

export interface CosineAnnealingOptions {
  /** Value at step 0 (PyTorch `base_lr`, eta_max). */
  readonly initial: number;
  /** Value reached at `period` (`eta_min`); default 0. */
  readonly minimum?: number;
  /** Half-period in steps (`T_max`), an integer >= 1. */
  readonly period: number;
}

/**
 * Cosine annealing, PyTorch `CosineAnnealingLR` (Loshchilov & Hutter, "SGDR", 2017, eq. 5 without
 * restarts), closed form: `minimum + (initial - minimum) * (1 + cos(pi * step / period)) / 2`.
 * As in PyTorch the cosine goes on after `period` (rising back to `initial` at `2 * period`);
 * use `cosineDecay` to hold the minimum, or `cosineWarmRestarts` to restart.
 */
export function cosineAnnealing(options: CosineAnnealingOptions): Schedule {
  const { initial, minimum = 0, period } = options;
  checkParameter('cosineAnnealing', 'initial', initial);
  checkParameter('cosineAnnealing', 'minimum', minimum);
  checkParameter('cosineAnnealing', 'period', period, { integer: true, min: 1 });
  return describedSchedule(
    (step) => minimum + ((initial - minimum) * (1 + Math.cos((Math.PI * step) / period))) / 2,
    { name: 'cosineAnnealing', initial, minimum, period },
  );
}
