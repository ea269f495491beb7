import type { Schedule } from '@downhill/core';
import { checkParameter } from './check-parameter.js';
import { describedSchedule } from './described-schedule.js';
import { descriptionOf } from './description-of.js';

export interface ClampOptions {
  /** Lower bound; default none. */
  readonly min?: number;
  /** Upper bound, >= `min`; default none. */
  readonly max?: number;
}

/** `min(max(schedule(step), min), max)`: keeps a schedule inside bounds. */
export function clamp(schedule: Schedule, options: ClampOptions): Schedule {
  if (typeof schedule !== 'function') throw new RangeError('clamp: schedule must be a function of the step');
  const min = options.min ?? Number.NEGATIVE_INFINITY;
  const max = options.max ?? Number.POSITIVE_INFINITY;
  if (options.min !== undefined) checkParameter('clamp', 'min', min);
  if (options.max !== undefined) checkParameter('clamp', 'max', max, Number.isFinite(min) ? { min } : {});
  return describedSchedule((step) => Math.min(Math.max(schedule(step), min), max), {
    name: 'clamp',
    schedule: descriptionOf(schedule),
    ...(options.min !== undefined ? { min } : {}),
    ...(options.max !== undefined ? { max } : {}),
  });
}
