import { type Matrix, type MatrixData, matrix } from '@downhill/core';
import type { Dataset } from './dataset.js';

function takeMatrix(m: Matrix, indices: ArrayLike<number>): Matrix {
  const Ctor = m.data.constructor as new (n: number) => MatrixData;
  const out = new Ctor(indices.length * m.cols);
  for (let r = 0; r < indices.length; r++) {
    const s = indices[r]!;
    if (!Number.isInteger(s) || s < 0 || s >= m.rows)
      throw new RangeError(`takeRows: index ${s} at position ${r} is outside 0..${m.rows - 1}`);
    out.set(m.data.subarray(s * m.cols, (s + 1) * m.cols), r * m.cols);
  }
  return matrix(out, indices.length, m.cols);
}

/** A new dataset holding copies of the given rows, in the given order. */
export function takeRows(dataset: Dataset, indices: ArrayLike<number>): Dataset {
  return {
    x: takeMatrix(dataset.x, indices),
    y: takeMatrix(dataset.y, indices),
    featureNames: dataset.featureNames,
    targetNames: dataset.targetNames,
  };
}
