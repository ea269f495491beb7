import type { TrainEvent } from '@downhill/core';
import type { Config } from './domain.js';

/** How a finished trial ended. */
export interface TrialResult {
  readonly trialId: string;
  /** The trial's number: 0 for the first. */
  readonly index: number;
  readonly config: Config;
  readonly state: 'completed' | 'pruned' | 'failed';
  /** The metric at the end (completed) or where it was pruned; NaN when it failed. */
  readonly value: number;
  /** Epochs the trial completed. */
  readonly budget: number;
  readonly error?: string;
}

/** Why a sweep ended: it ran every trial asked for, or its sampler had no more (a finished grid). */
export type SweepEndReason = 'completed' | 'exhausted';

/**
 * What a sweep emits: its own events and every trial's events tagged by trial. Values are in the
 * metric's own units (not negated for `mode: 'max'`).
 */
export type SweepEvent =
  | {
      readonly type: 'trial-start';
      readonly trialId: string;
      readonly index: number;
      readonly config: Config;
    }
  | {
      readonly type: 'trial-event';
      readonly trialId: string;
      readonly index: number;
      readonly event: TrainEvent;
    }
  | {
      readonly type: 'trial-pruned';
      readonly trialId: string;
      readonly index: number;
      readonly value: number;
      /** The rung (budget) where it was judged. */
      readonly budget: number;
    }
  | {
      readonly type: 'trial-complete';
      readonly trialId: string;
      readonly index: number;
      readonly value: number;
      readonly budget: number;
    }
  | {
      readonly type: 'trial-failed';
      readonly trialId: string;
      readonly index: number;
      readonly error: string;
    }
  | {
      /** PBT: the trial continues from `from`'s state with `config` (explored from `from`'s). */
      readonly type: 'trial-exploit';
      readonly trialId: string;
      readonly index: number;
      readonly from: string;
      readonly fromIndex: number;
      /** The epoch (end of a perturbation interval) where it happened. */
      readonly budget: number;
      /** The trial's metric there, and the donor's. */
      readonly value: number;
      readonly fromValue: number;
      readonly config: Config;
    }
  | {
      readonly type: 'best';
      readonly trialId: string;
      readonly index: number;
      readonly config: Config;
      readonly value: number;
    }
  | {
      readonly type: 'end';
      readonly reason: SweepEndReason;
      /** Every trial that ran, by trial number. */
      readonly results: readonly TrialResult[];
      /** The best completed trial (pruned trials stopped at smaller budgets and do not compete). */
      readonly best: TrialResult | undefined;
    };

export type SweepEventType = SweepEvent['type'];
