import type { MatrixData } from '@downhill/core';
import { instantiateKernel, type KernelInstance, kernelOwning, SCRATCH_BYTES } from './kernel-memory.js';
import { createMemory, ensureMemoryBytes, wasmKernelModule } from './wasm-kernel-module.js';

// The instance that ordinary Float32Arrays are copied into (copy path). Its memory grows to the
// largest batch seen, which detaches old views: its views are never handed out.
let shared: { kernel: KernelInstance; data: Float32Array } | undefined;

function sharedKernelFor(floats: number): { kernel: KernelInstance; data: Float32Array } | undefined {
  const compiled = wasmKernelModule();
  if (compiled === null) return undefined;
  const bytes = SCRATCH_BYTES + floats * 4;
  if (shared === undefined) {
    const memory = createMemory(compiled.api, bytes);
    const kernel = instantiateKernel(compiled, memory);
    shared = { kernel, data: new Float32Array(memory.buffer, SCRATCH_BYTES) };
  } else if (ensureMemoryBytes(shared.kernel.memory, bytes)) {
    const { kernel } = shared;
    kernel.scratch = new Float64Array(kernel.memory.buffer, 0, SCRATCH_BYTES / 8);
    shared.data = new Float32Array(kernel.memory.buffer, SCRATCH_BYTES);
  }
  return shared;
}

/** Where the labels of one call go: after the weights, gradient and bias gradient. */
function labelOffset(cols: number): number {
  return 2 * cols + 1;
}

/** How many rows' labels fit in the scratch area, a multiple of 8 (the kernel's row block). */
function labelCapacity(cols: number): number {
  return Math.floor((SCRATCH_BYTES / 8 - labelOffset(cols)) / 8) * 8;
}

export interface LogisticRowsWasmOptions {
  /** Copy `x` into kernel memory when it is not there already (else return undefined). */
  readonly copy: boolean;
}

/**
 * logisticRowsF64's contract (sum of row losses returned; `scale * dloss/dparams` added to
 * `gradient`) run by the WebAssembly SIMD kernel in logistic-simd.wat. `x` is read in place when
 * it lives in memory from allocateKernelFloat32Array; otherwise it is copied into a shared kernel
 * memory when `options.copy`, else nothing runs. Returns undefined when the kernel did not run:
 * no WebAssembly SIMD, x elsewhere without `copy`, or `cols` too large for the 64 KiB scratch
 * area (more than 4,087 columns); the caller then runs the JavaScript kernel.
 */
export function logisticRowsWasm(
  x: Float32Array,
  rows: number,
  cols: number,
  y: MatrixData,
  params: Float64Array,
  gradient: Float64Array | undefined,
  scale: number,
  options: LogisticRowsWasmOptions,
): number | undefined {
  const capacity = labelCapacity(cols);
  if (capacity < 8) return undefined;
  const floats = rows * cols;
  if (x.length < floats) {
    throw new RangeError(`logisticRows: x must hold rows * cols = ${floats} values, got ${x.length}`);
  }
  if (y.length < rows)
    throw new RangeError(`logisticRows: y must hold rows = ${rows} labels, got ${y.length}`);
  let kernel = kernelOwning(x);
  let xAddress = x.byteOffset;
  if (kernel === undefined) {
    if (!options.copy) return undefined;
    const target = sharedKernelFor(floats);
    if (target === undefined) return undefined;
    target.data.set(floats === x.length ? x : x.subarray(0, floats));
    kernel = target.kernel;
    xAddress = SCRATCH_BYTES;
  }
  const scratch = kernel.scratch;
  for (let k = 0; k < cols; k++) scratch[k] = params[k]!;
  const withGradient = gradient !== undefined;
  if (withGradient) scratch.fill(0, cols, 2 * cols + 1);
  const yIndex = labelOffset(cols);
  const bias = params[cols]!;
  const rowBytes = cols * 4;
  let total = 0;
  for (let r0 = 0; r0 < rows; r0 += capacity) {
    const count = Math.min(capacity, rows - r0);
    for (let i = 0; i < count; i++) scratch[yIndex + i] = y[r0 + i]!;
    total += kernel.exports.logisticRows(
      xAddress + r0 * rowBytes,
      count,
      cols,
      yIndex * 8,
      0,
      cols * 8,
      2 * cols * 8,
      bias,
      scale,
      withGradient ? 1 : 0,
    );
  }
  if (withGradient) {
    for (let k = 0; k <= cols; k++) gradient[k]! += scratch[cols + k]!;
  }
  return total;
}
