import { batchSizes } from './batch-sizes.js';
import type { Experiment } from './experiment.js';
import { learningRates } from './learning-rates.js';
import { lineAndCubic } from './line-and-cubic.js';
import { localMinima } from './local-minima.js';
import { rosenbrockRace } from './rosenbrock-race.js';
import { saddlePoint } from './saddle-point.js';
import { warmRestartsSwa } from './warm-restarts-swa.js';

/** Every demo experiment, in the order `downhill demo` starts them. */
export const experiments: readonly Experiment[] = [
  lineAndCubic,
  learningRates,
  batchSizes,
  localMinima,
  saddlePoint,
  rosenbrockRace,
  warmRestartsSwa,
];
