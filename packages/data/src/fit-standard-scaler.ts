import type { Matrix } from '@downhill/core';
import { affineScaler, type FeatureScaler } from './feature-scaler.js';

/**
 * Standardisation (z-score): `x' = (x - mean) / std` per column, with the population standard
 * deviation `std = sqrt(sum((x - mean)^2) / n)` (as scikit-learn's StandardScaler). A constant
 * column has std 0 and is only centred (its scale is set to 1).
 */
export function fitStandardScaler(m: Matrix): FeatureScaler {
  const { rows, cols, data } = m;
  if (rows === 0) throw new RangeError('fitStandardScaler: cannot fit on 0 rows');
  const mean = new Float64Array(cols);
  const std = new Float64Array(cols);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) mean[c]! += data[r * cols + c]!;
  for (let c = 0; c < cols; c++) mean[c]! /= rows;
  // Two passes: summing squared deviations from the mean avoids the cancellation of E[x^2] - E[x]^2.
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      const d = data[r * cols + c]! - mean[c]!;
      std[c]! += d * d;
    }
  }
  for (let c = 0; c < cols; c++) {
    const s = Math.sqrt(std[c]! / rows);
    std[c] = s > 0 ? s : 1;
  }
  return affineScaler('standard', mean, std, 0);
}
