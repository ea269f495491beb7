import type { Schedule } from '@downhill/core';
import { checkParameter } from './check-parameter.js';
import { describedSchedule } from './described-schedule.js';

export interface CosineDecayOptions {
  /** Value at step 0 (Optax `init_value`). */
  readonly initial: number;
  /** Steps to decay over (`decay_steps`), an integer >= 1; the value holds afterwards. */
  readonly decaySteps: number;
  /** Final value as a fraction of `initial` (`alpha`), default 0. */
  readonly alpha?: number;
  /** Exponent of the cosine factor (`exponent`), default 1. */
  readonly exponent?: number;
}

/**
 * Cosine decay that holds its final value, Optax `cosine_decay_schedule`:
 * `initial * ((1 - alpha) * c ^ exponent + alpha)` with
 * `c = (1 + cos(pi * min(step, decaySteps) / decaySteps)) / 2`.
 */
export function cosineDecay(options: CosineDecayOptions): Schedule {
  const { initial, decaySteps, alpha = 0, exponent = 1 } = options;
  checkParameter('cosineDecay', 'initial', initial);
  checkParameter('cosineDecay', 'decaySteps', decaySteps, { integer: true, min: 1 });
  checkParameter('cosineDecay', 'alpha', alpha);
  checkParameter('cosineDecay', 'exponent', exponent, { min: 0, minExclusive: true });
  return describedSchedule(
    (step) => {
      const t = Math.min(Math.max(step, 0), decaySteps);
      const c = 0.5 * (1 + Math.cos((Math.PI * t) / decaySteps));
      return initial * ((1 - alpha) * c ** exponent + alpha);
    },
    { name: 'cosineDecay', initial, decaySteps, alpha, exponent },
  );
}
