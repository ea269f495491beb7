import { sizeOf } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { gatherByMap } from './gather-map.js';

/**
 * Rows of `table` picked by index along axis 0 (an embedding lookup): the output has shape
 * `[indices.length, ...table.shape.slice(1)]`; rows picked twice get both gradients.
 */
export function gather(table: Tensor, indices: ArrayLike<number>): Tensor {
  if (table.rank < 1) throw new RangeError('gather: the table must have at least one axis');
  const rows = table.shape[0]!;
  const width = sizeOf(table.shape.slice(1));
  const map = new Int32Array(indices.length * width);
  for (let i = 0; i < indices.length; i++) {
    const r = indices[i]!;
    if (!Number.isInteger(r) || r < 0 || r >= rows)
      throw new RangeError(`gather: indices[${i}] = ${r} is not a row of a table with ${rows} rows`);
    for (let j = 0; j < width; j++) map[i * width + j] = r * width + j;
  }
  return gatherByMap(table, [indices.length, ...table.shape.slice(1)], map);
}
