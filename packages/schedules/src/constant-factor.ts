import type { Schedule } from '@downhill/core';
import { checkParameter } from './check-parameter.js';
import { describedSchedule } from './described-schedule.js';

export interface ConstantFactorOptions {
  /** The rate after the first `totalIters` steps (PyTorch `base_lr`). */
  readonly initial: number;
  /** Multiplier for the first `totalIters` steps, in [0, 1]; default 1/3. */
  readonly factor?: number;
  /** Number of steps run at `initial * factor`, an integer >= 0; default 5. */
  readonly totalIters?: number;
}

/**
 * PyTorch `ConstantLR`: `initial * factor` for steps `0 .. totalIters - 1`, then `initial` (a
 * crude warmup).
 */
export function constantFactor(options: ConstantFactorOptions): Schedule {
  const { initial, factor = 1 / 3, totalIters = 5 } = options;
  checkParameter('constantFactor', 'initial', initial);
  checkParameter('constantFactor', 'factor', factor, { min: 0, max: 1 });
  checkParameter('constantFactor', 'totalIters', totalIters, { integer: true, min: 0 });
  return describedSchedule((step) => (step < totalIters ? initial * factor : initial), {
    name: 'constantFactor',
    initial,
    factor,
    totalIters,
  });
}
