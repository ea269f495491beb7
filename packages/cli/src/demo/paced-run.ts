import type { ExperimentRun } from '../experiments/experiment.js';
import { pacedLoader } from './paced-loader.js';

/** The run with its batches (or, without data, its steps) paced to `stepsPerSecond`. */
export function pacedRun(run: ExperimentRun, stepsPerSecond: number): ExperimentRun {
  const { spec } = run;
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
