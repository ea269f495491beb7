import type { Description } from './objective.js';

/**
 * A hyperparameter as a pure function of the step count (0 for the first update).
 * Schedules are plain functions; the ones from `@downhill/schedules` also describe themselves.
 */
export type Schedule = ((step: number) => number) & { readonly description?: Description };

/** A fixed value or a schedule. */
export type ScheduleLike = number | Schedule;

/** Value of `s` at `step`. */
export function valueAt(s: ScheduleLike, step: number): number {
  return typeof s === 'number' ? s : s(step);
}
