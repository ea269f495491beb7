import { contiguousStrides, stridedIndex } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { gatherByMap } from './gather-map.js';

/**
 * Permutes axes: output axis d is input axis `axes[d]` (default: the last two swapped, a matrix
 * transpose of each batch element). The result is stored contiguously.
 */
export function transpose(x: Tensor, axes?: readonly number[]): Tensor {
  const rank = x.rank;
  const perm =
    axes === undefined
      ? Array.from({ length: rank }, (_, i) => (i === rank - 2 ? rank - 1 : i === rank - 1 ? rank - 2 : i))
      : axes.map((a) => (a < 0 ? a + rank : a));
  if (rank < 2 && axes === undefined) return x;
  if (perm.length !== rank || [...perm].sort((a, b) => a - b).some((a, i) => a !== i)) {
    throw new RangeError(`transpose: axes [${axes?.join(', ')}] is not a permutation of ${rank} axes`);
  }
  const strides = contiguousStrides(x.shape);
  const shape = perm.map((a) => x.shape[a]!);
  return gatherByMap(
    x,
    shape,
    stridedIndex(
      shape,
      perm.map((a) => strides[a]!),
    ),
  );
}
