import type { SearchSpace } from '@downhill/sweep';

/** How a sweep chooses its trials' hyperparameters. */
export type SweepAlgorithm =
  | { readonly name: 'grid'; readonly steps: number }
  | { readonly name: 'random' }
  | { readonly name: 'tpe'; readonly startupTrials: number }
  | {
      readonly name: 'pbt';
      readonly population: number;
      readonly perturbationInterval: number;
      readonly quantileFraction: number;
      readonly resampleProbability: number;
    };

export interface AshaConfig {
  readonly minBudget: number;
  readonly maxBudget: number;
  readonly reductionFactor: number;
}

/** A checked `downhill sweep` config. */
export interface SweepConfig {
  readonly name: string | undefined;
  readonly algorithm: SweepAlgorithm;
  /** Seeds the samplers and PBT's draws (the trials train with the train config's own seed). */
  readonly seed: number;
  /** Trials to run (not for PBT, whose budget is its population). */
  readonly trials: number;
  readonly metric: string;
  readonly mode: 'min' | 'max';
  readonly executor: 'inline' | 'threads';
  /** Trials at once; default 1 inline, the available cores in threads. */
  readonly concurrency: number | undefined;
  readonly asha: AshaConfig | undefined;
  /** Parameter names are dotted paths into the train config (`optimizer.learningRate`). */
  readonly space: SearchSpace;
  /** The trials' train config as written (plain data), before the space's values are set into it. */
  readonly train: Readonly<Record<string, unknown>>;
  /** Epochs each trial trains (the train config's, after the space's values), when it gives them. */
  readonly epochs: number | undefined;
  /** Folder the train config's relative paths (its data file) are resolved against. */
  readonly trainBaseDir: string;
}
