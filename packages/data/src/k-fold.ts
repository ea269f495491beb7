import type { Dataset } from './dataset.js';
import { permutation } from './split-dataset.js';
import { takeRows } from './take-rows.js';

export interface KFoldOptions {
  /** Number of folds, an integer in [2, samples]. */
  readonly k: number;
  readonly seed?: number;
  /** Shuffle before cutting (default true). */
  readonly shuffle?: boolean;
}

export interface Fold {
  readonly train: Dataset;
  readonly validation: Dataset;
}

/**
 * k-fold cross-validation: the seeded order is cut into k contiguous folds (the first `n mod k`
 * one sample larger, as scikit-learn's KFold does); fold i validates on part i and trains on the
 * others, so every sample is validated on exactly once.
 */
export function kFold(dataset: Dataset, options: KFoldOptions): Fold[] {
  const { k, seed = 0, shuffle = true } = options;
  const n = dataset.x.rows;
  if (!Number.isInteger(k) || k < 2 || k > n)
    throw new RangeError(`kFold: k must be an integer in [2, ${n}] for ${n} samples, got ${k}`);
  const order = permutation(n, seed, shuffle);
  const base = Math.floor(n / k);
  const extra = n % k;
  const folds: Fold[] = [];
  let start = 0;
  for (let i = 0; i < k; i++) {
    const size = base + (i < extra ? 1 : 0);
    const end = start + size;
    const rest = new Uint32Array(n - size);
    rest.set(order.subarray(0, start));
    rest.set(order.subarray(end), start);
    folds.push({ train: takeRows(dataset, rest), validation: takeRows(dataset, order.subarray(start, end)) });
    start = end;
  }
  return folds;
}
