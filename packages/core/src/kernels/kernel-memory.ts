/** Bytes in one WebAssembly memory page. */
export const PAGE_BYTES = 65_536;

/**
 * Bytes at the start of every kernel memory that kernels use for the small operands of one call
 * (parameters, gradient, labels); data allocated here start after it.
 */
export const KERNEL_SCRATCH_BYTES = PAGE_BYTES;

const MAX_PAGES = 65_536;

/** A WebAssembly memory: its bytes, and growth by pages of 64 KiB (detaching the old buffer). */
export interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}

interface WasmMemoryApi {
  validate(bytes: Uint8Array): boolean;
  readonly Memory: new (descriptor: { initial: number; maximum?: number }) => WasmMemory;
}

// The smallest module with a 128-bit SIMD instruction (a function returning v128.const 0), as
// wasm-feature-detect checks it: runtimes without SIMD reject it in `validate`.
const SIMD_PROBE = new Uint8Array([
  0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0, 10, 22, 1, 20, 0, 253, 12, 0, 0, 0, 0, 0,
  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 11,
]);

let api: WasmMemoryApi | null | undefined;

/** WebAssembly with 128-bit SIMD, or null where the SIMD kernels cannot run. Decided once. */
function simdApi(): WasmMemoryApi | null {
  if (api === undefined) {
    const candidate = (globalThis as { WebAssembly?: Partial<WasmMemoryApi> }).WebAssembly;
    api =
      typeof candidate?.validate === 'function' &&
      typeof candidate.Memory === 'function' &&
      candidate.validate(SIMD_PROBE)
        ? (candidate as WasmMemoryApi)
        : null;
  }
  return api;
}

/** The WebAssembly memory behind an allocation, and where its scratch area ends. */
export interface KernelMemory {
  readonly memory: WasmMemory;
  readonly scratchBytes: number;
}

// Memory buffer -> its kernel memory. An allocation's memory never grows (its maximum is its
// size), so its buffer, and the view handed out, stay valid for the memory's lifetime.
const owners = new WeakMap<ArrayBufferLike, KernelMemory>();

/**
 * A zero-filled Float32Array of `length` elements that lives in WebAssembly memory, where the
 * SIMD kernels read it in place (no copy per call). Load a data set into one once: batches that
 * are subarrays of it (`subarray`, not `slice`) reach the kernels with no copy, and in-memory
 * loaders over it gather shuffled batches into kernel memory too. Each allocation gets its own
 * fixed-size memory (plus 64 KiB of kernel scratch) that never grows, so the array stays valid
 * however many more allocations follow; it is freed when no longer referenced. Where WebAssembly
 * SIMD is not available this returns an ordinary `new Float32Array(length)`.
 */
export function allocateKernelFloat32Array(length: number): Float32Array<ArrayBuffer> {
  if (!Number.isInteger(length) || length < 0) {
    throw new RangeError(`allocateKernelFloat32Array: length must be a non-negative integer, got ${length}`);
  }
  const wasm = simdApi();
  if (wasm === null) return new Float32Array(length);
  const pages = KERNEL_SCRATCH_BYTES / PAGE_BYTES + Math.ceil((length * 4) / PAGE_BYTES);
  if (pages > MAX_PAGES) {
    const most = ((MAX_PAGES * PAGE_BYTES - KERNEL_SCRATCH_BYTES) / 4).toLocaleString('en-US');
    throw new RangeError(
      `allocateKernelFloat32Array: length must be at most ${most} (4 GiB of WebAssembly memory), got ${length}`,
    );
  }
  const memory = new wasm.Memory({ initial: pages, maximum: pages });
  owners.set(memory.buffer, { memory, scratchBytes: KERNEL_SCRATCH_BYTES });
  return new Float32Array(memory.buffer, KERNEL_SCRATCH_BYTES, length);
}

/** The kernel memory `view` lives in (from allocateKernelFloat32Array), if any. */
export function kernelMemoryOf(view: ArrayBufferView): KernelMemory | undefined {
  return owners.get(view.buffer);
}

/** True when `view` lives in memory from allocateKernelFloat32Array (the kernels read it in place). */
export function inKernelMemory(view: ArrayBufferView): boolean {
  return owners.has(view.buffer);
}
