import type { Schedule } from '@downhill/core';
import { checkChoice, checkParameter } from './check-parameter.js';
import { describedSchedule } from './described-schedule.js';

/** How the amplitude of each cycle changes (PyTorch `CyclicLR` modes). */
export type CyclicMode = 'triangular' | 'triangular2' | 'exp_range';

export interface CyclicOptions {
  /** Lower bound of the learning-rate cycle (`base_lr`). */
  readonly base: number;
  /** Upper bound of the first cycle (`max_lr`), >= `base`. */
  readonly max: number;
  /** Steps from `base` up to `max` (`step_size_up`), an integer >= 1; default 2000. */
  readonly stepSizeUp?: number;
  /** Steps from `max` back down (`step_size_down`); default `stepSizeUp`. */
  readonly stepSizeDown?: number;
  /**
   * `triangular`: constant amplitude; `triangular2`: halved every cycle; `exp_range`: scaled by
   * `gamma ^ step`. Default `triangular`.
   */
  readonly mode?: CyclicMode;
  /** Base of `exp_range`'s scaling, in (0, 1]; default 1. */
  readonly gamma?: number;
  /** Custom amplitude scaling instead of `mode`, called with the cycle number (from 1) or the step. */
  readonly scaleFn?: (x: number) => number;
  /** What `scaleFn` receives: `cycle` (default) or `iterations`. */
  readonly scaleMode?: 'cycle' | 'iterations';
  /** Momentum at the learning rate's peak (`base_momentum`); default 0.8. */
  readonly baseMomentum?: number;
  /** Momentum at the learning rate's trough (`max_momentum`); default 0.9. */
  readonly maxMomentum?: number;
}

/** A learning-rate cycle and the momentum cycle that mirrors it. */
export interface CyclicSchedules {
  readonly learningRate: Schedule;
  /** Cycles inversely: `maxMomentum` where the learning rate is at `base`, `baseMomentum` at its peak. */
  readonly momentum: Schedule;
}

/**
 * Cyclical learning rates (Smith, "Cyclical Learning Rates for Training Neural Networks", WACV
 * 2017), PyTorch `CyclicLR` with `cycle_momentum`. With `c = floor(step / (up + down))` and
 * `p = step - c * (up + down)` the position in the cycle, the triangle is
 * `h = p / up` rising, `(up + down - p) / down` falling, and
 * `lr = base + (max - base) * h * scale`, `momentum = maxMomentum - (maxMomentum - baseMomentum) * h * scale`,
 * where `scale` is 1 (`triangular`), `1 / 2 ^ c` (`triangular2`) or `gamma ^ step` (`exp_range`).
 */
export function cyclic(options: CyclicOptions): CyclicSchedules {
  const owner = 'cyclic';
  const { base, max, stepSizeUp = 2000, gamma = 1, baseMomentum = 0.8, maxMomentum = 0.9 } = options;
  const stepSizeDown = options.stepSizeDown ?? stepSizeUp;
  checkParameter(owner, 'base', base);
  checkParameter(owner, 'max', max, { min: base });
  checkParameter(owner, 'stepSizeUp', stepSizeUp, { integer: true, min: 1 });
  checkParameter(owner, 'stepSizeDown', stepSizeDown, { integer: true, min: 1 });
  checkParameter(owner, 'gamma', gamma, { min: 0, minExclusive: true, max: 1 });
  checkParameter(owner, 'baseMomentum', baseMomentum);
  checkParameter(owner, 'maxMomentum', maxMomentum, { min: baseMomentum });
  const custom = options.scaleFn;
  if (custom !== undefined && typeof custom !== 'function') {
    throw new RangeError(`${owner}: scaleFn must be a function of the cycle number or step`);
  }
  const mode = custom
    ? undefined
    : checkChoice(owner, 'mode', options.mode ?? 'triangular', ['triangular', 'triangular2', 'exp_range']);
  const scaleMode = custom
    ? checkChoice(owner, 'scaleMode', options.scaleMode ?? 'cycle', ['cycle', 'iterations'])
    : mode === 'exp_range'
      ? 'iterations'
      : 'cycle';
  const scaleFn: (x: number) => number =
    custom ??
    (mode === 'triangular2'
      ? (cycle) => 1 / 2 ** (cycle - 1)
      : mode === 'exp_range'
        ? (s) => gamma ** s
        : () => 1);
  const total = stepSizeUp + stepSizeDown;

  /** Height of the triangle (0 at `base`, 1 at `max`) times the amplitude scale. */
  const height = (step: number): number => {
    const t = Math.max(step, 0);
    const completed = Math.floor(t / total);
    const p = t - completed * total;
    const triangle = p <= stepSizeUp ? p / stepSizeUp : (total - p) / stepSizeDown;
    return triangle * scaleFn(scaleMode === 'cycle' ? completed + 1 : t);
  };
  const shared = {
    stepSizeUp,
    stepSizeDown,
    ...(custom ? { scaleFn: 'custom', scaleMode } : { mode }),
    ...(mode === 'exp_range' ? { gamma } : {}),
  };
  return {
    learningRate: describedSchedule((step) => base + (max - base) * height(step), {
      name: 'cyclic',
      base,
      max,
      ...shared,
    }),
    momentum: describedSchedule((step) => maxMomentum - (maxMomentum - baseMomentum) * height(step), {
      name: 'cyclicMomentum',
      baseMomentum,
      maxMomentum,
      ...shared,
    }),
  };
}
