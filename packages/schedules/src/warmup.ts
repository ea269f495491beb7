import type { Schedule } from '@downhill/core';
import { checkChoice, checkParameter } from './check-parameter.js';
import { describedSchedule } from './described-schedule.js';
import { descriptionOf } from './description-of.js';

export interface WarmupOptions {
  /** Length of the warm-up, an integer >= 1. */
  readonly steps: number;
  /** The warm-up starts at this fraction of its target, in [0, 1]; default 0. */
  readonly startFactor?: number;
  /**
   * `prepend` (default, Optax style): a linear ramp from `startFactor * schedule(0)` to
   * `schedule(0)`, then the schedule from its own step 0 (shifted by `steps`).
   * `scale` (PyTorch style, `LinearLR` chained with the schedule): the schedule runs from step 0
   * and is multiplied by a factor rising linearly from `startFactor` to 1 over `steps`.
   */
  readonly mode?: 'prepend' | 'scale';
}

/**
 * Linear warm-up in front of any schedule (Goyal et al., "Accurate, Large Minibatch SGD", 2017).
 * `prepend`: `schedule(0) * (f + (1 - f) * step / steps)` for `step < steps`, then
 * `schedule(step - steps)`. `scale`: `schedule(step) * (f + (1 - f) * min(step, steps) / steps)`.
 */
export function warmup(schedule: Schedule, options: WarmupOptions): Schedule {
  if (typeof schedule !== 'function') throw new RangeError('warmup: schedule must be a function of the step');
  const { steps, startFactor = 0 } = options;
  checkParameter('warmup', 'steps', steps, { integer: true, min: 1 });
  checkParameter('warmup', 'startFactor', startFactor, { min: 0, max: 1 });
  const mode = checkChoice('warmup', 'mode', options.mode ?? 'prepend', ['prepend', 'scale']);
  const factor = (step: number) =>
    startFactor + ((1 - startFactor) * Math.min(Math.max(step, 0), steps)) / steps;
  const fn =
    mode === 'prepend'
      ? (step: number) => (step < steps ? schedule(0) * factor(step) : schedule(step - steps))
      : (step: number) => schedule(step) * factor(step);
  return describedSchedule(fn, {
    name: 'warmup',
    steps,
    startFactor,
    mode,
    schedule: descriptionOf(schedule),
  });
}
