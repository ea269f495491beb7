import type { Schedule } from '@downhill/core';
import { checkChoice, checkParameter } from './check-parameter.js';
import { describedSchedule } from './described-schedule.js';

export interface OneCycleOptions {
  /** Peak learning rate (`max_lr`). */
  readonly max: number;
  /** Length of the cycle in steps (`total_steps`), an integer >= 2; the value holds afterwards. */
  readonly totalSteps: number;
  /** Fraction of the cycle spent rising (`pct_start`); default 0.3. */
  readonly pctStart?: number;
  /** Interpolation inside each phase: `cos` (default) or `linear`. */
  readonly annealStrategy?: 'cos' | 'linear';
  /** The cycle starts at `max / divFactor`; default 25. */
  readonly divFactor?: number;
  /** And ends at `max / divFactor / finalDivFactor`; default 1e4. */
  readonly finalDivFactor?: number;
  /** Fast.ai's three phases (up, symmetric down to the start, then anneal to the end) instead of two. */
  readonly threePhase?: boolean;
  /** Momentum at the learning rate's peak (`base_momentum`); default 0.85. */
  readonly baseMomentum?: number;
  /** Momentum at the start and end (`max_momentum`); default 0.95. */
  readonly maxMomentum?: number;
}

/** The one-cycle learning rate and the momentum that moves against it. */
export interface OneCycleSchedules {
  readonly learningRate: Schedule;
  readonly momentum: Schedule;
}

interface Phase {
  readonly endStep: number;
  readonly startLr: number;
  readonly endLr: number;
  readonly startMomentum: number;
  readonly endMomentum: number;
}

/**
 * The 1cycle policy (Smith & Topin, "Super-Convergence", 2018), PyTorch `OneCycleLR`. Phases end
 * at `pctStart * totalSteps - 1` (rise from `max / divFactor` to `max`), then, with `threePhase`,
 * at `2 * pctStart * totalSteps - 2` (back to `max / divFactor`), and at `totalSteps - 1` (down to
 * `max / divFactor / finalDivFactor`). Inside a phase from step `a` to `b`, with
 * `pct = (step - a) / (b - a)`, `cos` gives `end + (start - end) * (1 + cos(pi * pct)) / 2` and
 * `linear` gives `start + (end - start) * pct`. Momentum follows the same phases from
 * `maxMomentum` to `baseMomentum` and back (flat at `maxMomentum` in the third phase).
 */
export function oneCycle(options: OneCycleOptions): OneCycleSchedules {
  const owner = 'oneCycle';
  const {
    max,
    totalSteps,
    pctStart = 0.3,
    divFactor = 25,
    finalDivFactor = 1e4,
    threePhase = false,
    baseMomentum = 0.85,
    maxMomentum = 0.95,
  } = options;
  checkParameter(owner, 'max', max, { min: 0 });
  checkParameter(owner, 'totalSteps', totalSteps, { integer: true, min: 2 });
  // Every phase must last more than zero steps: pct * T - 1 > 0 and the last phase ends later.
  const upper = threePhase ? (totalSteps + 1) / (2 * totalSteps) : 1;
  checkParameter(owner, 'pctStart', pctStart, {
    min: 1 / totalSteps,
    minExclusive: true,
    max: upper,
    maxExclusive: true,
  });
  checkParameter(owner, 'divFactor', divFactor, { min: 0, minExclusive: true });
  checkParameter(owner, 'finalDivFactor', finalDivFactor, { min: 0, minExclusive: true });
  checkParameter(owner, 'baseMomentum', baseMomentum);
  checkParameter(owner, 'maxMomentum', maxMomentum, { min: baseMomentum });
  const annealStrategy = checkChoice(owner, 'annealStrategy', options.annealStrategy ?? 'cos', [
    'cos',
    'linear',
  ]);
  const anneal =
    annealStrategy === 'cos'
      ? (start: number, end: number, pct: number) => end + ((start - end) / 2) * (Math.cos(Math.PI * pct) + 1)
      : (start: number, end: number, pct: number) => (end - start) * pct + start;

  const initialLr = max / divFactor;
  const minLr = initialLr / finalDivFactor;
  const rise = pctStart * totalSteps - 1;
  const phases: readonly Phase[] = threePhase
    ? [
        {
          endStep: rise,
          startLr: initialLr,
          endLr: max,
          startMomentum: maxMomentum,
          endMomentum: baseMomentum,
        },
        {
          endStep: 2 * pctStart * totalSteps - 2,
          startLr: max,
          endLr: initialLr,
          startMomentum: baseMomentum,
          endMomentum: maxMomentum,
        },
        {
          endStep: totalSteps - 1,
          startLr: initialLr,
          endLr: minLr,
          startMomentum: maxMomentum,
          endMomentum: maxMomentum,
        },
      ]
    : [
        {
          endStep: rise,
          startLr: initialLr,
          endLr: max,
          startMomentum: maxMomentum,
          endMomentum: baseMomentum,
        },
        {
          endStep: totalSteps - 1,
          startLr: max,
          endLr: minLr,
          startMomentum: baseMomentum,
          endMomentum: maxMomentum,
        },
      ];

  const at = (step: number, pick: 'lr' | 'momentum'): number => {
    const s = Math.min(Math.max(step, 0), totalSteps - 1);
    let start = 0;
    for (let i = 0; i < phases.length; i++) {
      const phase = phases[i]!;
      if (s <= phase.endStep || i === phases.length - 1) {
        const pct = (s - start) / (phase.endStep - start);
        return pick === 'lr'
          ? anneal(phase.startLr, phase.endLr, pct)
          : anneal(phase.startMomentum, phase.endMomentum, pct);
      }
      start = phase.endStep;
    }
    /* c8 ignore next */
    throw new Error('unreachable');
  };
  const shared = { totalSteps, pctStart, annealStrategy, divFactor, finalDivFactor, threePhase };
  return {
    learningRate: describedSchedule((step) => at(step, 'lr'), { name: 'oneCycle', max, ...shared }),
    momentum: describedSchedule((step) => at(step, 'momentum'), {
      name: 'oneCycleMomentum',
      baseMomentum,
      maxMomentum,
      ...shared,
    }),
  };
}
