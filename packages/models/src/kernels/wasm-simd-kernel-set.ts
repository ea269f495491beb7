import { checkGemmCall, type GemmCall, jsKernelSet, type KernelArena, type KernelSet } from '@downhill/core';
import { gemmKernelModule, PAGE_BYTES } from './wasm-kernel-module.js';

/** What gemm-f32-simd.wat exports (byte addresses and byte strides). */
interface GemmSimdExports {
  gemm(
    m: number,
    n: number,
    k: number,
    a: number,
    aRow: number,
    aCol: number,
    b: number,
    ldb: number,
    c: number,
    ldc: number,
    accumulate: number,
  ): void;
  gemmNt(
    m: number,
    n: number,
    k: number,
    a: number,
    aRow: number,
    b: number,
    bRow: number,
    c: number,
    ldc: number,
    accumulate: number,
  ): void;
  addRowVector(c: number, rows: number, cols: number, v: number): void;
  columnSums(a: number, rows: number, cols: number, out: number): void;
  relu(z: number, a: number, n: number): void;
  reluBackward(z: number, d: number, n: number): void;
}

// Arena memory buffer -> the module instance over it.
const instances = new WeakMap<ArrayBufferLike, GemmSimdExports>();

let cached: KernelSet<'float32'> | null | undefined;

/**
 * The WebAssembly SIMD kernel set (float32, 128-bit SIMD), or null where the runtime lacks
 * WebAssembly SIMD. Each arena is its own fixed-size WebAssembly memory with an instance of the
 * kernels over it, so operands taken from one arena are read and written in place, with no
 * copy; a call whose operands are not all in one arena runs the JavaScript kernels instead (same
 * results to float32 rounding). Matrix products: NN and TN in register-blocked 4 x 8 tiles of
 * f32x4 accumulators (A broadcast, B and C rows in vectors), NT as 2 x 4 blocks of dot products
 * four elements at a time; TT runs in JavaScript.
 */
export function wasmSimdKernelSet(): KernelSet<'float32'> | null {
  if (cached !== undefined) return cached;
  const compiled = gemmKernelModule();
  if (compiled === null) {
    cached = null;
    return cached;
  }
  const js = jsKernelSet('float32');
  /**
   * The instance that can run a call on these arrays (the third may repeat the first), or
   * undefined when they are not all in one arena. Fixed parameters, not a rest array: called on
   * every kernel call, it must not allocate.
   */
  const kernelFor = (a: Float32Array, b: Float32Array, c: Float32Array = a): GemmSimdExports | undefined => {
    const buffer = a.buffer;
    if (b.buffer !== buffer || c.buffer !== buffer) return undefined;
    return instances.get(buffer);
  };
  const arena = (length: number): KernelArena<Float32Array> => {
    if (!Number.isInteger(length) || length < 0)
      throw new RangeError(`arena: length must be a non-negative integer, got ${length}`);
    // Slack for 16-byte alignment of up to 64 takes.
    const bytes = length * 4 + 1024;
    const pages = Math.max(1, Math.ceil(bytes / PAGE_BYTES));
    const memory = new compiled.api.Memory({ initial: pages, maximum: pages });
    const instance = new compiled.api.Instance(compiled.module, { env: { memory } });
    instances.set(memory.buffer, instance.exports as unknown as GemmSimdExports);
    const capacity = (pages * PAGE_BYTES) / 4;
    let used = 0;
    return {
      get available() {
        return capacity - used;
      },
      take(n: number): Float32Array {
        const start = Math.ceil(used / 4) * 4;
        if (!Number.isInteger(n) || n < 0 || start + n > capacity) {
          throw new RangeError(
            `arena.take: ${n} elements do not fit (${capacity - used} of ${capacity} left)`,
          );
        }
        used = start + n;
        return new Float32Array(memory.buffer, start * 4, n);
      },
    };
  };
  cached = {
    name: 'wasm-simd-float32',
    dtype: 'float32',
    arena,
    gemm(call: GemmCall<Float32Array>): void {
      const kernel = call.transA && call.transB ? undefined : kernelFor(call.a, call.b, call.c);
      if (kernel === undefined) {
        js.gemm(call);
        return;
      }
      checkGemmCall('gemm', call);
      const { m, n, k, a, b, c } = call;
      if (m === 0 || n === 0) return;
      const aAt = a.byteOffset + call.aOffset * 4;
      const bAt = b.byteOffset + call.bOffset * 4;
      const cAt = c.byteOffset + call.cOffset * 4;
      const accumulate = call.accumulate ? 1 : 0;
      if (call.transB)
        kernel.gemmNt(m, n, k, aAt, call.lda * 4, bAt, call.ldb * 4, cAt, call.ldc * 4, accumulate);
      else {
        const aRow = call.transA ? 4 : call.lda * 4;
        const aCol = call.transA ? call.lda * 4 : 4;
        kernel.gemm(m, n, k, aAt, aRow, aCol, bAt, call.ldb * 4, cAt, call.ldc * 4, accumulate);
      }
    },
    addRowVector(c, cOffset, rows, cols, v, vOffset) {
      const kernel = kernelFor(c, v);
      if (kernel === undefined || cOffset + rows * cols > c.length || vOffset + cols > v.length) {
        js.addRowVector(c, cOffset, rows, cols, v, vOffset);
        return;
      }
      kernel.addRowVector(c.byteOffset + cOffset * 4, rows, cols, v.byteOffset + vOffset * 4);
    },
    relu(z, a, n) {
      const kernel = kernelFor(z, a);
      if (kernel === undefined || n > z.length || n > a.length) js.relu(z, a, n);
      else kernel.relu(z.byteOffset, a.byteOffset, n);
    },
    reluBackward(z, d, n) {
      const kernel = kernelFor(z, d);
      if (kernel === undefined || n > z.length || n > d.length) js.reluBackward(z, d, n);
      else kernel.reluBackward(z.byteOffset, d.byteOffset, n);
    },
    columnSums(a, aOffset, rows, cols, out, outOffset) {
      const kernel = kernelFor(a, out);
      if (kernel === undefined || aOffset + rows * cols > a.length || outOffset + cols > out.length) {
        js.columnSums(a, aOffset, rows, cols, out, outOffset);
        return;
      }
      kernel.columnSums(a.byteOffset + aOffset * 4, rows, cols, out.byteOffset + outOffset * 4);
    },
  };
  return cached;
}
