import type { Schedule } from '@downhill/core';
import { checkParameter } from './check-parameter.js';
import { cosineDecay } from './cosine-decay.js';
import { describedSchedule } from './described-schedule.js';
import { join } from './join.js';
import { linear } from './linear.js';

export interface WarmupCosineDecayOptions {
  /** Value at step 0; default 0. */
  readonly initial?: number;
  /** Value at the end of the warm-up. */
  readonly peak: number;
  /** Steps of linear warm-up, an integer >= 0. */
  readonly warmupSteps: number;
  /** Total length, warm-up included (Optax `decay_steps`), an integer > `warmupSteps`. */
  readonly decaySteps: number;
  /** Value at `decaySteps` and after; default 0. */
  readonly end?: number;
  /** Exponent of the cosine factor; default 1. */
  readonly exponent?: number;
}

/**
 * Linear warm-up then cosine decay, Optax `warmup_cosine_decay_schedule`: `linear(initial -> peak)`
 * over `warmupSteps`, then `cosineDecay` from `peak` over `decaySteps - warmupSteps` steps with
 * `alpha = end / peak`, joined at `warmupSteps`.
 */
export function warmupCosineDecay(options: WarmupCosineDecayOptions): Schedule {
  const owner = 'warmupCosineDecay';
  const { initial = 0, peak, warmupSteps, decaySteps, end = 0, exponent = 1 } = options;
  checkParameter(owner, 'initial', initial);
  checkParameter(owner, 'peak', peak);
  checkParameter(owner, 'warmupSteps', warmupSteps, { integer: true, min: 0 });
  checkParameter(owner, 'decaySteps', decaySteps, { integer: true, min: warmupSteps + 1 });
  checkParameter(owner, 'end', end);
  checkParameter(owner, 'exponent', exponent, { min: 0, minExclusive: true });
  const decay = cosineDecay({
    initial: peak,
    decaySteps: decaySteps - warmupSteps,
    alpha: peak === 0 ? 0 : end / peak,
    exponent,
  });
  const fn =
    warmupSteps === 0
      ? decay
      : join({
          schedules: [linear({ initial, end: peak, transitionSteps: warmupSteps }), decay],
          boundaries: [warmupSteps],
        });
  return describedSchedule((step) => fn(step), {
    name: 'warmupCosineDecay',
    initial,
    peak,
    warmupSteps,
    decaySteps,
    end,
    exponent,
  });
}
