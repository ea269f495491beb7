import {
  type LogisticSimdExports,
  PAGE_BYTES,
  type WasmKernelModule,
  type WasmMemory,
  wasmKernelModule,
} from './wasm-kernel-module.js';

const MAX_PAGES = 65_536;

/**
 * Bytes at the start of every kernel memory for the parameters, gradient and labels of one call
 * (see logisticRowsWasm); data allocated with allocateKernelFloat32Array start after it.
 */
export const SCRATCH_BYTES = PAGE_BYTES;

/** One instance of the kernel module over its own memory. */
export interface KernelInstance {
  readonly memory: WasmMemory;
  readonly exports: LogisticSimdExports;
  /** The scratch area as doubles; replaced when the memory grows. */
  scratch: Float64Array;
}

// Memory buffer -> the instance that owns it. An allocation's memory never grows (its maximum is
// its size), so its buffer, and the view handed out, stay valid for the memory's lifetime.
const owners = new WeakMap<ArrayBufferLike, KernelInstance>();

/** A kernel instance over `memory`. */
export function instantiateKernel(compiled: WasmKernelModule, memory: WasmMemory): KernelInstance {
  const instance = new compiled.api.Instance(compiled.module, { env: { memory } });
  return {
    memory,
    exports: instance.exports as unknown as LogisticSimdExports,
    scratch: new Float64Array(memory.buffer, 0, SCRATCH_BYTES / 8),
  };
}

/** The kernel instance whose memory holds `buffer`, if any. */
export function kernelOwning(buffer: ArrayBufferLike): KernelInstance | undefined {
  return owners.get(buffer);
}

/**
 * A zero-filled Float32Array of `length` elements that lives in WebAssembly memory, where the
 * SIMD kernels read it in place. Load a data set into one once (or allocate your batch buffers
 * with it): any batch whose `x` is this array or a subarray of it (`subarray`, not `slice`) goes
 * through `logisticRegression`'s SIMD kernel with no copy. Ordinary Float32Arrays still work,
 * through the JavaScript kernel. Each allocation gets its own fixed-size WebAssembly memory
 * (plus 64 KiB of kernel scratch) that never grows, so the array stays valid however many more
 * allocations follow; it is freed when the array is no longer referenced. Where WebAssembly SIMD
 * is not available (see wasmKernelsAvailable) this returns an ordinary `new Float32Array(length)`.
 */
export function allocateKernelFloat32Array(length: number): Float32Array<ArrayBuffer> {
  if (!Number.isInteger(length) || length < 0) {
    throw new RangeError(`allocateKernelFloat32Array: length must be a non-negative integer, got ${length}`);
  }
  const compiled = wasmKernelModule();
  if (compiled === null) return new Float32Array(length);
  const pages = SCRATCH_BYTES / PAGE_BYTES + Math.ceil((length * 4) / PAGE_BYTES);
  if (pages > MAX_PAGES) {
    const most = ((MAX_PAGES * PAGE_BYTES - SCRATCH_BYTES) / 4).toLocaleString('en-US');
    throw new RangeError(
      `allocateKernelFloat32Array: length must be at most ${most} (4 GiB of WebAssembly memory), got ${length}`,
    );
  }
  const memory = new compiled.api.Memory({ initial: pages, maximum: pages });
  owners.set(memory.buffer, instantiateKernel(compiled, memory));
  return new Float32Array(memory.buffer, SCRATCH_BYTES, length);
}

/** True when `array` lives in memory from allocateKernelFloat32Array (the kernels read it in place). */
export function inKernelMemory(array: ArrayBufferView): boolean {
  return owners.has(array.buffer);
}
