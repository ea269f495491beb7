import type { Schedule } from '@downhill/core';
import { describedSchedule } from './described-schedule.js';
import { descriptionOf } from './description-of.js';

/**
 * Schedules applied together to the same starting value, PyTorch `ChainedScheduler`: each one
 * contributes its relative change, `s1(step) * (s2(step) / s2(0)) * (s3(step) / s3(0)) * ...`.
 * Each schedule can be written with the real starting rate (as every PyTorch scheduler reads the
 * same optimizer rate); the result matches `ChainedScheduler` for schedulers that act by
 * multiplication (step, multi-step, exponential, linear, polynomial, and cosine with `eta_min = 0`).
 */
export function chain(...schedules: Schedule[]): Schedule {
  if (schedules.length === 0) throw new RangeError('chain: needs at least one schedule');
  const starts = schedules.map((s, i) => {
    if (typeof s !== 'function') {
      throw new RangeError(`chain: schedules[${i}] must be a schedule (step -> value), got ${String(s)}`);
    }
    const v = s(0);
    if (i > 0 && !(Number.isFinite(v) && v !== 0)) {
      throw new RangeError(`chain: schedules[${i}] must have a finite, non-zero value at step 0, got ${v}`);
    }
    return v;
  });
  const [first, ...rest] = schedules;
  return describedSchedule(
    (step) => {
      let v = first!(step);
      for (let i = 0; i < rest.length; i++) v *= rest[i]!(step) / starts[i + 1]!;
      return v;
    },
    { name: 'chain', schedules: schedules.map(descriptionOf) },
  );
}
