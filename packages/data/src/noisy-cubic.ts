import { createRng } from '@downhill/core';
import type { Dataset } from './dataset.js';
import { checkNonNegative, type SyntheticOptions, syntheticMatrix } from './synthetic-options.js';

export interface NoisyCubicOptions extends SyntheticOptions {
  /** Polynomial coefficients from the constant up: default `[-4, 3, 4, 4]`, i.e. `-4 + 3x + 4x^2 + 4x^3`. */
  readonly coefficients?: readonly number[];
  /** y gets uniform jitter in `[-jitter, jitter]` (default 5). */
  readonly jitter?: number;
  /** x is drawn uniformly from this interval (default [-2, 2]). */
  readonly xRange?: readonly [number, number];
}

/** Points on the cubic `y = -4 + 3x + 4x^2 + 4x^3` with uniform jitter of +-5 on y. */
export function noisyCubic(options: NoisyCubicOptions = {}): Dataset {
  const { samples = 100, seed = 0, coefficients = [-4, 3, 4, 4], jitter = 5, xRange = [-2, 2] } = options;
  checkNonNegative('noisyCubic', 'jitter', jitter);
  const x = syntheticMatrix('noisyCubic', samples, 1, options.dtype);
  const y = syntheticMatrix('noisyCubic', samples, 1, options.dtype);
  const rng = createRng(seed);
  for (let i = 0; i < samples; i++) {
    const xi = rng.uniform(xRange[0], xRange[1]);
    // Horner's rule from the highest coefficient down.
    let p = 0;
    for (let k = coefficients.length - 1; k >= 0; k--) p = p * xi + coefficients[k]!;
    x.data[i] = xi;
    y.data[i] = p + rng.uniform(-jitter, jitter);
  }
  return { x, y, featureNames: ['x'], targetNames: ['y'] };
}
