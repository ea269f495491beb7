import type { Shape } from '../shape.js';
import { allocate, gradOf, type Tensor } from '../tensor.js';
import { result } from './result.js';

/** Stride, padding and dilation of a 2-D sliding window, per axis (height, width). */
export interface Window2d {
  readonly kernel: readonly [number, number];
  readonly stride: readonly [number, number];
  readonly padding: readonly [number, number];
  readonly dilation: readonly [number, number];
}

export function pair(
  op: string,
  field: string,
  v: number | readonly [number, number] | undefined,
  fallback: number,
  min: number,
): [number, number] {
  const p: [number, number] =
    v === undefined ? [fallback, fallback] : typeof v === 'number' ? [v, v] : [v[0], v[1]];
  for (const x of p)
    if (!Number.isInteger(x) || x < min)
      throw new RangeError(`${op}: ${field} must be integers >= ${min}, got ${String(v)}`);
  return p;
}

/** Output extent of one axis (PyTorch's formula): floor((in + 2 pad - dilation (kernel - 1) - 1) / stride) + 1. */
export function outExtent(
  size: number,
  kernel: number,
  stride: number,
  padding: number,
  dilation: number,
): number {
  return Math.floor((size + 2 * padding - dilation * (kernel - 1) - 1) / stride) + 1;
}

/**
 * For input [n, c, h, w], the index map of the windows: output element
 * [n, oh * ow, c * kh * kw] (im2col order) reads input position or -1 where the window lies in the padding.
 */
export function windowMap(shape: Shape, window: Window2d): { map: Int32Array; oh: number; ow: number } {
  const [n, c, h, w] = shape as [number, number, number, number];
  const [kh, kw] = window.kernel;
  const [sh, sw] = window.stride;
  const [ph, pw] = window.padding;
  const [dh, dw] = window.dilation;
  const oh = outExtent(h, kh, sh, ph, dh);
  const ow = outExtent(w, kw, sw, pw, dw);
  const cols = c * kh * kw;
  const map = new Int32Array(n * oh * ow * cols);
  let at = 0;
  for (let b = 0; b < n; b++)
    for (let i = 0; i < oh; i++)
      for (let j = 0; j < ow; j++)
        for (let ch = 0; ch < c; ch++)
          for (let u = 0; u < kh; u++) {
            const r = i * sh - ph + u * dh;
            for (let v = 0; v < kw; v++) {
              const s = j * sw - pw + v * dw;
              map[at++] = r < 0 || r >= h || s < 0 || s >= w ? -1 : ((b * c + ch) * h + r) * w + s;
            }
          }
  return { map, oh, ow };
}

/** out[i] = x[map[i]], or `fill` where map[i] = -1; backward scatters the gradient back to the positions read. */
export function gatherOrFill(x: Tensor, shape: Shape, map: Int32Array, fill: number): Tensor {
  const out = allocate(x.dtype, map.length);
  const xd = x.data;
  const forward = (): void => {
    for (let i = 0; i < map.length; i++) out[i] = map[i]! < 0 ? fill : xd[map[i]!]!;
  };
  forward();
  return result(
    out,
    shape,
    [x],
    (g) => {
      const gx = gradOf(x);
      for (let i = 0; i < map.length; i++) if (map[i]! >= 0) gx[map[i]!]! += g[i]!;
    },
    forward,
  );
}
