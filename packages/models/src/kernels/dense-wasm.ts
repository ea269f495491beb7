import { createMemory, denseKernelModule, ensureMemoryBytes, type WasmMemory } from './wasm-kernel-module.js';

// Columns per pass over W in the forward product: a 256-column chunk of a 128-unit layer's W is
// 256 KiB, which stays in L2 while the rows stream past (as K_BLOCK in dense-f64.ts).
const K_BLOCK = 256;
/** Fewer rows than this: copying W in costs about as much as the product; the JS kernel runs. */
const MIN_ROWS = 8;

/** What dense-simd.wat exports. */
interface DenseSimdExports {
  denseForward(
    x: number,
    rows: number,
    inputs: number,
    w: number,
    outputs: number,
    out: number,
    k0: number,
    k1: number,
  ): void;
  denseWeightGradient(
    dz: number,
    rows: number,
    outputs: number,
    x: number,
    inputs: number,
    g: number,
    active: number,
  ): void;
}

// One instance with a growable memory that the operands are copied into; its views are never
// handed out (growth detaches them).
let shared: { memory: WasmMemory; exports: DenseSimdExports } | undefined;

function kernelWithBytes(bytes: number): { memory: WasmMemory; exports: DenseSimdExports } | undefined {
  const compiled = denseKernelModule();
  if (compiled === null) return undefined;
  if (shared === undefined) {
    const memory = createMemory(compiled.api, bytes);
    const instance = new compiled.api.Instance(compiled.module, { env: { memory } });
    shared = { memory, exports: instance.exports as unknown as DenseSimdExports };
  } else ensureMemoryBytes(shared.memory, bytes);
  return shared;
}

/** Bytes rounded up to a multiple of 16, so every operand starts 16-byte aligned. */
function aligned(bytes: number): number {
  return Math.ceil(bytes / 16) * 16;
}

/**
 * denseForwardF64's contract (out = x W^T + b) run by the WebAssembly SIMD kernel in
 * dense-simd.wat on copies of x, W and b. Returns false, having done nothing, without WebAssembly
 * SIMD or for fewer than 8 rows; the caller then runs the JavaScript kernel.
 */
export function denseForwardWasm(
  x: Float32Array,
  rows: number,
  inputs: number,
  params: Float64Array,
  wOffset: number,
  bOffset: number,
  outputs: number,
  out: Float64Array,
): boolean {
  if (rows < MIN_ROWS) return false;
  const xAt = 0;
  const wAt = aligned(rows * inputs * 4);
  const outAt = wAt + aligned(outputs * inputs * 8);
  const kernel = kernelWithBytes(outAt + rows * outputs * 8);
  if (kernel === undefined) return false;
  const buffer = kernel.memory.buffer;
  new Float32Array(buffer, xAt, rows * inputs).set(x.subarray(0, rows * inputs));
  new Float64Array(buffer, wAt, outputs * inputs).set(params.subarray(wOffset, wOffset + outputs * inputs));
  const result = new Float64Array(buffer, outAt, rows * outputs);
  const bias = params.subarray(bOffset, bOffset + outputs);
  for (let r = 0; r < rows; r++) result.set(bias, r * outputs);
  for (let k0 = 0; k0 < inputs; k0 += K_BLOCK) {
    kernel.exports.denseForward(xAt, rows, inputs, wAt, outputs, outAt, k0, Math.min(inputs, k0 + K_BLOCK));
  }
  out.set(result);
  return true;
}

/**
 * denseWeightGradientF64's contract (G = dz^T x, overwritten at `gradient[gOffset ..]`) run by the
 * WebAssembly SIMD kernel in dense-simd.wat on copies of dz and x. Returns false, having done
 * nothing, without WebAssembly SIMD or for fewer than 8 rows.
 */
export function denseWeightGradientWasm(
  dz: Float64Array,
  rows: number,
  outputs: number,
  x: Float32Array,
  inputs: number,
  gradient: Float64Array,
  gOffset: number,
): boolean {
  if (rows < MIN_ROWS) return false;
  const dzAt = 0;
  const xAt = aligned(rows * outputs * 8);
  const gAt = xAt + aligned(rows * inputs * 4);
  const activeAt = gAt + aligned(outputs * inputs * 8);
  const kernel = kernelWithBytes(activeAt + rows * 4);
  if (kernel === undefined) return false;
  const buffer = kernel.memory.buffer;
  new Float64Array(buffer, dzAt, rows * outputs).set(dz.subarray(0, rows * outputs));
  new Float32Array(buffer, xAt, rows * inputs).set(x.subarray(0, rows * inputs));
  const g = new Float64Array(buffer, gAt, outputs * inputs);
  g.fill(0);
  kernel.exports.denseWeightGradient(dzAt, rows, outputs, xAt, inputs, gAt, activeAt);
  gradient.set(g, gOffset);
  return true;
}
