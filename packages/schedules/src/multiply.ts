import type { Schedule, ScheduleLike } from '@downhill/core';
import { checkScheduleLike } from './check-parameter.js';
import { describedSchedule } from './described-schedule.js';
import { descriptionOf } from './description-of.js';

/**
 * The pointwise product of schedules and constants: `f1(step) * f2(step) * ...`. Use it to scale a
 * shape (`multiply(0.1, cosineDecay({ initial: 1, ... }))`) or to combine factors as PyTorch's
 * `LambdaLR` and `MultiplicativeLR` do.
 */
export function multiply(...factors: ScheduleLike[]): Schedule {
  if (factors.length === 0) throw new RangeError('multiply: needs at least one factor');
  factors.forEach((f, i) => {
    checkScheduleLike('multiply', `factors[${i}]`, f);
  });
  const fns = factors.map((f) => (typeof f === 'number' ? () => f : f));
  return describedSchedule(
    (step) => {
      let product = 1;
      for (const f of fns) product *= f(step);
      return product;
    },
    { name: 'multiply', factors: factors.map(descriptionOf) },
  );
}
