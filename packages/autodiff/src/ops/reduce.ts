import { broadcastIndex, normalizeAxes, sizeOf } from '../shape.js';
import { allocate, gradOf, type Tensor } from '../tensor.js';
import { result } from './result.js';

/** Axes to reduce over (default all; negative counts from the end) and whether to keep them as size 1. */
export interface ReduceOptions {
  readonly axis?: number | readonly number[];
  readonly keepDims?: boolean;
}

/** The reduced shape with kept size-1 axes, the output shape, and the map from input element to output element. */
export function reduction(
  op: string,
  x: Tensor,
  options: ReduceOptions,
): { keep: number[]; shape: number[]; map: Int32Array | undefined; count: number } {
  const axes = normalizeAxes(op, x.rank, options.axis);
  const keep = x.shape.map((d, i) => (axes.includes(i) ? 1 : d));
  const shape = options.keepDims ? keep : x.shape.filter((_, i) => !axes.includes(i));
  // Dropping size-1 axes does not move elements, so the map into `keep` serves `shape` too.
  return { keep, shape, map: broadcastIndex(keep, x.shape), count: x.size / Math.max(1, sizeOf(keep)) };
}

/** Sum over axes; each input element's gradient is the gradient of the sum it went into. */
export function sum(x: Tensor, options: ReduceOptions = {}): Tensor {
  const { keep, shape, map } = reduction('sum', x, options);
  const out = allocate(x.dtype, sizeOf(keep));
  const xd = x.data;
  const forward = (): void => {
    out.fill(0);
    for (let i = 0; i < x.size; i++) out[map === undefined ? i : map[i]!]! += xd[i]!;
  };
  forward();
  return result(
    out,
    shape,
    [x],
    (g) => {
      const gx = gradOf(x);
      for (let i = 0; i < x.size; i++) gx[i]! += g[map === undefined ? i : map[i]!]!;
    },
    forward,
  );
}

/** Mean over axes: the sum divided by the number of elements reduced; the gradient is shared equally. */
export function mean(x: Tensor, options: ReduceOptions = {}): Tensor {
  const { keep, shape, map, count } = reduction('mean', x, options);
  const out = allocate(x.dtype, sizeOf(keep));
  const xd = x.data;
  const acc = new Float64Array(out.length);
  const forward = (): void => {
    acc.fill(0);
    for (let i = 0; i < x.size; i++) acc[map === undefined ? i : map[i]!]! += xd[i]!;
    for (let j = 0; j < out.length; j++) out[j] = acc[j]! / count;
  };
  forward();
  return result(
    out,
    shape,
    [x],
    (g) => {
      const gx = gradOf(x);
      for (let i = 0; i < x.size; i++) gx[i]! += g[map === undefined ? i : map[i]!]! / count;
    },
    forward,
  );
}

/**
 * Maximum over axes; the gradient goes to the first maximal element of each reduced group (the
 * index `torch.max(x, dim)` returns). NaN propagates.
 */
export function max(x: Tensor, options: ReduceOptions = {}): Tensor {
  const { keep, shape, map } = reduction('max', x, options);
  if (x.size === 0) throw new RangeError('max: cannot reduce an empty tensor');
  const m = sizeOf(keep);
  const out = allocate(x.dtype, m);
  const arg = new Int32Array(m);
  const xd = x.data;
  const forward = (): void => {
    out.fill(Number.NEGATIVE_INFINITY);
    arg.fill(-1);
    for (let i = 0; i < x.size; i++) {
      const j = map === undefined ? i : map[i]!;
      const v = xd[i]!;
      if (arg[j] === -1 || v > out[j]! || (Number.isNaN(v) && !Number.isNaN(out[j]!))) {
        out[j] = v;
        arg[j] = i;
      }
    }
  };
  forward();
  return result(
    out,
    shape,
    [x],
    (g) => {
      const gx = gradOf(x);
      for (let j = 0; j < m; j++) gx[arg[j]!]! += g[j]!;
    },
    forward,
  );
}
