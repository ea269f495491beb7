import { type TrainEvent, train } from '@downhill/core';
import type { Config } from '@downhill/sweep';
import type { TrialFunction } from '@downhill/sweep/node';
import { defer, type Observable, switchMap } from 'rxjs';
import { trialTrainConfig } from '../config/parse-sweep-config.js';
import { parseTrainConfig } from '../config/parse-train-config.js';
import { type PreparedRun, prepareRun } from '../prepare-run.js';

/** What every trial of a `downhill sweep` shares: the train config as written and where its paths start. */
export interface SweepTrialOptions {
  readonly train: Readonly<Record<string, unknown>>;
  readonly baseDir: string;
}

/** The run of one trial: the train config with the trial's values set into it, built as `downhill train` builds it. */
export function prepareTrial(config: Config, options: SweepTrialOptions): Promise<PreparedRun> {
  return prepareRun(parseTrainConfig(trialTrainConfig(options.train, config)), options.baseDir);
}

/** The prepared run's events with its stopping operators (early stopping, convergence) applied. */
export function withOperators(prepared: PreparedRun, events: Observable<TrainEvent>): Observable<TrainEvent> {
  return prepared.operators.reduce((source, op) => source.pipe(op), events);
}

/**
 * One trial of `downhill sweep`, in this thread or in a worker (which imports this module). Every
 * trial trains with the train config's own seed (the same split, initial parameters and
 * shuffles), so trials differ only in their hyperparameters.
 */
export const sweepTrial: TrialFunction = async (config, control, options) => {
  const prepared = await prepareTrial(config, options as SweepTrialOptions);
  return withOperators(prepared, train({ ...prepared.spec, runId: control.trialId }));
};

/** `sweepTrial` as an Observable from the start (for the in-thread executor). */
export function inlineTrial(
  config: Config,
  control: { readonly trialId: string; readonly index: number; readonly seed: number },
  options: SweepTrialOptions,
): Observable<TrainEvent> {
  return defer(async () => sweepTrial(config, control, options)).pipe(switchMap((events) => events));
}
