import type { Matrix, MatrixData } from '../vector.js';

type Vec = Float64Array | Float32Array;

/** y = A x (A is rows x cols, row-major); y is overwritten unless `accumulate`. */
export function gemv(a: Matrix, x: Vec, y: Vec, accumulate = false): void {
  const { rows, cols, data } = a;
  if (x.length !== cols) throw new RangeError(`gemv: x has length ${x.length}, A has ${cols} columns`);
  if (y.length !== rows) throw new RangeError(`gemv: y has length ${y.length}, A has ${rows} rows`);
  for (let r = 0; r < rows; r++) {
    const base = r * cols;
    let s0 = 0;
    let s1 = 0;
    let c = 0;
    for (; c + 1 < cols; c += 2) {
      s0 += data[base + c]! * x[c]!;
      s1 += data[base + c + 1]! * x[c + 1]!;
    }
    if (c < cols) s0 += data[base + c]! * x[c]!;
    y[r] = accumulate ? y[r]! + s0 + s1 : s0 + s1;
  }
}

/** y = A^T x (A is rows x cols, row-major): reads A row by row, once. */
export function gemvT(a: Matrix, x: Vec, y: Vec, accumulate = false): void {
  const { rows, cols, data } = a;
  if (x.length !== rows) throw new RangeError(`gemvT: x has length ${x.length}, A has ${rows} rows`);
  if (y.length !== cols) throw new RangeError(`gemvT: y has length ${y.length}, A has ${cols} columns`);
  if (!accumulate) y.fill(0);
  for (let r = 0; r < rows; r++) {
    const xr = x[r]!;
    if (xr === 0) continue;
    const base = r * cols;
    for (let c = 0; c < cols; c++) y[c]! += data[base + c]! * xr;
  }
}

export interface GemmOptions {
  /** Use A^T instead of A. */
  readonly transposeA?: boolean;
  /** Use B^T instead of B. */
  readonly transposeB?: boolean;
  /** Add to C instead of overwriting it. */
  readonly accumulate?: boolean;
}

const NO_OPTIONS: GemmOptions = {};

/**
 * C = op(A) op(B) for row-major matrices, op = identity or transpose. Loop orders keep the
 * innermost loop on contiguous memory for each of the four forms.
 */
export function gemm(a: Matrix, b: Matrix, c: Matrix<MatrixData>, options: GemmOptions = NO_OPTIONS): void {
  const ta = options.transposeA === true;
  const tb = options.transposeB === true;
  const m = ta ? a.cols : a.rows;
  const k = ta ? a.rows : a.cols;
  const kb = tb ? b.cols : b.rows;
  const n = tb ? b.rows : b.cols;
  if (k !== kb)
    throw new RangeError(`gemm: inner dimensions differ (op(A) is ${m}x${k}, op(B) is ${kb}x${n})`);
  if (c.rows !== m || c.cols !== n)
    throw new RangeError(`gemm: C is ${c.rows}x${c.cols}, expected ${m}x${n}`);
  const A = a.data;
  const B = b.data;
  const C = c.data;
  if (options.accumulate !== true) C.fill(0);
  if (!tb) {
    // C[i,:] += op(A)[i,p] * B[p,:]: the inner loop streams a row of B and a row of C.
    for (let i = 0; i < m; i++) {
      const ci = i * n;
      for (let p = 0; p < k; p++) {
        const aip = ta ? A[p * a.cols + i]! : A[i * a.cols + p]!;
        if (aip === 0) continue;
        const bp = p * n;
        for (let j = 0; j < n; j++) C[ci + j]! += aip * B[bp + j]!;
      }
    }
    return;
  }
  // B^T: C[i,j] = dot(op(A)[i,:], B[j,:]); with A untransposed both rows are contiguous.
  for (let i = 0; i < m; i++) {
    const ci = i * n;
    for (let j = 0; j < n; j++) {
      const bj = j * k;
      let s = 0;
      if (ta) for (let p = 0; p < k; p++) s += A[p * a.cols + i]! * B[bj + p]!;
      else {
        const ai = i * k;
        for (let p = 0; p < k; p++) s += A[ai + p]! * B[bj + p]!;
      }
      C[ci + j]! += s;
    }
  }
}
