import type { Description, ScheduleLike } from '@downhill/core';

/**
 * The plain-data description of a schedule or constant: a schedule's own `description`,
 * `{ name: 'constant', value }` for a number, `{ name: 'function' }` for an undescribed function.
 */
export function descriptionOf(schedule: ScheduleLike): Description {
  if (typeof schedule === 'number') return { name: 'constant', value: schedule };
  return schedule.description ?? { name: 'function' };
}
