import type { Description, Schedule } from '@downhill/core';

/**
 * Attaches a plain-data description (name + parameters) to a `step -> value` function, so that the
 * run's `start` event and the dashboard can show what the schedule is. The description is frozen
 * and enumerable; the function itself is returned unchanged otherwise.
 */
export function describedSchedule(fn: (step: number) => number, description: Description): Schedule {
  Object.defineProperty(fn, 'description', {
    value: Object.freeze({ ...description }),
    enumerable: true,
    writable: false,
  });
  return fn as Schedule;
}
