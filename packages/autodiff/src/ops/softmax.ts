import { sizeOf } from '../shape.js';
import { allocate, gradOf, type Tensor } from '../tensor.js';
import { type ReduceOptions, reduction } from './reduce.js';
import { result } from './result.js';

/** Per reduced group: m = max (0 when it is not finite), lse = m + ln sum exp(x - m), stable for large |x|. */
function logSumExpGroups(x: Tensor, map: Int32Array | undefined, groups: number): Float64Array {
  const xd = x.data;
  const m = new Float64Array(groups).fill(Number.NEGATIVE_INFINITY);
  for (let i = 0; i < x.size; i++) {
    const j = map === undefined ? i : map[i]!;
    if (xd[i]! > m[j]!) m[j] = xd[i]!;
  }
  for (let j = 0; j < groups; j++) if (!Number.isFinite(m[j]!)) m[j] = 0;
  const s = new Float64Array(groups);
  for (let i = 0; i < x.size; i++) {
    const j = map === undefined ? i : map[i]!;
    s[j]! += Math.exp(xd[i]! - m[j]!);
  }
  for (let j = 0; j < groups; j++) s[j] = m[j]! + Math.log(s[j]!);
  return s;
}

/** ln sum exp(x) over axes; d/dx_i = exp(x_i - lse) (the softmax of the group). */
export function logsumexp(x: Tensor, options: ReduceOptions = {}): Tensor {
  const { keep, shape, map } = reduction('logsumexp', x, options);
  const groups = sizeOf(keep);
  const lse = logSumExpGroups(x, map, groups);
  const out = allocate(x.dtype, groups);
  out.set(lse);
  const xd = x.data;
  return result(out, shape, [x], (g) => {
    const gx = gradOf(x);
    for (let i = 0; i < x.size; i++) {
      const j = map === undefined ? i : map[i]!;
      gx[i]! += g[j]! * Math.exp(xd[i]! - lse[j]!);
    }
  });
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
  const lse = logSumExpGroups(x, map, groups);
  const xd = x.data;
  const out = allocate(x.dtype, x.size);
  for (let i = 0; i < x.size; i++) out[i] = Math.exp(xd[i]! - lse[map === undefined ? i : map[i]!]!);
  return result(out, x.shape, [x], (g) => {
    const dot = new Float64Array(groups);
    for (let i = 0; i < x.size; i++) dot[map === undefined ? i : map[i]!]! += g[i]! * out[i]!;
    const gx = gradOf(x);
    for (let i = 0; i < x.size; i++) gx[i]! += out[i]! * (g[i]! - dot[map === undefined ? i : map[i]!]!);
  });
}

/**
 * y = x - logsumexp(x) along one axis (default the last);
 * backward: gx = g - softmax(x) sum(g) over the same axis.
 */
export function logSoftmax(x: Tensor, options: { axis?: number } = {}): Tensor {
  const { keep, map } = reduction('logSoftmax', x, singleAxis(options.axis));
  const groups = sizeOf(keep);
  const lse = logSumExpGroups(x, map, groups);
  const xd = x.data;
  const out = allocate(x.dtype, x.size);
  for (let i = 0; i < x.size; i++) out[i] = xd[i]! - lse[map === undefined ? i : map[i]!]!;
  return result(out, x.shape, [x], (g) => {
    const total = new Float64Array(groups);
    for (let i = 0; i < x.size; i++) total[map === undefined ? i : map[i]!]! += g[i]!;
    const gx = gradOf(x);
    for (let i = 0; i < x.size; i++)
      gx[i]! += g[i]! - Math.exp(out[i]!) * total[map === undefined ? i : map[i]!]!;
  });
}
