/**
 * Copies rows `order[from .. from + count)` of a row-major source into the first `count` rows of
 * `dst`. Two copies of the same loop, one per element type: V8 specialises a function on the
 * typed-array kind it sees, and one loop fed both kinds is slow for both.
 *
 * Rows are copied four at a time, column by column: in a shuffled order every row is a cache (and
 * TLB) miss, and four independent rows in flight let the CPU overlap those misses (2-5x faster
 * than one row after the other on this machine's shuffled 1e6 x 64 benchmark).
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
  let r = 0;
  for (; r + 3 < count; r += 4) {
    const s0 = order[from + r]! * cols;
    const s1 = order[from + r + 1]! * cols;
    const s2 = order[from + r + 2]! * cols;
    const s3 = order[from + r + 3]! * cols;
    const d0 = r * cols;
    const d1 = d0 + cols;
    const d2 = d1 + cols;
    const d3 = d2 + cols;
    for (let c = 0; c < cols; c++) {
      dst[d0 + c] = src[s0 + c]!;
      dst[d1 + c] = src[s1 + c]!;
      dst[d2 + c] = src[s2 + c]!;
      dst[d3 + c] = src[s3 + c]!;
    }
  }
  for (; r < count; r++) {
    const s = order[from + r]! * cols;
    const d = r * cols;
    for (let c = 0; c < cols; c++) dst[d + c] = src[s + c]!;
  }
};

/**
 * Float32 rows are copied through Int32Array views of the same memory: moving the bits as
 * integers skips the float32 -> float64 -> float32 conversions of a Float32Array loop and is
 * exact for every bit pattern, NaN payloads included.
 */
export const gatherRowsBits32: GatherRows<Int32Array> = (src, dst, cols, order, from, count) => {
  let r = 0;
  for (; r + 3 < count; r += 4) {
    const s0 = order[from + r]! * cols;
    const s1 = order[from + r + 1]! * cols;
    const s2 = order[from + r + 2]! * cols;
    const s3 = order[from + r + 3]! * cols;
    const d0 = r * cols;
    const d1 = d0 + cols;
    const d2 = d1 + cols;
    const d3 = d2 + cols;
    for (let c = 0; c < cols; c++) {
      dst[d0 + c] = src[s0 + c]!;
      dst[d1 + c] = src[s1 + c]!;
      dst[d2 + c] = src[s2 + c]!;
      dst[d3 + c] = src[s3 + c]!;
    }
  }
  for (; r < count; r++) {
    const s = order[from + r]! * cols;
    const d = r * cols;
    for (let c = 0; c < cols; c++) dst[d + c] = src[s + c]!;
  }
};

/** An Int32Array over the same bytes as a Float32Array. */
export function bitsOf(data: Float32Array): Int32Array {
  return new Int32Array(data.buffer, data.byteOffset, data.length);
}
