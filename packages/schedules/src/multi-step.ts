import type { Schedule } from '@downhill/core';
import { checkParameter } from './check-parameter.js';
import { describedSchedule } from './described-schedule.js';

export interface MultiStepOptions {
  /** Value at step 0 (PyTorch `base_lr`). */
  readonly initial: number;
  /** Steps at which the value is multiplied by `gamma`: strictly increasing integers >= 1. */
  readonly milestones: readonly number[];
  /** Multiplier applied at each milestone, default 0.1. */
  readonly gamma?: number;
}

/**
 * Multi-step decay, PyTorch `MultiStepLR`: `initial * gamma ^ bisect_right(milestones, step)`,
 * the number of milestones reached so far.
 */
export function multiStep(options: MultiStepOptions): Schedule {
  const { initial, gamma = 0.1 } = options;
  checkParameter('multiStep', 'initial', initial);
  checkParameter('multiStep', 'gamma', gamma, { min: 0 });
  if (!Array.isArray(options.milestones)) {
    throw new RangeError('multiStep: milestones must be an array of increasing integers >= 1');
  }
  const milestones = [...options.milestones];
  milestones.forEach((m, i) => {
    checkParameter('multiStep', `milestones[${i}]`, m, {
      integer: true,
      min: i === 0 ? 1 : milestones[i - 1]! + 1,
    });
  });
  return describedSchedule(
    (step) => {
      let reached = 0;
      while (reached < milestones.length && milestones[reached]! <= step) reached++;
      return initial * gamma ** reached;
    },
    { name: 'multiStep', initial, milestones, gamma },
  );
}
