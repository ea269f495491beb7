import { gemmBlocked } from './gemm-blocked.js';
import {
  checkGemmCall,
  type GemmCall,
  type KernelArena,
  type KernelArray,
  type KernelDType,
  type KernelSet,
} from './kernel-set.js';

type Vec = Float32Array | Float64Array;

function gemmJs(call: GemmCall<Vec>): void {
  checkGemmCall('gemm', call);
  gemmBlocked(call);
}

function arenaOf<T extends Vec>(make: (n: number) => T, length: number): KernelArena<T> {
  if (!Number.isInteger(length) || length < 0)
    throw new RangeError(`arena: length must be a non-negative integer, got ${length}`);
  const store = make(length);
  let used = 0;
  return {
    get available() {
      return length - used;
    },
    take(n: number): T {
      // 16-byte alignment: 4 float32s or 2 float64s.
      const step = store.BYTES_PER_ELEMENT === 4 ? 4 : 2;
      const start = Math.ceil(used / step) * step;
      if (!Number.isInteger(n) || n < 0 || start + n > length) {
        throw new RangeError(`arena.take: ${n} elements do not fit (${length - used} of ${length} left)`);
      }
      used = start + n;
      return store.subarray(start, start + n) as T;
    },
  };
}

/**
 * The JavaScript kernel set for float64 or float32 storage: every operation in plain loops,
 * any array accepted (arenas are ordinary typed arrays). The fallback where WebAssembly SIMD is
 * missing, and the reference the SIMD kernels are tested beside.
 */
export function jsKernelSet<D extends KernelDType>(dtype: D): KernelSet<D> {
  if (dtype !== 'float32' && dtype !== 'float64')
    throw new RangeError(`jsKernelSet: dtype must be 'float32' or 'float64', got ${String(dtype)}`);
  const make = (n: number) =>
    (dtype === 'float32' ? new Float32Array(n) : new Float64Array(n)) as KernelArray<D>;
  return {
    name: `js-${dtype}`,
    dtype,
    arena: (length) => arenaOf(make, length),
    gemm: (call) => gemmJs(call as GemmCall<Vec>),
    addRowVector(c, cOffset, rows, cols, v, vOffset) {
      for (let r = 0; r < rows; r++) {
        const base = cOffset + r * cols;
        for (let j = 0; j < cols; j++) c[base + j]! += v[vOffset + j]!;
      }
    },
    relu(z, a, n) {
      for (let i = 0; i < n; i++) a[i] = Math.max(z[i]!, 0);
    },
    reluBackward(z, d, n) {
      for (let i = 0; i < n; i++) if (!(z[i]! > 0)) d[i] = 0;
    },
    columnSums(a, aOffset, rows, cols, out, outOffset) {
      out.fill(0, outOffset, outOffset + cols);
      for (let r = 0; r < rows; r++) {
        const base = aOffset + r * cols;
        for (let j = 0; j < cols; j++) out[outOffset + j]! += a[base + j]!;
      }
    },
  };
}
