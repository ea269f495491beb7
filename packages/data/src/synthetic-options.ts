import { type Matrix, type MatrixData, matrix } from '@downhill/core';
import { allocate, type DType } from './dataset.js';

/** Options every synthetic data set takes. */
export interface SyntheticOptions {
  /** Number of samples. */
  readonly samples?: number;
  /** Seeds every random draw: the same seed gives the same data (default 0). */
  readonly seed?: number;
  /** Element type of the matrices (default `float64`). */
  readonly dtype?: DType;
}

/** Checks a sample count and allocates an `n x cols` matrix. */
export function syntheticMatrix(
  what: string,
  n: number,
  cols: number,
  dtype: DType = 'float64',
): Matrix<MatrixData> {
  if (!Number.isInteger(n) || n < 1)
    throw new RangeError(`${what}: samples must be an integer >= 1, got ${n}`);
  return matrix(allocate(dtype, n * cols), n, cols);
}

/** Writes class `k` of `classes` into row `r` of `y`: the index, or a one-hot row. */
export function writeLabel(y: Matrix, r: number, k: number, classes: number, oneHot: boolean): void {
  if (oneHot) {
    for (let c = 0; c < classes; c++) y.data[r * classes + c] = c === k ? 1 : 0;
  } else {
    y.data[r] = k;
  }
}

export function checkNonNegative(what: string, name: string, value: number): void {
  if (!(Number.isFinite(value) && value >= 0))
    throw new RangeError(`${what}: ${name} must be a finite number >= 0, got ${value}`);
}
