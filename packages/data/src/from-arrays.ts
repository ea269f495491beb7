import { matrix } from '@downhill/core';
import { jsonValue } from './cell-value.js';
import { allocate, type Dataset, type DType } from './dataset.js';

/** A column of numbers (one value per sample) or rows of numbers (one array per sample). */
export type NumberTable = readonly number[] | readonly (readonly number[])[];

export interface FromArraysOptions {
  /** Inputs: one number per sample, or one array of features per sample. */
  readonly x: NumberTable;
  /** Targets: one number per sample, or one array of targets per sample. */
  readonly y: NumberTable;
  /** Element type of the matrices (default `float64`). */
  readonly dtype?: DType;
  readonly featureNames?: readonly string[];
  readonly targetNames?: readonly string[];
}

function widthOf(table: NumberTable, name: string): number {
  if (table.length === 0) return 0;
  const first = table[0];
  if (typeof first === 'number') return 1;
  if (!Array.isArray(first))
    throw new TypeError(`fromArrays: ${name}[0] must be a number or an array of numbers`);
  return first.length;
}

function fill(table: NumberTable, width: number, out: Float64Array | Float32Array, name: string): void {
  for (let r = 0; r < table.length; r++) {
    const row = table[r];
    if (!Array.isArray(row)) {
      if (width !== 1 || typeof row === 'object')
        throw new RangeError(`fromArrays: ${name}[${r}] is not an array`);
      const v = jsonValue(row);
      if (typeof v === 'string') throw new RangeError(`fromArrays: ${name}[${r}]: ${v}`);
      out[r] = v;
      continue;
    }
    if (row.length !== width) {
      throw new RangeError(`fromArrays: ${name}[${r}] has ${row.length} values, ${name}[0] has ${width}`);
    }
    for (let c = 0; c < width; c++) {
      const v = jsonValue(row[c]);
      if (typeof v === 'string') throw new RangeError(`fromArrays: ${name}[${r}][${c}]: ${v}`);
      out[r * width + c] = v;
    }
  }
}

/**
 * A dataset copied from plain arrays: `fromArrays({ x: [[1, 2], [3, 4]], y: [0, 1] })`. Every value
 * must be a finite number; a bad one is named by its index (`x[3][1]`).
 */
export function fromArrays(options: FromArraysOptions): Dataset {
  const { x, y, dtype = 'float64' } = options;
  if (x.length !== y.length) {
    throw new RangeError(`fromArrays: x has ${x.length} samples, y has ${y.length}`);
  }
  const features = widthOf(x, 'x');
  const targets = widthOf(y, 'y');
  const xData = allocate(dtype, x.length * features);
  const yData = allocate(dtype, y.length * targets);
  fill(x, features, xData, 'x');
  fill(y, targets, yData, 'y');
  return {
    x: matrix(xData, x.length, features),
    y: matrix(yData, y.length, targets),
    featureNames: options.featureNames,
    targetNames: options.targetNames,
  };
}
