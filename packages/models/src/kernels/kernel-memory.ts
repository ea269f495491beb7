import { KERNEL_SCRATCH_BYTES, kernelMemoryOf } from '@downhill/core';
import {
  type LogisticSimdExports,
  type WasmKernelModule,
  type WasmMemory,
  wasmKernelModule,
} from './wasm-kernel-module.js';

// The allocator lives in @downhill/core (so that loaders can gather batches into kernel memory
// without depending on this package); it is re-exported from here, where it always was.
export { allocateKernelFloat32Array, inKernelMemory } from '@downhill/core';

/**
 * Bytes at the start of every kernel memory for the parameters, gradient and labels of one call
 * (see logisticRowsWasm); data allocated with allocateKernelFloat32Array start after it.
 */
export const SCRATCH_BYTES = KERNEL_SCRATCH_BYTES;

/** One instance of the kernel module over its own memory. */
export interface KernelInstance {
  readonly memory: WasmMemory;
  readonly exports: LogisticSimdExports;
  /** The scratch area as doubles; replaced when the memory grows. */
  scratch: Float64Array;
}

// Kernel memory -> the instance of the logistic module over it, made on first use.
const instances = new WeakMap<WasmMemory, KernelInstance>();

/** A kernel instance over `memory`. */
export function instantiateKernel(compiled: WasmKernelModule, memory: WasmMemory): KernelInstance {
  const instance = new compiled.api.Instance(compiled.module, { env: { memory } });
  return {
    memory,
    exports: instance.exports as unknown as LogisticSimdExports,
    scratch: new Float64Array(memory.buffer, 0, SCRATCH_BYTES / 8),
  };
}

/** The kernel instance over the kernel memory that holds `view`, if it lives in one. */
export function kernelOwning(view: ArrayBufferView): KernelInstance | undefined {
  const owner = kernelMemoryOf(view);
  if (owner === undefined) return undefined;
  let kernel = instances.get(owner.memory);
  if (kernel === undefined) {
    const compiled = wasmKernelModule();
    if (compiled === null) return undefined;
    kernel = instantiateKernel(compiled, owner.memory);
    instances.set(owner.memory, kernel);
  }
  return kernel;
}
