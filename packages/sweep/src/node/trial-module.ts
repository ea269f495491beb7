import type { TrainEvent } from '@downhill/core';
import type { Observable } from 'rxjs';
import type { Config } from '../domain.js';
import type { TrialControl } from '../sweep.js';

/**
 * One trial as a worker thread builds it: `(await import(module))[export](config, control, options)`.
 * A worker cannot receive a function, so the trial is named by where it lives.
 */
export interface TrialModule {
  /** A module specifier or file URL every worker can import (`'my-package/trials'`, `new URL('./trial.ts', import.meta.url).href`). */
  readonly module: string;
  /** The export to call; it must be a {@link TrialFunction}. */
  readonly export: string;
  /** Its third argument, the same for every trial; must survive a structured clone (no functions). */
  readonly options?: unknown;
}

/**
 * What a trial module exports: the trial's events for a config, usually `train({...})`.
 * Unsubscribing it must stop the run (train() does). It may return a promise (to load data first).
 */
export type TrialFunction = (
  config: Config,
  control: TrialControl,
  options: unknown,
) => Observable<TrainEvent> | Promise<Observable<TrainEvent>>;
