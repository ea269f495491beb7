import type { SpaceParam } from './check-space.js';
import type { Config } from './domain.js';

/** A finished trial, as samplers see it. */
export interface Observation {
  /** The trial's number: 0 for the first trial of the sweep. */
  readonly index: number;
  readonly config: Config;
  /** The objective, lower is better (a sweep with `mode: 'max'` negates its metric). */
  readonly score: number;
  /** Pruned trials stopped early: their score is from the budget they reached. */
  readonly state: 'completed' | 'pruned';
  /** Budget (epochs) the trial reached. */
  readonly budget: number;
}

export interface SuggestInput {
  /** The checked space (`checkSpace`). */
  readonly space: readonly SpaceParam[];
  /** The new trial's number. */
  readonly index: number;
  /** Every trial finished so far, in any order. */
  readonly history: readonly Observation[];
}

/**
 * Chooses trials' hyperparameters. A sampler's only state is its options (seed included) and the
 * history it is handed: the trial with number i draws from its own generator (`trialSeed(seed, SAMPLER_STREAM, i)`), so a
 * sweep replays from its seed and its record, and a restarted controller needs nothing else.
 */
export interface Sampler {
  readonly name: string;
  /** The config of trial `index`, or `undefined` when the sampler has no more (a finished grid). */
  suggest(input: SuggestInput): Config | undefined;
}
