/** A tensor's shape: one non-negative integer extent per axis; `[]` is a scalar. */
export type Shape = readonly number[];

/** Number of elements of a shape (1 for a scalar, 0 when an axis is empty). */
export function sizeOf(shape: Shape): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/** Row-major (C order) strides of a contiguous tensor of this shape. */
export function contiguousStrides(shape: Shape): number[] {
  const strides = new Array<number>(shape.length);
  let s = 1;
  for (let d = shape.length - 1; d >= 0; d--) {
    strides[d] = s;
    s *= shape[d]!;
  }
  return strides;
}

export function sameShape(a: Shape, b: Shape): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

export function formatShape(shape: Shape): string {
  return `[${shape.join(', ')}]`;
}

/** Checks that every extent is a non-negative integer, naming the operation and the axis. */
export function checkShape(op: string, shape: Shape): void {
  shape.forEach((d, i) => {
    if (!Number.isInteger(d) || d < 0)
      throw new RangeError(`${op}: shape[${i}] must be a non-negative integer, got ${d}`);
  });
}

/**
 * NumPy broadcasting: shapes are aligned on their last axis; two extents agree when they are
 * equal or one of them is 1 (a missing leading axis counts as 1).
 */
export function broadcastShapes(op: string, ...shapes: Shape[]): number[] {
  const rank = Math.max(0, ...shapes.map((s) => s.length));
  const out = new Array<number>(rank).fill(1);
  for (const s of shapes) {
    for (let d = 0; d < s.length; d++) {
      const o = rank - s.length + d;
      const extent = s[d]!;
      if (extent === out[o]) continue;
      if (out[o] === 1) out[o] = extent;
      else if (extent !== 1) {
        throw new RangeError(
          `${op}: shapes ${shapes.map(formatShape).join(' and ')} do not broadcast (axis ${o - rank}: ${out[o]} vs ${extent})`,
        );
      }
    }
  }
  return out;
}

/**
 * For every element of `shape` in row-major order, the linear position `offset + sum_d i_d strides[d]`
 * in some other buffer: the gather map of a strided view (transpose, slice, broadcast).
 */
export function stridedIndex(shape: Shape, strides: readonly number[], offset = 0): Int32Array {
  // Training repeats the same shapes every step: maps are read-only, so one per key is kept
  // (a bounded cache: cleared when full, large maps never kept).
  const key = `${shape.join(',')}|${strides.join(',')}|${offset}`;
  const cached = indexCache.get(key);
  if (cached !== undefined) return cached;
  const map = computeStridedIndex(shape, strides, offset);
  if (map.length <= MAX_CACHED_LENGTH) {
    if (indexCache.size >= MAX_CACHED_MAPS) indexCache.clear();
    indexCache.set(key, map);
  }
  return map;
}

const MAX_CACHED_MAPS = 256;
const MAX_CACHED_LENGTH = 1 << 20;
const indexCache = new Map<string, Int32Array>();

function computeStridedIndex(shape: Shape, strides: readonly number[], offset: number): Int32Array {
  const n = sizeOf(shape);
  const rank = shape.length;
  const out = new Int32Array(n);
  const idx = new Array<number>(rank).fill(0);
  let at = offset;
  for (let i = 0; i < n; i++) {
    out[i] = at;
    for (let d = rank - 1; d >= 0; d--) {
      idx[d]!++;
      at += strides[d]!;
      if (idx[d]! < shape[d]!) break;
      at -= strides[d]! * shape[d]!;
      idx[d] = 0;
    }
  }
  return out;
}

/**
 * For every element of the broadcast shape `to`, the linear index of the element of `from` it
 * reads (size-1 and missing axes of `from` repeat). `undefined` when the shapes are equal, so
 * callers take the identity without a map.
 */
export function broadcastIndex(from: Shape, to: Shape): Int32Array | undefined {
  if (sameShape(from, to)) return undefined;
  const rank = to.length;
  const strides = new Array<number>(rank).fill(0);
  let s = 1;
  for (let d = from.length - 1; d >= 0; d--) {
    strides[d + rank - from.length] = from[d] === 1 ? 0 : s;
    s *= from[d]!;
  }
  return stridedIndex(to, strides);
}

/** Normalizes axes (negative counts from the end), refusing duplicates and out-of-range axes. */
export function normalizeAxes(
  op: string,
  rank: number,
  axis: number | readonly number[] | undefined,
): number[] {
  if (axis === undefined) return Array.from({ length: rank }, (_, i) => i);
  const list = typeof axis === 'number' ? [axis] : [...axis];
  const seen = new Set<number>();
  return list.map((a) => {
    if (!Number.isInteger(a) || a < -rank || a >= rank)
      throw new RangeError(`${op}: axis ${a} is out of range for a tensor of rank ${rank}`);
    const n = a < 0 ? a + rank : a;
    if (seen.has(n)) throw new RangeError(`${op}: axis ${a} is given twice`);
    seen.add(n);
    return n;
  });
}
