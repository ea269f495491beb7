import type { Schedule } from '@downhill/core';
import { checkParameter } from './check-parameter.js';
import { describedSchedule } from './described-schedule.js';

export interface MultiplicativeOptions {
  /** The rate at step 0 (PyTorch `base_lr`). */
  readonly initial: number;
  /** The factor applied on entering step t >= 1 (PyTorch's `lr_lambda(epoch)`); must be finite and >= 0. */
  readonly factor: (step: number) => number;
}

/**
 * PyTorch `MultiplicativeLR`: `value(0) = initial`, `value(t) = value(t - 1) * factor(t)`. A pure
 * function of the step: the running products are memoised (so each step costs O(1) after the
 * first visit, and `factor` is called once per step).
 */
export function multiplicative(options: MultiplicativeOptions): Schedule {
  const { initial, factor } = options;
  checkParameter('multiplicative', 'initial', initial);
  if (typeof factor !== 'function') {
    throw new RangeError(
      `multiplicative: factor must be a function (step -> multiplier), got ${String(factor)}`,
    );
  }
  const products: number[] = [initial];
  return describedSchedule(
    (step) => {
      const t = Math.max(0, Math.floor(step));
      for (let k = products.length; k <= t; k++) {
        const f = factor(k);
        if (!(f >= 0) || !Number.isFinite(f))
          throw new RangeError(`multiplicative: factor(${k}) must be a finite number >= 0, got ${f}`);
        products.push(products[k - 1]! * f);
      }
      return products[t]!;
    },
    { name: 'multiplicative', initial, factor: 'function' },
  );
}
