import type { ComponentChoice } from './component-catalog.js';

/** A data column: a header name or a 0-based index. */
export type ColumnRef = string | number;

/** Where the training data comes from. */
export interface DataConfig {
  /** Path as written in the config (relative to the config file's folder). */
  readonly file: string;
  readonly format: 'csv' | 'jsonl';
  /** CSV: the first line holds column names. */
  readonly header: boolean;
  readonly delimiter: string | undefined;
  /** Input columns (default: every column that is not a target). */
  readonly features: readonly ColumnRef[] | undefined;
  /** Target columns (default: the last column). */
  readonly targets: readonly ColumnRef[] | undefined;
  /** Fraction of the rows held out for validation (seeded shuffle), in [0, 1). */
  readonly validationSplit: number;
  /** Standardize features with the training rows' statistics. */
  readonly scale: 'none' | 'standard' | 'minmax';
}

export interface ConvergenceConfig {
  readonly epsilon: number;
  readonly patience: number;
  readonly on: 'step' | 'epoch';
}

export interface EarlyStoppingConfig {
  readonly monitor: string;
  readonly mode: 'min' | 'max';
  readonly minDelta: number;
  readonly patience: number;
  readonly restoreBest: boolean;
}

/** A declarative training run, checked and with defaults filled in. */
export interface TrainConfig {
  readonly name: string | undefined;
  readonly seed: number;
  readonly model: ComponentChoice;
  readonly loss: ComponentChoice | undefined;
  readonly data: DataConfig;
  readonly optimizer: ComponentChoice;
  readonly schedule: ComponentChoice | undefined;
  /** Rows per update: a number, or `full` for batch gradient descent. */
  readonly batchSize: number | 'full';
  readonly shuffle: boolean;
  readonly epochs: number | undefined;
  readonly steps: number | undefined;
  /** Initial parameters: explicit values, `zeros`, or the model's own initializer. */
  readonly init: readonly number[] | 'zeros' | 'model';
  readonly convergence: ConvergenceConfig | undefined;
  readonly earlyStopping: EarlyStoppingConfig | undefined;
  /** Record the parameters in step events every n steps (0: never). */
  readonly recordParams: number;
}
