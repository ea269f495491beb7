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

/**
 * Float32 rows are copied through Int32Array views of the same memory: moving the bits as
 * integers skips the float32 -> float64 -> float32 conversions of a Float32Array loop (about twice
 * as fast) and is exact for every bit pattern, NaN payloads included. Unrolled by four.
 */
export const gatherRowsBits32: GatherRows<Int32Array> = (src, dst, cols, order, from, count) => {
  const body = cols & ~3;
  for (let r = 0; r < count; r++) {
    const s = order[from + r]! * cols;
    const d = r * cols;
    let c = 0;
    for (; c < body; c += 4) {
      dst[d + c] = src[s + c]!;
      dst[d + c + 1] = src[s + c + 1]!;
      dst[d + c + 2] = src[s + c + 2]!;
      dst[d + c + 3] = src[s + c + 3]!;
    }
    for (; c < cols; c++) dst[d + c] = src[s + c]!;
  }
};

/** An Int32Array over the same bytes as a Float32Array. */
export function bitsOf(data: Float32Array): Int32Array {
  return new Int32Array(data.buffer, data.byteOffset, data.length);
}
