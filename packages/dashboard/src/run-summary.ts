import type { RunStatus } from './run-status.js';

/**
 * What the run list and the comparison table show about one run. Built from a run's events by
 * `RunSeries.summary()`, or mapped from the server's run list by the app.
 */
export interface RunSummary {
  readonly runId: string;
  /** A display name (`config.extra.name` when the run has one). */
  readonly name: string;
  readonly status: RunStatus;
  /** Optimizer name, e.g. `adam`. */
  readonly optimizer: string;
  /** Key hyperparameters: the optimizer's numeric settings plus batch size and seed. */
  readonly hyperparams: Readonly<Record<string, number | string>>;
  /** Steps done so far. */
  readonly step: number;
  readonly epoch: number;
  /** Latest batch loss (NaN before the first step). */
  readonly loss: number;
  readonly bestLoss: number;
  readonly validationLoss: number;
  /** Latest learning rate (NaN when unknown). */
  readonly learningRate: number;
  /** Milliseconds since the run started, at its latest event. */
  readonly time: number;
  /** When the run started (ms since the epoch), when known (the server knows it). */
  readonly startedAt?: number;
  /** Labels the user gave the run. */
  readonly tags?: readonly string[];
}
