import { availableParallelism } from 'node:os';
import { defer, EMPTY, finalize, type Observable } from 'rxjs';
import { type SweepOptions, sweep } from '../sweep.js';
import type { SweepEvent } from '../sweep-event.js';
import type { TrialModule } from './trial-module.js';
import { TrialPool } from './trial-pool.js';

export interface ThreadSweepOptions extends Omit<SweepOptions, 'objective' | 'concurrency'> {
  /** Where each worker finds the trial function (a worker cannot be handed a function). */
  readonly trial: TrialModule;
  /** Worker threads, each running one trial at a time (default: the available cores). */
  readonly concurrency?: number;
}

function checkTrial(trial: TrialModule): void {
  if (typeof trial?.module !== 'string' || trial.module === '')
    throw new TypeError(
      `threadSweep: trial.module must be a module specifier or file URL, got ${JSON.stringify(trial?.module)}`,
    );
  if (typeof trial.export !== 'string' || trial.export === '')
    throw new TypeError(
      `threadSweep: trial.export must name the trial function, got ${JSON.stringify(trial.export)}`,
    );
  try {
    structuredClone(trial.options);
  } catch (error) {
    throw new TypeError(
      `threadSweep: trial.options must survive a structured clone to reach the workers (${(error as Error).message})`,
    );
  }
}

/**
 * `sweep()` with its trials in worker threads across the cores of this machine: the same options
 * (the trial named by module and export instead of a function) and the same events. Each
 * subscription starts up to `concurrency` workers as trials need them, reuses them, and
 * terminates them when the sweep ends or is unsubscribed. A trial that throws, or whose worker
 * dies, is recorded as failed; the sweep goes on with a new worker. After each epoch a trial's
 * worker waits for the sweep's verdict, so a trial pruned at a rung stops there, as in-thread.
 */
export function threadSweep(options: ThreadSweepOptions): Observable<SweepEvent> {
  checkTrial(options.trial);
  const { trial, ...rest } = options;
  const concurrency = options.concurrency ?? availableParallelism();
  // Checks every other option now, as sweep() does, rather than at subscription.
  sweep({ ...rest, concurrency, objective: () => EMPTY });
  return defer(() => {
    const pool = new TrialPool({ trial, size: concurrency });
    return sweep({ ...rest, concurrency, objective: (config, control) => pool.run(config, control) }).pipe(
      finalize(() => void pool.close()),
    );
  });
}
