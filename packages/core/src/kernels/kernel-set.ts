/** Element type a kernel set computes in. */
export type KernelDType = 'float32' | 'float64';

/** The typed array of a kernel element type. */
export type KernelArray<D extends KernelDType> = D extends 'float32' ? Float32Array : Float64Array;

/**
 * One matrix product C = op(A) op(B) (or C += ...) for row-major matrices held at offsets of
 * typed arrays, op = identity or transpose. C is `m x n`, op(A) `m x k`, op(B) `k x n`.
 * Leading dimensions are the row strides of the stored matrices: A is stored `m x k` (`lda >= k`)
 * or, transposed, `k x m` (`lda >= m`); likewise B. A caller keeps one of these objects and
 * rewrites its fields for every call, so a product allocates nothing.
 */
export interface GemmCall<T> {
  m: number;
  n: number;
  k: number;
  a: T;
  aOffset: number;
  lda: number;
  transA: boolean;
  b: T;
  bOffset: number;
  ldb: number;
  transB: boolean;
  c: T;
  cOffset: number;
  ldc: number;
  /** Add the product to C instead of overwriting it. */
  accumulate: boolean;
}

/**
 * Arrays that a kernel set's kernels read and write in place. WebAssembly kernels can only reach
 * their own memory, so every operand of one call must be taken from the same arena (JavaScript
 * kernels accept any array). An arena has a fixed capacity and never moves what it handed out.
 */
export interface KernelArena<T> {
  /** Elements left to take. */
  readonly available: number;
  /** `length` zeroed elements, 16-byte aligned; throws a RangeError when the arena is full. */
  take(length: number): T;
}

/**
 * The compute seam: the kernels a model runs (matrix products in every transpose form, fused
 * element-wise passes, reductions) behind one interface, implemented in JavaScript
 * (jsKernelSet) and in WebAssembly SIMD (in @downhill/models); a GPU implementation would sit
 * behind the same calls. Models take a kernel set instead of importing kernels.
 */
export interface KernelSet<D extends KernelDType = KernelDType> {
  /** Implementation name for descriptions and benchmarks, e.g. 'js-float64', 'wasm-simd-float32'. */
  readonly name: string;
  readonly dtype: D;
  /** A new arena of `length` elements for this set's operands. */
  arena(length: number): KernelArena<KernelArray<D>>;
  /** C = op(A) op(B), or C += op(A) op(B) with `accumulate`. */
  gemm(call: GemmCall<KernelArray<D>>): void;
  /** Fused bias pass: row r of the `rows x cols` matrix at `c[cOffset ..]` += v[vOffset .. vOffset + cols]. */
  addRowVector(
    c: KernelArray<D>,
    cOffset: number,
    rows: number,
    cols: number,
    v: KernelArray<D>,
    vOffset: number,
  ): void;
  /** Fused ReLU forward: a[i] = max(z[i], 0) for the first n elements (NaN stays NaN). */
  relu(z: KernelArray<D>, a: KernelArray<D>, n: number): void;
  /** Fused ReLU backward: d[i] = z[i] > 0 ? d[i] : 0 for the first n elements. */
  reluBackward(z: KernelArray<D>, d: KernelArray<D>, n: number): void;
  /** Reduction: out[outOffset + j] = sum over rows r of a[aOffset + r cols + j] (column sums, e.g. a bias gradient). */
  columnSums(
    a: KernelArray<D>,
    aOffset: number,
    rows: number,
    cols: number,
    out: KernelArray<D>,
    outOffset: number,
  ): void;
}

/** A GemmCall with every field zeroed, for a caller to keep and rewrite. */
export function gemmCall<T>(empty: T): GemmCall<T> {
  return {
    m: 0,
    n: 0,
    k: 0,
    a: empty,
    aOffset: 0,
    lda: 0,
    transA: false,
    b: empty,
    bOffset: 0,
    ldb: 0,
    transB: false,
    c: empty,
    cOffset: 0,
    ldc: 0,
    accumulate: false,
  };
}

/** Checks a product's shape against its arrays, naming the field that does not fit. Allocates nothing unless it throws. */
export function checkGemmCall(name: string, call: GemmCall<Float32Array | Float64Array>): void {
  const { m, n, k } = call;
  checkSize(name, 'm', m);
  checkSize(name, 'n', n);
  checkSize(name, 'k', k);
  checkExtent(name, 'a', call.a, call.aOffset, call.transA ? k : m, call.transA ? m : k, call.lda);
  checkExtent(name, 'b', call.b, call.bOffset, call.transB ? n : k, call.transB ? k : n, call.ldb);
  checkExtent(name, 'c', call.c, call.cOffset, m, n, call.ldc);
}

function checkSize(name: string, field: string, v: number): void {
  if (!Number.isInteger(v) || v < 0)
    throw new RangeError(`${name}: ${field} must be a non-negative integer, got ${v}`);
}

function checkExtent(
  name: string,
  field: string,
  array: Float32Array | Float64Array,
  offset: number,
  rows: number,
  cols: number,
  ld: number,
): void {
  if (ld < cols) {
    throw new RangeError(
      `${name}: ld${field} is ${ld}, less than the ${cols} stored columns of ${field.toUpperCase()}`,
    );
  }
  const end = rows === 0 || cols === 0 ? offset : offset + (rows - 1) * ld + cols;
  if (offset < 0 || end > array.length) {
    throw new RangeError(
      `${name}: ${field.toUpperCase()} (${rows} x ${cols}, ld ${ld}, offset ${offset}) does not fit its array of ${array.length}`,
    );
  }
}
