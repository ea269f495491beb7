import { matrix } from '@downhill/core';
import { DataError } from './data-error.js';
import { allocate, type Dataset, type DType } from './dataset.js';
import type { RowSource } from './row-source.js';

/** A dataset read from a file or stream, with the number of invalid rows skipped on the way. */
export interface ReadDataset extends Dataset {
  /** Rows dropped with `onInvalid: 'skip'` (0 otherwise). */
  readonly skipped: number;
}

export interface ReadRowsOptions {
  /** Element type of the matrices (default `float64`). */
  readonly dtype?: DType;
}

/** Reads every row of a source into memory (one pass). An empty source is an error naming it. */
export async function readRows(source: RowSource, options: ReadRowsOptions = {}): Promise<ReadDataset> {
  const reader = source.open();
  let values = new Float64Array(1024);
  let used = 0;
  for await (const block of reader) {
    const length = block.rows * block.width;
    if (used + length > values.length) {
      const grown = new Float64Array(Math.max(values.length * 2, used + length));
      grown.set(values);
      values = grown;
    }
    values.set(block.values.subarray(0, length), used);
    used += length;
  }
  const layout = reader.layout;
  if (layout === undefined || reader.rows === 0) {
    throw new DataError(`no data rows${reader.skipped > 0 ? ` (${reader.skipped} skipped)` : ''}`, {
      file: source.name,
    });
  }
  const nf = layout.featureIndex.length;
  const nt = layout.targetIndex.length;
  const n = reader.rows;
  const dtype = options.dtype ?? 'float64';
  const x = allocate(dtype, n * nf);
  const y = allocate(dtype, n * nt);
  const width = nf + nt;
  for (let r = 0; r < n; r++) {
    const o = r * width;
    for (let c = 0; c < nf; c++) x[r * nf + c] = values[o + c]!;
    for (let c = 0; c < nt; c++) y[r * nt + c] = values[o + nf + c]!;
  }
  return {
    x: matrix(x, n, nf),
    y: matrix(y, n, nt),
    featureNames: layout.featureNames,
    targetNames: layout.targetNames,
    skipped: reader.skipped,
  };
}
