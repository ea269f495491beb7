import type { Description, Schedule } from '@downhill/core';

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const item of Object.values(value)) deepFreeze(item);
  }
  return value;
}

/**
 * Attaches a plain-data description (name + parameters) to a `step -> value` function, so that the
 * run's `start` event and the dashboard can show what the schedule is. The description is copied
 * and frozen (deeply). A function that already carries a description is wrapped rather than
 * changed, so describing it again elsewhere does not alter the first schedule.
 */
export function describedSchedule(fn: (step: number) => number, description: Description): Schedule {
  const target = Object.hasOwn(fn, 'description') ? (step: number) => fn(step) : fn;
  Object.defineProperty(target, 'description', {
    value: deepFreeze(structuredClone(description)),
    enumerable: true,
    writable: false,
  });
  return target as Schedule;
}
