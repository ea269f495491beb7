import { createRng } from '@downhill/core';
import type { Dataset } from './dataset.js';
import { checkNonNegative, type SyntheticOptions, syntheticMatrix, writeLabel } from './synthetic-options.js';

export interface SpiralsOptions extends SyntheticOptions {
  /** Number of arms, one class each (default 2). */
  readonly arms?: number;
  /** Turns each arm makes from the centre to radius 1 (default 1). */
  readonly turns?: number;
  /** Standard deviation of the Gaussian noise on both coordinates (default 0.05). */
  readonly noise?: number;
  /** Targets as one-hot rows instead of one class-index column (default false). */
  readonly oneHot?: boolean;
}

/**
 * Interleaved Archimedean spirals: sample i is on arm `j = i mod arms` at radius
 * `r = (q + 0.5) / m` (q its rank on the arm, m the arm's size) and angle
 * `theta = 2 pi (turns r + j / arms)`, at `(r cos theta, r sin theta)` plus noise.
 */
export function spirals(options: SpiralsOptions = {}): Dataset {
  const { samples = 200, seed = 0, arms = 2, turns = 1, noise = 0.05, oneHot = false } = options;
  if (!Number.isInteger(arms) || arms < 2)
    throw new RangeError(`spirals: arms must be an integer >= 2, got ${arms}`);
  checkNonNegative('spirals', 'turns', turns);
  checkNonNegative('spirals', 'noise', noise);
  const x = syntheticMatrix('spirals', samples, 2, options.dtype);
  const y = syntheticMatrix('spirals', samples, oneHot ? arms : 1, options.dtype);
  const rng = createRng(seed);
  for (let i = 0; i < samples; i++) {
    const j = i % arms;
    const q = Math.floor(i / arms);
    const m = Math.floor(samples / arms) + (j < samples % arms ? 1 : 0);
    const r = (q + 0.5) / m;
    const theta = 2 * Math.PI * (turns * r + j / arms);
    x.data[2 * i] = r * Math.cos(theta) + (noise > 0 ? rng.normal(0, noise) : 0);
    x.data[2 * i + 1] = r * Math.sin(theta) + (noise > 0 ? rng.normal(0, noise) : 0);
    writeLabel(y, i, j, arms, oneHot);
  }
  return { x, y, featureNames: ['x1', 'x2'] };
}
