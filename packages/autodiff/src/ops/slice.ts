import { contiguousStrides, formatShape, stridedIndex } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { gatherByMap } from './gather-map.js';

/**
 * A contiguous range along leading axes: `ranges[d] = [start, end)` for axis d (negative values
 * count from the end, as Python slices; axes without a range are kept whole).
 */
export function slice(x: Tensor, ranges: readonly (readonly [number, number])[]): Tensor {
  if (ranges.length > x.rank)
    throw new RangeError(`slice: ${ranges.length} ranges for a tensor of rank ${x.rank}`);
  const strides = contiguousStrides(x.shape);
  let offset = 0;
  const shape = x.shape.map((extent, d) => {
    const range = ranges[d];
    if (range === undefined) return extent;
    const [s, e] = range.map((v) => (v < 0 ? v + extent : v)) as [number, number];
    if (!Number.isInteger(s) || !Number.isInteger(e) || s < 0 || e > extent || s > e) {
      throw new RangeError(
        `slice: range [${range[0]}, ${range[1]}) does not fit axis ${d} of shape ${formatShape(x.shape)}`,
      );
    }
    offset += s * strides[d]!;
    return e - s;
  });
  return gatherByMap(x, shape, stridedIndex(shape, strides, offset));
}
