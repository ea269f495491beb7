import type { Schedule, ScheduleLike } from '@downhill/core';
import { checkParameter, checkScheduleLike } from './check-parameter.js';
import { describedSchedule } from './described-schedule.js';
import { descriptionOf } from './description-of.js';

export interface JoinOptions {
  /** The pieces, in order. */
  readonly schedules: readonly ScheduleLike[];
  /** Steps where the next piece takes over: one fewer than `schedules`, strictly increasing integers >= 0. */
  readonly boundaries: readonly number[];
}

/**
 * Pieces joined at boundaries, Optax `join_schedules` (PyTorch `SequentialLR`): piece `i` runs from
 * `boundaries[i - 1]` (0 for the first) and sees the steps counted from its own start,
 * `schedules[i](step - boundaries[i - 1])`.
 */
export function join(options: JoinOptions): Schedule {
  const { schedules, boundaries } = options;
  if (!Array.isArray(schedules) || schedules.length === 0) {
    throw new RangeError('join: schedules must be a non-empty array of schedules or numbers');
  }
  if (!Array.isArray(boundaries) || boundaries.length !== schedules.length - 1) {
    throw new RangeError(
      `join: boundaries must hold ${schedules.length - 1} step(s), one fewer than schedules, got ${
        Array.isArray(boundaries) ? boundaries.length : String(boundaries)
      }`,
    );
  }
  schedules.forEach((s, i) => {
    checkScheduleLike('join', `schedules[${i}]`, s);
  });
  boundaries.forEach((b, i) => {
    checkParameter('join', `boundaries[${i}]`, b, {
      integer: true,
      min: i === 0 ? 0 : boundaries[i - 1]! + 1,
    });
  });
  const pieces = schedules.map((s) => (typeof s === 'number' ? () => s : s));
  const starts = [0, ...boundaries];
  return describedSchedule(
    (step) => {
      let i = 0;
      while (i < boundaries.length && boundaries[i]! <= step) i++;
      return pieces[i]!(step - starts[i]!);
    },
    { name: 'join', schedules: schedules.map(descriptionOf), boundaries: [...boundaries] },
  );
}
