import type { Schedule } from '@downhill/core';
import { checkParameter } from './check-parameter.js';
import { describedSchedule } from './described-schedule.js';

export interface InverseTimeDecayOptions {
  /** Value at step 0. */
  readonly initial: number;
  /** `decay_rate`, >= 0. */
  readonly decayRate: number;
  /** `decay_steps`, default 1. */
  readonly decaySteps?: number;
  /** Decay in whole multiples of `decaySteps`. */
  readonly staircase?: boolean;
}

/**
 * Inverse time decay (neither PyTorch nor Optax has one; this is Keras `InverseTimeDecay`, the
 * Robbins-Monro `1/t` family): `initial / (1 + decayRate * step / decaySteps)`, with
 * `floor(step / decaySteps)` when `staircase`.
 */
export function inverseTimeDecay(options: InverseTimeDecayOptions): Schedule {
  const { initial, decayRate, decaySteps = 1, staircase = false } = options;
  const owner = 'inverseTimeDecay';
  checkParameter(owner, 'initial', initial);
  checkParameter(owner, 'decayRate', decayRate, { min: 0 });
  checkParameter(owner, 'decaySteps', decaySteps, { min: 0, minExclusive: true });
  return describedSchedule(
    (step) => {
      const t = Math.max(step, 0) / decaySteps;
      return initial / (1 + decayRate * (staircase ? Math.floor(t) : t));
    },
    { name: 'inverseTimeDecay', initial, decayRate, decaySteps, staircase },
  );
}
