/**
 * Copies rows `order[from .. from + count)` of a row-major source into the first `count` rows of
 * `dst`. Two copies of the same loop, one per element type: V8 specialises a function on the
 * typed-array kind it sees, and one loop fed both kinds is slow for both.
 */
export type GatherRows<T> = (
  src: T,
  dst: T,
  cols: number,
  order: Uint32Array,
  from: number,
  count: number,
) => void;

export const gatherRows64: GatherRows<Float64Array> = (src, dst, cols, order, from, count) => {
  for (let r = 0; r < count; r++) {
    const s = order[from + r]! * cols;
    const d = r * cols;
    for (let c = 0; c < cols; c++) dst[d + c] = src[s + c]!;
  }
};

export const gatherRows32: GatherRows<Float32Array> = (src, dst, cols, order, from, count) => {
  for (let r = 0; r < count; r++) {
    const s = order[from + r]! * cols;
    const d = r * cols;
    for (let c = 0; c < cols; c++) dst[d + c] = src[s + c]!;
  }
};
