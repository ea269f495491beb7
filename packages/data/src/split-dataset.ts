import { createRng, deriveSeed } from '@downhill/core';
import type { Dataset } from './dataset.js';
import { takeRows } from './take-rows.js';

export interface SplitOptions {
  /** Fraction of the samples for validation, in [0, 1) (default 0). */
  readonly validation?: number;
  /** Fraction of the samples for test, in [0, 1) (default 0). */
  readonly test?: number;
  /** Seeds the shuffle before cutting (default 0). */
  readonly seed?: number;
  /** Shuffle before cutting (default true); false keeps the order (time series). */
  readonly shuffle?: boolean;
}

export interface Splits {
  readonly train: Dataset;
  readonly validation: Dataset;
  readonly test: Dataset;
}

/** A seeded permutation of 0..n-1, or the identity when not shuffling. */
export function permutation(n: number, seed: number, shuffle = true): Uint32Array {
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  return shuffle ? createRng(deriveSeed(seed, 0x5eed)).shuffle(order) : order;
}

/**
 * Seeded train / validation / test split: the samples are shuffled once with the seed, then cut
 * into `round(validation * n)` validation rows, `round(test * n)` test rows and the rest for
 * training. Every sample lands in exactly one part.
 */
export function splitDataset(dataset: Dataset, options: SplitOptions): Splits {
  const { validation = 0, test = 0, seed = 0, shuffle = true } = options;
  for (const [name, f] of [
    ['validation', validation],
    ['test', test],
  ] as const) {
    if (!(f >= 0 && f < 1))
      throw new RangeError(`splitDataset: ${name} must be a fraction in [0, 1), got ${f}`);
  }
  const n = dataset.x.rows;
  const nv = Math.round(validation * n);
  const nt = Math.round(test * n);
  if (nv + nt >= n) {
    throw new RangeError(
      `splitDataset: validation ${validation} and test ${test} of ${n} samples leave no training sample`,
    );
  }
  const order = permutation(n, seed, shuffle);
  const ntrain = n - nv - nt;
  return {
    train: takeRows(dataset, order.subarray(0, ntrain)),
    validation: takeRows(dataset, order.subarray(ntrain, ntrain + nv)),
    test: takeRows(dataset, order.subarray(ntrain + nv)),
  };
}
