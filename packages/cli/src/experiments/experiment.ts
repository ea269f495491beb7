import { type RunCommand, type TrainEvent, type TrainSpec, train } from '@downhill/core';
import type { MonoTypeOperatorFunction, Observable } from 'rxjs';

/** One run of an experiment: a training spec and the stream operators its events go through. */
export interface ExperimentRun {
  /** Short label, unique in the experiment (`lr 0.01 (right)`). */
  readonly label: string;
  // biome-ignore lint/suspicious/noExplicitAny: runs over data and over test functions (no batch) mix
  readonly spec: TrainSpec<any>;
  /** Applied to the run's events in order (stop on convergence, early stopping ...). */
  readonly operators?: readonly MonoTypeOperatorFunction<TrainEvent>[];
}

/**
 * A demo experiment reproducing one of the seed documents' figures: several runs meant to be
 * watched side by side (overlaid learning curves, trajectories on one contour plot).
 */
export interface Experiment {
  /** Kebab-case id; also the example's file name in `apps/examples`. */
  readonly name: string;
  readonly title: string;
  /** What to look for, in a sentence or two. */
  readonly description: string;
  /** Builds fresh runs (new buffers and optimizer objects each call). */
  runs(): ExperimentRun[];
}

/**
 * The events of one experiment run, with its operators applied; `control` carries the commands a
 * server routes to it. Every run's `start` config names the experiment and the run, so that a
 * dashboard can group them.
 */
export function experimentRunEvents(
  experiment: Experiment,
  run: ExperimentRun,
  control?: Observable<RunCommand>,
): Observable<TrainEvent> {
  let events = train({
    ...run.spec,
    ...(control ? { control } : {}),
    config: {
      ...run.spec.config,
      name: `${experiment.name}: ${run.label}`,
      experiment: experiment.name,
      title: experiment.title,
      run: run.label,
    },
  });
  for (const operator of run.operators ?? []) events = events.pipe(operator);
  return events;
}
