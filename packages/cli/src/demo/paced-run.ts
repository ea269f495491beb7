import type { ExperimentRun } from '../experiments/experiment.js';
import { pacedLoader } from './paced-loader.js';

/** How fast demo runs go: a fixed number of steps a second, or each run stretched over about `seconds`. */
export type Pace = { readonly stepsPerSecond: number } | { readonly seconds: number };

/** Updates a run will take: its `steps`, or `epochs` times the batches per epoch, whichever is smaller. */
export function runLength(run: ExperimentRun): number | undefined {
  const { steps, epochs, loader } = run.spec;
  const byEpochs =
    epochs !== undefined && loader?.batchesPerEpoch !== undefined
      ? epochs * loader.batchesPerEpoch
      : undefined;
  if (steps !== undefined && byEpochs !== undefined) return Math.min(steps, byEpochs);
  return steps ?? byEpochs;
}

/**
 * Steps a second for a run at `pace`. A duration gives every run about the same wall time (a
 * 20-step fit and a 3000-step race end together), between 2 and 1000 steps a second.
 */
export function stepsPerSecondOf(run: ExperimentRun, pace: Pace): number {
  if ('stepsPerSecond' in pace) return pace.stepsPerSecond;
  const steps = runLength(run) ?? 1000;
  return Math.min(1000, Math.max(2, steps / pace.seconds));
}

/** The run with its batches (or, without data, its steps) paced. */
export function pacedRun(run: ExperimentRun, pace: Pace): ExperimentRun {
  const { spec } = run;
  const stepsPerSecond = stepsPerSecondOf(run, pace);
  return {
    ...run,
    spec: {
      ...spec,
      loader: pacedLoader(spec.loader, {
        stepsPerSecond,
        ...(spec.steps !== undefined ? { steps: spec.steps } : {}),
      }),
    },
  };
}
