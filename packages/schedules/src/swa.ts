import type { Schedule } from '@downhill/core';
import { checkChoice, checkParameter } from './check-parameter.js';
import { describedSchedule } from './described-schedule.js';

export interface SwaOptions {
  /** Learning rate when averaging starts (the optimizer's rate at `swa_start`). */
  readonly initial: number;
  /** The constant rate averaging runs at (`swa_lr`), >= 0. */
  readonly swaRate: number;
  /** Steps to anneal from `initial` to `swaRate` (`anneal_epochs`), an integer >= 0; default 10. */
  readonly annealSteps?: number;
  /** Shape of the anneal: `cos` (default) or `linear`. */
  readonly annealStrategy?: 'cos' | 'linear';
}

/**
 * The stochastic weight averaging schedule (Izmailov et al., "Averaging Weights Leads to Wider
 * Optima and Better Generalization", UAI 2018), PyTorch `SWALR`: anneal from `initial` to the
 * constant `swaRate` over `annealSteps`, then hold it.
 * `swaRate * a + initial * (1 - a)` with `t = min(1, step / annealSteps)` (`t = 1` when
 * `annealSteps = 0`) and `a = (1 - cos(pi * t)) / 2` (`cos`) or `a = t` (`linear`).
 * Join it after the schedule used before averaging starts (see `sequence`).
 */
export function swa(options: SwaOptions): Schedule {
  const owner = 'swa';
  const { initial, swaRate, annealSteps = 10 } = options;
  checkParameter(owner, 'initial', initial, { min: 0 });
  checkParameter(owner, 'swaRate', swaRate, { min: 0 });
  checkParameter(owner, 'annealSteps', annealSteps, { integer: true, min: 0 });
  const annealStrategy = checkChoice(owner, 'annealStrategy', options.annealStrategy ?? 'cos', [
    'cos',
    'linear',
  ]);
  return describedSchedule(
    (step) => {
      const t = annealSteps === 0 ? 1 : Math.max(0, Math.min(1, step / annealSteps));
      const a = annealStrategy === 'cos' ? (1 - Math.cos(Math.PI * t)) / 2 : t;
      return swaRate * a + initial * (1 - a);
    },
    { name: 'swa', initial, swaRate, annealSteps, annealStrategy },
  );
}
