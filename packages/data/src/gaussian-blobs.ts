import { createRng } from '@downhill/core';
import type { Dataset } from './dataset.js';
import { checkNonNegative, type SyntheticOptions, syntheticMatrix, writeLabel } from './synthetic-options.js';

export interface GaussianBlobsOptions extends SyntheticOptions {
  /** The blob centres, or how many to draw uniformly inside `box` (default 3). */
  readonly centers?: number | readonly (readonly number[])[];
  /** Dimension when the centres are drawn (default 2). */
  readonly features?: number;
  /** Standard deviation of every blob, per coordinate (default 1). */
  readonly std?: number;
  /** Interval the drawn centres lie in, per coordinate (default [-10, 10]). */
  readonly box?: readonly [number, number];
  /** Targets as one-hot rows instead of one class-index column (default false). */
  readonly oneHot?: boolean;
}

/** The blobs with their centres, for checks and plots. */
export interface GaussianBlobs extends Dataset {
  readonly centers: readonly (readonly number[])[];
}

/**
 * Isotropic Gaussian clusters, one class each: sample i belongs to blob `i mod k` (so the classes
 * differ in size by at most one) and is `center + N(0, std^2 I)`.
 */
export function gaussianBlobs(options: GaussianBlobsOptions = {}): GaussianBlobs {
  const { samples = 300, seed = 0, std = 1, box = [-10, 10], oneHot = false } = options;
  checkNonNegative('gaussianBlobs', 'std', std);
  const rng = createRng(seed);
  const given = options.centers;
  let centers: number[][];
  if (typeof given === 'object') {
    centers = given.map((c) => [...c]);
  } else {
    const k = given ?? 3;
    const d = options.features ?? 2;
    if (!Number.isInteger(k) || k < 1) throw new RangeError(`gaussianBlobs: centers must be >= 1, got ${k}`);
    if (!Number.isInteger(d) || d < 1) throw new RangeError(`gaussianBlobs: features must be >= 1, got ${d}`);
    centers = Array.from({ length: k }, () => Array.from({ length: d }, () => rng.uniform(box[0], box[1])));
  }
  const k = centers.length;
  const d = centers[0]?.length ?? 0;
  if (k === 0 || d === 0 || centers.some((c) => c.length !== d))
    throw new RangeError('gaussianBlobs: centers must be a non-empty list of points of one dimension');
  const x = syntheticMatrix('gaussianBlobs', samples, d, options.dtype);
  const y = syntheticMatrix('gaussianBlobs', samples, oneHot ? k : 1, options.dtype);
  for (let i = 0; i < samples; i++) {
    const c = i % k;
    for (let j = 0; j < d; j++) x.data[i * d + j] = centers[c]![j]! + rng.normal(0, std);
    writeLabel(y, i, c, k, oneHot);
  }
  return { x, y, centers };
}
