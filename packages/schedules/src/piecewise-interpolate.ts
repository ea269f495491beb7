import type { Schedule } from '@downhill/core';
import { checkChoice, checkParameter } from './check-parameter.js';
import { describedSchedule } from './described-schedule.js';

export interface PiecewiseInterpolateOptions {
  /** `linear` or `cosine` between consecutive boundaries. */
  readonly interpolation: 'linear' | 'cosine';
  /** The value at the start. */
  readonly initial: number;
  /**
   * Step -> multiplier: at each boundary step the value reaches the previous value times the
   * scale (Optax's `boundaries_and_scales`). Scales >= 0.
   */
  readonly boundariesAndScales?: Readonly<Record<number, number>>;
}

/**
 * Optax `piecewise_interpolate_schedule`: with boundaries b_1 < ... < b_k (and b_0 = 0), values
 * v_0 = initial, v_i = v_{i-1} s_i; for b_{i-1} <= step < b_i, with
 * pct = (step - b_{i-1}) / (b_i - b_{i-1}), linear gives `v_{i-1} + (v_i - v_{i-1}) pct` and cosine
 * gives `v_i + (v_{i-1} - v_i) (1 + cos(pi pct)) / 2`; from b_k on, v_k. So the value at a
 * boundary step is already the new v_i (the interpolation reaches it there, not a step later).
 */
export function piecewiseInterpolate(options: PiecewiseInterpolateOptions): Schedule {
  const owner = 'piecewiseInterpolate';
  const interpolation = checkChoice(owner, 'interpolation', options.interpolation, ['linear', 'cosine']);
  const initial = checkParameter(owner, 'initial', options.initial);
  const entries = Object.entries(options.boundariesAndScales ?? {})
    .map(([b, s]) => [Number(b), s] as const)
    .sort((a, b) => a[0] - b[0]);
  for (const [b, s] of entries) {
    checkParameter(owner, `boundary ${b}`, b, { min: 0 });
    checkParameter(owner, `scale at ${b}`, s, { min: 0 });
  }
  const bounds = [0, ...entries.map(([b]) => b)];
  const values = [initial];
  for (const [, s] of entries) values.push(values.at(-1)! * s);
  const last = bounds.length - 1;
  return describedSchedule(
    (step) => {
      if (step >= bounds[last]!) return values[last]!;
      let i = 1;
      while (step >= bounds[i]!) i++;
      const pct = (step - bounds[i - 1]!) / (bounds[i]! - bounds[i - 1]!);
      const a = values[i - 1]!;
      const b = values[i]!;
      return interpolation === 'linear'
        ? a + (b - a) * pct
        : b + ((a - b) * (1 + Math.cos(Math.PI * pct))) / 2;
    },
    {
      name: owner,
      interpolation,
      initial,
      boundariesAndScales: Object.fromEntries(entries.map(([b, s]) => [String(b), s])),
    },
  );
}
