import type { Matrix } from '@downhill/core';
import { affineScaler, type FeatureScaler } from './feature-scaler.js';

/**
 * Min-max scaling to `[low, high]` (default [0, 1]) per column:
 * `x' = (x - min) / (max - min) * (high - low) + low`. A constant column maps to `low`.
 * Data outside the fitted range (validation, test) maps outside `[low, high]`, as it should.
 */
export function fitMinMaxScaler(
  m: Matrix,
  options: { range?: readonly [number, number] } = {},
): FeatureScaler {
  const [low, high] = options.range ?? [0, 1];
  if (!(Number.isFinite(low) && Number.isFinite(high) && low < high))
    throw new RangeError(`fitMinMaxScaler: range must be finite with low < high, got [${low}, ${high}]`);
  const { rows, cols, data } = m;
  if (rows === 0) throw new RangeError('fitMinMaxScaler: cannot fit on 0 rows');
  const min = new Float64Array(cols).fill(Number.POSITIVE_INFINITY);
  const max = new Float64Array(cols).fill(Number.NEGATIVE_INFINITY);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      const v = data[r * cols + c]!;
      if (v < min[c]!) min[c] = v;
      if (v > max[c]!) max[c] = v;
    }
  }
  const scale = new Float64Array(cols);
  for (let c = 0; c < cols; c++) {
    const span = max[c]! - min[c]!;
    scale[c] = span > 0 ? span / (high - low) : 1;
  }
  return affineScaler('min-max', min, scale, low);
}
