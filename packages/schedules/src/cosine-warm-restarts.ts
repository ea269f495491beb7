import type { Schedule } from '@downhill/core';
import { checkParameter } from './check-parameter.js';
import { describedSchedule } from './described-schedule.js';

export interface CosineWarmRestartsOptions {
  /** Value at step 0 and after every restart (eta_max). */
  readonly initial: number;
  /** Value approached at the end of each cycle (`eta_min`); default 0. */
  readonly minimum?: number;
  /** Length of the first cycle in steps (`T_0`), an integer >= 1. */
  readonly period: number;
  /** Each cycle is this many times longer than the one before (`T_mult`), an integer >= 1; default 1. */
  readonly periodMultiplier?: number;
}

/**
 * Position of `step` in its SGDR cycle: steps since the last restart and the cycle's length.
 * Integer arithmetic only (no `log`, no accumulated float), so step 10^6 is as exact as step 10.
 */
export function restartPosition(
  step: number,
  period: number,
  periodMultiplier: number,
): { sinceRestart: number; cycleLength: number } {
  let sinceRestart = Math.floor(Math.max(step, 0));
  if (periodMultiplier === 1) return { sinceRestart: sinceRestart % period, cycleLength: period };
  let cycleLength = period;
  while (sinceRestart >= cycleLength) {
    sinceRestart -= cycleLength;
    cycleLength *= periodMultiplier;
  }
  return { sinceRestart, cycleLength };
}

/**
 * Cosine annealing with warm restarts (SGDR; Loshchilov & Hutter, "SGDR: Stochastic Gradient
 * Descent with Warm Restarts", ICLR 2017, eq. 5), PyTorch `CosineAnnealingWarmRestarts`:
 * `minimum + (initial - minimum) * (1 + cos(pi * T_cur / T_i)) / 2`, where the cycles have
 * lengths `T_i = period * periodMultiplier ^ i` and `T_cur` counts the steps since the last restart.
 * `T_cur` and `T_i` are found with integers (PyTorch takes a float logarithm), so restarts land on
 * exactly the right step however long the run.
 */
export function cosineWarmRestarts(options: CosineWarmRestartsOptions): Schedule {
  const { initial, minimum = 0, period, periodMultiplier = 1 } = options;
  const owner = 'cosineWarmRestarts';
  checkParameter(owner, 'initial', initial);
  checkParameter(owner, 'minimum', minimum);
  checkParameter(owner, 'period', period, { integer: true, min: 1 });
  checkParameter(owner, 'periodMultiplier', periodMultiplier, { integer: true, min: 1 });
  return describedSchedule(
    (step) => {
      const { sinceRestart, cycleLength } = restartPosition(step, period, periodMultiplier);
      return minimum + ((initial - minimum) * (1 + Math.cos((Math.PI * sinceRestart) / cycleLength))) / 2;
    },
    { name: 'cosineWarmRestarts', initial, minimum, period, periodMultiplier },
  );
}
