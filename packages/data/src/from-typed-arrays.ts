import { matrix } from '@downhill/core';
import type { Dataset } from './dataset.js';

export interface FromTypedArraysOptions<TData extends Float64Array | Float32Array> {
  /** Row-major inputs, `samples * features` values. Used as is, not copied. */
  readonly x: TData;
  /** Row-major targets, `samples * targets` values, of the same element type as `x`. */
  readonly y: TData;
  /** Features per sample (default 1). */
  readonly features?: number;
  /** Targets per sample (default 1). */
  readonly targets?: number;
  readonly featureNames?: readonly string[];
  readonly targetNames?: readonly string[];
}

function firstNonFinite(data: Float64Array | Float32Array): number {
  for (let i = 0; i < data.length; i++) if (!Number.isFinite(data[i]!)) return i;
  return -1;
}

/**
 * A dataset over existing typed arrays (no copy): the loaders read them in place. Both arrays must
 * hold finite values only; a bad one is named by sample and column.
 */
export function fromTypedArrays<TData extends Float64Array | Float32Array>(
  options: FromTypedArraysOptions<TData>,
): Dataset<TData> {
  const { x, y, features = 1, targets = 1 } = options;
  if (!Number.isInteger(features) || features < 1)
    throw new RangeError(`fromTypedArrays: features must be an integer >= 1, got ${features}`);
  if (!Number.isInteger(targets) || targets < 0)
    throw new RangeError(`fromTypedArrays: targets must be an integer >= 0, got ${targets}`);
  if (x.constructor !== y.constructor)
    throw new TypeError(`fromTypedArrays: x is a ${x.constructor.name}, y a ${y.constructor.name}`);
  if (x.length % features !== 0)
    throw new RangeError(
      `fromTypedArrays: x has ${x.length} values, not a multiple of features = ${features}`,
    );
  const samples = x.length / features;
  if (y.length !== samples * targets) {
    throw new RangeError(
      `fromTypedArrays: y has ${y.length} values, expected samples * targets = ${samples} * ${targets}`,
    );
  }
  for (const [name, data, width] of [
    ['x', x, features],
    ['y', y, targets],
  ] as const) {
    const bad = firstNonFinite(data);
    if (bad >= 0) {
      throw new RangeError(
        `fromTypedArrays: ${name} sample ${Math.floor(bad / width)}, column ${bad % width} is ${data[bad]}`,
      );
    }
  }
  return {
    x: matrix(x, samples, features),
    y: matrix(y, samples, targets),
    featureNames: options.featureNames,
    targetNames: options.targetNames,
  };
}
