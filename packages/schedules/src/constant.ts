import type { Schedule } from '@downhill/core';
import { checkParameter } from './check-parameter.js';
import { describedSchedule } from './described-schedule.js';

/** `value` at every step (PyTorch: no scheduler; Optax `constant_schedule`). */
export function constant(value: number): Schedule {
  checkParameter('constant', 'value', value);
  return describedSchedule(() => value, { name: 'constant', value });
}
