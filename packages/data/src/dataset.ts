import type { Matrix, MatrixData } from '@downhill/core';

/** Element type of a dataset's matrices. */
export type DType = 'float64' | 'float32';

/**
 * Supervised examples in memory: row i of `x` is one input, row i of `y` its target(s). Both
 * matrices are row-major and of the same element type.
 */
export interface Dataset<TData extends MatrixData = MatrixData> {
  readonly x: Matrix<TData>;
  readonly y: Matrix<TData>;
  readonly featureNames?: readonly string[] | undefined;
  readonly targetNames?: readonly string[] | undefined;
}

/** Allocates a zeroed buffer of the given element type. */
export function allocate(dtype: DType, length: number): Float64Array | Float32Array {
  return dtype === 'float32' ? new Float32Array(length) : new Float64Array(length);
}

/** The element type of a matrix buffer. */
export function dtypeOf(data: MatrixData): DType {
  return data instanceof Float32Array ? 'float32' : 'float64';
}
