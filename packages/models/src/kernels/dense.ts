import type { MatrixData } from '@downhill/core';
import { denseForwardF32, denseWeightGradientF32, logisticRowsF32 } from './dense-f32.js';
import { denseForwardF64, denseWeightGradientF64, logisticRowsF64 } from './dense-f64.js';
import { denseForwardWasm, denseWeightGradientWasm } from './dense-wasm.js';
import { logisticRowsWasm } from './logistic-rows-wasm.js';

// Dispatch on the input's element type once per call, so each instantiation stays monomorphic.

/**
 * out = x W^T + b for a dense layer (see denseForwardF64). Float32Array inputs of 8 rows or more
 * run the WebAssembly SIMD kernel (dense-simd.wat, on copies) where the runtime has it.
 */
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
  if (x instanceof Float32Array) {
    if (!denseForwardWasm(x, rows, inputs, params, wOffset, bOffset, outputs, out)) {
      denseForwardF32(x, rows, inputs, params, wOffset, bOffset, outputs, out);
    }
  } else denseForwardF64(x, rows, inputs, params, wOffset, bOffset, outputs, out);
}

/**
 * G = dz^T x, overwritten (see denseWeightGradientF64). Float32Array inputs of 8 rows or more run
 * the WebAssembly SIMD kernel (dense-simd.wat, on copies) where the runtime has it.
 */
export function denseWeightGradient(
  dz: Float64Array,
  rows: number,
  outputs: number,
  x: MatrixData,
  inputs: number,
  gradient: Float64Array,
  gOffset: number,
): void {
  if (x instanceof Float32Array) {
    if (!denseWeightGradientWasm(dz, rows, outputs, x, inputs, gradient, gOffset)) {
      denseWeightGradientF32(dz, rows, outputs, x, inputs, gradient, gOffset);
    }
  } else denseWeightGradientF64(dz, rows, outputs, x, inputs, gradient, gOffset);
}

// Whether ordinary Float32Arrays (not in kernel memory) are copied into WebAssembly memory for
// the SIMD kernel; decided by measurement (bench/logistic.bench.ts), see the README.
const COPY_ORDINARY_ARRAYS = true;
// One options object for every call: an object literal per step would be an allocation per step.
const WASM_OPTIONS = { copy: COPY_ORDINARY_ARRAYS } as const;

/**
 * Fused logistic-regression pass (see logisticRowsF64). Float32Array inputs run the WebAssembly
 * SIMD kernel (logistic-simd.wat) where the runtime has it: in place when `x` lives in memory from
 * allocateKernelFloat32Array, else on a copy; the JavaScript kernels are the fallback.
 */
export function logisticRows(
  x: MatrixData,
  rows: number,
  cols: number,
  y: MatrixData,
  params: Float64Array,
  gradient: Float64Array | undefined,
  scale: number,
): number {
  if (x instanceof Float32Array) {
    const total = logisticRowsWasm(x, rows, cols, y, params, gradient, scale, WASM_OPTIONS);
    return total ?? logisticRowsF32(x, rows, cols, y, params, gradient, scale);
  }
  return logisticRowsF64(x, rows, cols, y, params, gradient, scale);
}
