import { type Description, type Matrix, type MatrixData, matrix } from '@downhill/core';

/**
 * A fitted per-column affine map `x' = (x - center) / scale + offset`. Fit it on the training
 * part only and apply it to every part, so no statistic of validation or test data leaks into
 * training.
 */
export interface FeatureScaler {
  readonly method: 'standard' | 'min-max';
  readonly center: Float64Array;
  readonly scale: Float64Array;
  readonly offset: number;
  /** A scaled copy of `m` (same element type). */
  transform<TData extends MatrixData>(m: Matrix<TData>): Matrix<TData>;
  /** Undoes `transform` (a copy): `x = (x' - offset) * scale + center`. */
  inverseTransform<TData extends MatrixData>(m: Matrix<TData>): Matrix<TData>;
  describe(): Description;
}

/** Builds a scaler from its fitted statistics. */
export function affineScaler(
  method: FeatureScaler['method'],
  center: Float64Array,
  scale: Float64Array,
  offset: number,
): FeatureScaler {
  const cols = center.length;
  const check = (m: Matrix): void => {
    if (m.cols !== cols) throw new RangeError(`${method} scaler: fitted on ${cols} columns, got ${m.cols}`);
  };
  const map = <TData extends MatrixData>(m: Matrix<TData>, inverse: boolean): Matrix<TData> => {
    check(m);
    const out = (m.data as MatrixData).slice() as TData;
    for (let r = 0; r < m.rows; r++) {
      for (let c = 0; c < cols; c++) {
        const i = r * cols + c;
        out[i] = inverse
          ? (out[i]! - offset) * scale[c]! + center[c]!
          : (out[i]! - center[c]!) / scale[c]! + offset;
      }
    }
    return matrix(out, m.rows, cols);
  };
  return {
    method,
    center,
    scale,
    offset,
    transform: (m) => map(m, false),
    inverseTransform: (m) => map(m, true),
    describe: () => ({
      name: `${method}-scaler`,
      center: Array.from(center),
      scale: Array.from(scale),
      offset,
    }),
  };
}
