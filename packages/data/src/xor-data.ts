import { createRng } from '@downhill/core';
import type { Dataset } from './dataset.js';
import { checkNonNegative, type SyntheticOptions, syntheticMatrix } from './synthetic-options.js';

export interface XorOptions extends SyntheticOptions {
  /** Points keep at least this distance from both axes before noise (default 0.1). */
  readonly margin?: number;
  /** Standard deviation of Gaussian noise added after labelling (default 0). */
  readonly noise?: number;
}

/**
 * The XOR problem: points uniform in the square [-1, 1]^2 (kept `margin` away from the axes),
 * class 1 where exactly one coordinate is positive (the signs differ), else 0. Not linearly
 * separable.
 */
export function xorData(options: XorOptions = {}): Dataset {
  const { samples = 200, seed = 0, margin = 0.1, noise = 0 } = options;
  if (!(margin >= 0 && margin < 1)) throw new RangeError(`xorData: margin must be in [0, 1), got ${margin}`);
  checkNonNegative('xorData', 'noise', noise);
  const x = syntheticMatrix('xorData', samples, 2, options.dtype);
  const y = syntheticMatrix('xorData', samples, 1, options.dtype);
  const rng = createRng(seed);
  for (let i = 0; i < samples; i++) {
    const a = rng.uniform(margin, 1) * (rng.next() < 0.5 ? -1 : 1);
    const b = rng.uniform(margin, 1) * (rng.next() < 0.5 ? -1 : 1);
    y.data[i] = a > 0 !== b > 0 ? 1 : 0;
    x.data[2 * i] = a + (noise > 0 ? rng.normal(0, noise) : 0);
    x.data[2 * i + 1] = b + (noise > 0 ? rng.normal(0, noise) : 0);
  }
  return { x, y, featureNames: ['x1', 'x2'], targetNames: ['class'] };
}
