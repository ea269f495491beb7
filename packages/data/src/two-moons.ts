import { createRng } from '@downhill/core';
import type { Dataset } from './dataset.js';
import { checkNonNegative, type SyntheticOptions, syntheticMatrix } from './synthetic-options.js';

export interface TwoMoonsOptions extends SyntheticOptions {
  /** Standard deviation of the Gaussian noise on both coordinates (default 0.1). */
  readonly noise?: number;
}

/**
 * Two interleaving half circles (scikit-learn's make_moons): class 0 on
 * `(cos t, sin t)`, class 1 on `(1 - cos t, 0.5 - sin t)`, t evenly spaced in [0, pi], plus noise.
 * The first `ceil(n / 2)` samples are class 0.
 */
export function twoMoons(options: TwoMoonsOptions = {}): Dataset {
  const { samples = 200, seed = 0, noise = 0.1 } = options;
  checkNonNegative('twoMoons', 'noise', noise);
  const x = syntheticMatrix('twoMoons', samples, 2, options.dtype);
  const y = syntheticMatrix('twoMoons', samples, 1, options.dtype);
  const rng = createRng(seed);
  const outer = Math.ceil(samples / 2);
  const inner = samples - outer;
  for (let i = 0; i < samples; i++) {
    const isOuter = i < outer;
    const m = isOuter ? outer : inner;
    const t = m > 1 ? (Math.PI * (isOuter ? i : i - outer)) / (m - 1) : 0;
    const px = isOuter ? Math.cos(t) : 1 - Math.cos(t);
    const py = isOuter ? Math.sin(t) : 0.5 - Math.sin(t);
    x.data[2 * i] = px + (noise > 0 ? rng.normal(0, noise) : 0);
    x.data[2 * i + 1] = py + (noise > 0 ? rng.normal(0, noise) : 0);
    y.data[i] = isOuter ? 0 : 1;
  }
  return { x, y, featureNames: ['x1', 'x2'], targetNames: ['class'] };
}
