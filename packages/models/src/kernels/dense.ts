import type { MatrixData } from '@downhill/core';
import { denseForwardF32, denseWeightGradientF32, logisticRowsF32 } from './dense-f32.js';
import { denseForwardF64, denseWeightGradientF64, logisticRowsF64 } from './dense-f64.js';

// Dispatch on the input's element type once per call, so each instantiation stays monomorphic.

/** out = x W^T + b for a dense layer (see denseForwardF64). */
export function denseForward(
  x: MatrixData,
  rows: number,
  inputs: number,
  params: Float64Array,
  wOffset: number,
  bOffset: number,
  outputs: number,
  out: Float64Array,
): void {
  if (x instanceof Float32Array) denseForwardF32(x, rows, inputs, params, wOffset, bOffset, outputs, out);
  else denseForwardF64(x, rows, inputs, params, wOffset, bOffset, outputs, out);
}

/** G = dz^T x, overwritten (see denseWeightGradientF64). */
export function denseWeightGradient(
  dz: Float64Array,
  rows: number,
  outputs: number,
  x: MatrixData,
  inputs: number,
  gradient: Float64Array,
  gOffset: number,
): void {
  if (x instanceof Float32Array) denseWeightGradientF32(dz, rows, outputs, x, inputs, gradient, gOffset);
  else denseWeightGradientF64(dz, rows, outputs, x, inputs, gradient, gOffset);
}

/** Fused logistic-regression pass (see logisticRowsF64). */
export function logisticRows(
  x: MatrixData,
  rows: number,
  cols: number,
  y: MatrixData,
  params: Float64Array,
  gradient: Float64Array | undefined,
  scale: number,
): number {
  return x instanceof Float32Array
    ? logisticRowsF32(x, rows, cols, y, params, gradient, scale)
    : logisticRowsF64(x, rows, cols, y, params, gradient, scale);
}
