import { matrix } from '@downhill/core';
import { jsonValue } from './cell-value.js';
import { allocate, type Dataset, type DType } from './dataset.js';

export interface FromRowsOptions {
  /** Target field(s). */
  readonly targets: string | readonly string[];
  /** Feature fields, in order (default: every field of the first row that is not a target). */
  readonly features?: readonly string[];
  /** Element type of the matrices (default `float64`). */
  readonly dtype?: DType;
}

/**
 * A dataset from row objects such as `{ size: 2104, rooms: 3, price: 399900 }`. A missing,
 * non-numeric or non-finite field is an error naming the row index and the field.
 */
export function fromRows(
  rows: readonly Readonly<Record<string, unknown>>[],
  options: FromRowsOptions,
): Dataset {
  const targets = typeof options.targets === 'string' ? [options.targets] : [...options.targets];
  const first = rows[0];
  let features: readonly string[];
  if (options.features) features = options.features;
  else if (first) features = Object.keys(first).filter((k) => !targets.includes(k));
  else throw new RangeError('fromRows: no rows, and no features given');
  const dtype = options.dtype ?? 'float64';
  const x = allocate(dtype, rows.length * features.length);
  const y = allocate(dtype, rows.length * targets.length);
  const read = (fields: readonly string[], out: Float64Array | Float32Array, r: number): void => {
    const row = rows[r]!;
    for (let c = 0; c < fields.length; c++) {
      const field = fields[c]!;
      const v = Object.hasOwn(row, field) ? jsonValue(row[field]) : 'missing field';
      if (typeof v === 'string') throw new RangeError(`fromRows: rows[${r}].${field}: ${v}`);
      out[r * fields.length + c] = v;
    }
  };
  for (let r = 0; r < rows.length; r++) {
    read(features, x, r);
    read(targets, y, r);
  }
  return {
    x: matrix(x, rows.length, features.length),
    y: matrix(y, rows.length, targets.length),
    featureNames: features,
    targetNames: targets,
  };
}
