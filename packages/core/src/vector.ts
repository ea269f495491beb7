/** A parameter vector, gradient or update: one flat, contiguous buffer of doubles. */
export type Vector = Float64Array;

/** Element storage for data matrices: doubles, or floats when memory matters more than precision. */
export type MatrixData = Float64Array | Float32Array;

/** A dense row-major matrix: element (r, c) sits at `data[r * cols + c]`. */
export interface Matrix<TData extends MatrixData = MatrixData> {
  readonly data: TData;
  readonly rows: number;
  readonly cols: number;
}

/** Checks that `data` holds exactly `rows * cols` elements and returns the matrix. */
export function matrix<TData extends MatrixData>(data: TData, rows: number, cols: number): Matrix<TData> {
  if (!Number.isInteger(rows) || rows < 0)
    throw new RangeError(`matrix: rows must be a non-negative integer, got ${rows}`);
  if (!Number.isInteger(cols) || cols < 0)
    throw new RangeError(`matrix: cols must be a non-negative integer, got ${cols}`);
  if (data.length !== rows * cols) {
    throw new RangeError(`matrix: data has ${data.length} elements, expected rows * cols = ${rows * cols}`);
  }
  return { data, rows, cols };
}
