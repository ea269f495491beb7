import { createRng } from '@downhill/core';
import type { Dataset } from './dataset.js';
import { checkNonNegative, type SyntheticOptions, syntheticMatrix } from './synthetic-options.js';

export interface NoisyLineOptions extends SyntheticOptions {
  /** Default 5. */
  readonly slope?: number;
  /** Default 3. */
  readonly intercept?: number;
  /** Standard deviation of the Gaussian noise added to y (default 1). */
  readonly noise?: number;
  /** x is drawn uniformly from this interval (default [0, 2]). */
  readonly xRange?: readonly [number, number];
}

/** Points on the line `y = 5x + 3` (slope and intercept configurable) with Gaussian noise on y. */
export function noisyLine(options: NoisyLineOptions = {}): Dataset {
  const { samples = 100, seed = 0, slope = 5, intercept = 3, noise = 1, xRange = [0, 2] } = options;
  checkNonNegative('noisyLine', 'noise', noise);
  const x = syntheticMatrix('noisyLine', samples, 1, options.dtype);
  const y = syntheticMatrix('noisyLine', samples, 1, options.dtype);
  const rng = createRng(seed);
  for (let i = 0; i < samples; i++) {
    const xi = rng.uniform(xRange[0], xRange[1]);
    x.data[i] = xi;
    y.data[i] = slope * xi + intercept + (noise > 0 ? rng.normal(0, noise) : 0);
  }
  return { x, y, featureNames: ['x'], targetNames: ['y'] };
}
