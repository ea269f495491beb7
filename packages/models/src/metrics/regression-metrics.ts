import type { Matrix } from '@downhill/core';

/** sqrt((1/n) sum_i (p_i - y_i)^2) over all rows * outputs elements. */
export function rootMeanSquaredError(predictions: ArrayLike<number>, targets: Matrix): number {
  const n = targets.rows * targets.cols;
  if (n === 0) return 0;
  const y = targets.data;
  let s = 0;
  for (let i = 0; i < n; i++) {
    const r = predictions[i]! - y[i]!;
    s += r * r;
  }
  return Math.sqrt(s / n);
}

/**
 * Coefficient of determination R^2 = 1 - SS_res / SS_tot, with SS_tot taken around each output
 * column's own mean and both sums pooled over the columns (the "variance weighted" R^2).
 * 1 is a perfect fit, 0 is no better than predicting the mean; NaN when the targets are constant.
 */
export function rSquared(predictions: ArrayLike<number>, targets: Matrix): number {
  const { rows, cols, data: y } = targets;
  let ssRes = 0;
  let ssTot = 0;
  for (let c = 0; c < cols; c++) {
    let mean = 0;
    for (let r = 0; r < rows; r++) mean += y[r * cols + c]!;
    mean /= rows;
    for (let r = 0; r < rows; r++) {
      const t = y[r * cols + c]!;
      const e = predictions[r * cols + c]! - t;
      ssRes += e * e;
      ssTot += (t - mean) * (t - mean);
    }
  }
  return ssTot === 0 ? Number.NaN : 1 - ssRes / ssTot;
}
