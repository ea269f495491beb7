import type { Schedule } from '@downhill/core';
import { checkParameter } from './check-parameter.js';
import { describedSchedule } from './described-schedule.js';
import { piecewiseInterpolate } from './piecewise-interpolate.js';

export interface CosineOnecycleOptions {
  /** Length of the cycle in steps (`transition_steps`), an integer >= 1. */
  readonly transitionSteps: number;
  /** Peak value (`peak_value`). */
  readonly peak: number;
  /** Fraction of the cycle spent rising (`pct_start`), in (0, 1); default 0.3. */
  readonly pctStart?: number;
  /** The cycle starts at `peak / divFactor`; default 25. */
  readonly divFactor?: number;
  /** And ends at `peak / divFactor / finalDivFactor`; default 1e4. */
  readonly finalDivFactor?: number;
}

/**
 * Optax `cosine_onecycle_schedule`: {@link piecewiseInterpolate} with cosine interpolation from
 * `peak / divFactor`, boundaries `floor(pctStart * transitionSteps)` (scale `divFactor`, the peak)
 * and `transitionSteps` (scale `1 / (divFactor * finalDivFactor)`). It peaks at step
 * `floor(pctStart * T)`, one step later than PyTorch's `OneCycleLR` (`oneCycle` here, peak at
 * `pctStart * T - 1`), and reaches its final value at step T rather than T - 1.
 */
export function cosineOnecycle(options: CosineOnecycleOptions): Schedule {
  const owner = 'cosineOnecycle';
  const { transitionSteps, peak, pctStart = 0.3, divFactor = 25, finalDivFactor = 1e4 } = options;
  checkParameter(owner, 'transitionSteps', transitionSteps, { integer: true, min: 1 });
  checkParameter(owner, 'peak', peak, { min: 0 });
  checkParameter(owner, 'pctStart', pctStart, { min: 0, minExclusive: true, max: 1, maxExclusive: true });
  checkParameter(owner, 'divFactor', divFactor, { min: 0, minExclusive: true });
  checkParameter(owner, 'finalDivFactor', finalDivFactor, { min: 0, minExclusive: true });
  const up = Math.floor(pctStart * transitionSteps);
  const inner = piecewiseInterpolate({
    interpolation: 'cosine',
    initial: peak / divFactor,
    boundariesAndScales: { [up]: divFactor, [transitionSteps]: 1 / (divFactor * finalDivFactor) },
  });
  return describedSchedule((step) => inner(step), {
    name: owner,
    transitionSteps,
    peak,
    pctStart,
    divFactor,
    finalDivFactor,
  });
}
