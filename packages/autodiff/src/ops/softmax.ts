import { sizeOf } from '../shape.js';
import { allocate, gradOf, type Tensor } from '../tensor.js';
import { type ReduceOptions, reduction } from './reduce.js';
import { result } from './result.js';

/**
 * Per reduced group into `lse` (with `m` as scratch): m = max (0 when it is not finite),
 * lse = m + ln sum exp(x - m), stable for large |x|.
 */
function logSumExpGroups(x: Tensor, map: Int32Array | undefined, m: Float64Array, lse: Float64Array): void {
  const xd = x.data;
  const groups = m.length;
  m.fill(Number.NEGATIVE_INFINITY);
  for (let i = 0; i < x.size; i++) {
    const j = map === undefined ? i : map[i]!;
    if (xd[i]! > m[j]!) m[j] = xd[i]!;
  }
  for (let j = 0; j < groups; j++) if (!Number.isFinite(m[j]!)) m[j] = 0;
  lse.fill(0);
  for (let i = 0; i < x.size; i++) {
    const j = map === undefined ? i : map[i]!;
    lse[j]! += Math.exp(xd[i]! - m[j]!);
  }
  for (let j = 0; j < groups; j++) lse[j] = m[j]! + Math.log(lse[j]!);
}

/** ln sum exp(x) over axes; d/dx_i = exp(x_i - lse) (the softmax of the group). */
export function logsumexp(x: Tensor, options: ReduceOptions = {}): Tensor {
  const { keep, shape, map } = reduction('logsumexp', x, options);
  const groups = sizeOf(keep);
  const m = new Float64Array(groups);
  const lse = new Float64Array(groups);
  const out = allocate(x.dtype, groups);
  const forward = (): void => {
    logSumExpGroups(x, map, m, lse);
    out.set(lse);
  };
  forward();
  const xd = x.data;
  return result(
    out,
    shape,
    [x],
    (g) => {
      const gx = gradOf(x);
      for (let i = 0; i < x.size; i++) {
        const j = map === undefined ? i : map[i]!;
        gx[i]! += g[j]! * Math.exp(xd[i]! - lse[j]!);
      }
    },
    forward,
  );
}

function singleAxis(axis: number | undefined): ReduceOptions {
  return { axis: axis ?? -1, keepDims: true };
}

/**
 * y = exp(x - logsumexp(x)) along one axis (default the last);
 * backward: gx = y (g - sum(g y)) over the same axis.
 */
export function softmax(x: Tensor, options: { axis?: number } = {}): Tensor {
  const { keep, map } = reduction('softmax', x, singleAxis(options.axis));
  const groups = sizeOf(keep);
  const m = new Float64Array(groups);
  const lse = new Float64Array(groups);
  const dot = new Float64Array(groups);
  const xd = x.data;
  const out = allocate(x.dtype, x.size);
  const forward = (): void => {
    logSumExpGroups(x, map, m, lse);
    for (let i = 0; i < x.size; i++) out[i] = Math.exp(xd[i]! - lse[map === undefined ? i : map[i]!]!);
  };
  forward();
  return result(
    out,
    x.shape,
    [x],
    (g) => {
      dot.fill(0);
      for (let i = 0; i < x.size; i++) dot[map === undefined ? i : map[i]!]! += g[i]! * out[i]!;
      const gx = gradOf(x);
      for (let i = 0; i < x.size; i++) gx[i]! += out[i]! * (g[i]! - dot[map === undefined ? i : map[i]!]!);
    },
    forward,
  );
}

/**
 * y = x - logsumexp(x) along one axis (default the last);
 * backward: gx = g - softmax(x) sum(g) over the same axis.
 */
export function logSoftmax(x: Tensor, options: { axis?: number } = {}): Tensor {
  const { keep, map } = reduction('logSoftmax', x, singleAxis(options.axis));
  const groups = sizeOf(keep);
  const m = new Float64Array(groups);
  const lse = new Float64Array(groups);
  const total = new Float64Array(groups);
  const xd = x.data;
  const out = allocate(x.dtype, x.size);
  const forward = (): void => {
    logSumExpGroups(x, map, m, lse);
    for (let i = 0; i < x.size; i++) out[i] = xd[i]! - lse[map === undefined ? i : map[i]!]!;
  };
  forward();
  return result(
    out,
    x.shape,
    [x],
    (g) => {
      total.fill(0);
      for (let i = 0; i < x.size; i++) total[map === undefined ? i : map[i]!]! += g[i]!;
      const gx = gradOf(x);
      for (let i = 0; i < x.size; i++)
        gx[i]! += g[i]! - Math.exp(out[i]!) * total[map === undefined ? i : map[i]!]!;
    },
    forward,
  );
}
