import type { GemmCall } from './kernel-set.js';

type Vec = Float32Array | Float64Array;

/** Inner dimension per pass: a block of op(B)'s rows (k x 128 doubles, 256 KiB) stays in L2 while every row of A passes. */
const K_BLOCK = 256;

/**
 * C = op(A) op(B) (+ C), register-blocked, for any strides (arithmetic in float64, rounded to C's
 * element type where it is stored). The shape is `gemm`'s in `GemmCall`; no checks here.
 *
 * - A B^T (dot form, as a dense layer's forward x W^T): 2 rows of A by 4 rows of B per pass over
 *   a block of k, 8 accumulators in registers, C touched once per block.
 * - A B and A^T B (axpy form, as the backward passes): 2 rows of C by 4 rows of B per pass over a
 *   block of columns.
 * - A^T B^T: plain dot products (no model runs it in a hot loop).
 */
export function gemmBlocked(call: GemmCall<Vec>): void {
  const { m, n, k, c, cOffset, ldc, accumulate } = call;
  if (!accumulate) for (let i = 0; i < m; i++) c.fill(0, cOffset + i * ldc, cOffset + i * ldc + n);
  if (k === 0) return;
  if (!call.transB) axpyForm(call);
  else if (!call.transA) dotForm(call);
  else transposedDotForm(call);
}

/** Columns of C per pass: four rows of a block of B (4 x 512 doubles, 16 KiB) stay in L1 across rows of C. */
const N_BLOCK = 512;

/**
 * C[i, :] += sum_p A(i, p) B[p, :]: two rows of C and four rows of B per pass over a block of
 * columns, so each load of B serves two rows of C and each row of C is read and written once per
 * four rows of B.
 */
function axpyForm(call: GemmCall<Vec>): void {
  const { m, n, k, a, aOffset, lda, transA, b, bOffset, ldb, c, cOffset, ldc } = call;
  // A(i, p) is a[i * lda + p], or transposed a[p * lda + i].
  const rowStep = transA ? 1 : lda;
  const colStep = transA ? lda : 1;
  for (let j0 = 0; j0 < n; j0 += N_BLOCK) {
    const j1 = Math.min(n, j0 + N_BLOCK);
    let i = 0;
    for (; i + 1 < m; i += 2) {
      const ci = cOffset + i * ldc;
      const cj = ci + ldc;
      const ai = aOffset + i * rowStep;
      const aj = ai + rowStep;
      let p = 0;
      for (; p + 3 < k; p += 4) {
        const q0 = p * colStep;
        const q1 = q0 + colStep;
        const q2 = q1 + colStep;
        const q3 = q2 + colStep;
        const a0 = a[ai + q0]!;
        const a1 = a[ai + q1]!;
        const a2 = a[ai + q2]!;
        const a3 = a[ai + q3]!;
        const e0 = a[aj + q0]!;
        const e1 = a[aj + q1]!;
        const e2 = a[aj + q2]!;
        const e3 = a[aj + q3]!;
        const b0 = bOffset + p * ldb;
        const b1 = b0 + ldb;
        const b2 = b1 + ldb;
        const b3 = b2 + ldb;
        for (let j = j0; j < j1; j++) {
          const v0 = b[b0 + j]!;
          const v1 = b[b1 + j]!;
          const v2 = b[b2 + j]!;
          const v3 = b[b3 + j]!;
          c[ci + j] = c[ci + j]! + (a0 * v0 + a1 * v1 + a2 * v2 + a3 * v3);
          c[cj + j] = c[cj + j]! + (e0 * v0 + e1 * v1 + e2 * v2 + e3 * v3);
        }
      }
      for (; p < k; p++) {
        const ap = a[ai + p * colStep]!;
        const ep = a[aj + p * colStep]!;
        const bp = bOffset + p * ldb;
        for (let j = j0; j < j1; j++) {
          const v = b[bp + j]!;
          c[ci + j] = c[ci + j]! + ap * v;
          c[cj + j] = c[cj + j]! + ep * v;
        }
      }
    }
    for (; i < m; i++) {
      const ci = cOffset + i * ldc;
      const ai = aOffset + i * rowStep;
      let p = 0;
      for (; p + 3 < k; p += 4) {
        const a0 = a[ai + p * colStep]!;
        const a1 = a[ai + (p + 1) * colStep]!;
        const a2 = a[ai + (p + 2) * colStep]!;
        const a3 = a[ai + (p + 3) * colStep]!;
        const b0 = bOffset + p * ldb;
        const b1 = b0 + ldb;
        const b2 = b1 + ldb;
        const b3 = b2 + ldb;
        for (let j = j0; j < j1; j++) {
          c[ci + j] = c[ci + j]! + (a0 * b[b0 + j]! + a1 * b[b1 + j]! + a2 * b[b2 + j]! + a3 * b[b3 + j]!);
        }
      }
      for (; p < k; p++) {
        const ap = a[ai + p * colStep]!;
        const bp = bOffset + p * ldb;
        for (let j = j0; j < j1; j++) c[ci + j] = c[ci + j]! + ap * b[bp + j]!;
      }
    }
  }
}

/** C[i, j] += dot(A[i, :], B[j, :]): rows of both are contiguous. */
function dotForm(call: GemmCall<Vec>): void {
  const { m, n, k, a, aOffset, lda, b, bOffset, ldb, c, cOffset, ldc } = call;
  for (let k0 = 0; k0 < k; k0 += K_BLOCK) {
    const k1 = Math.min(k, k0 + K_BLOCK);
    let i = 0;
    for (; i + 1 < m; i += 2) {
      const xa = aOffset + i * lda;
      const xb = xa + lda;
      const ca = cOffset + i * ldc;
      const cb = ca + ldc;
      let j = 0;
      for (; j + 3 < n; j += 4) {
        const w0 = bOffset + j * ldb;
        const w1 = w0 + ldb;
        const w2 = w1 + ldb;
        const w3 = w2 + ldb;
        let s0 = 0;
        let s1 = 0;
        let s2 = 0;
        let s3 = 0;
        let t0 = 0;
        let t1 = 0;
        let t2 = 0;
        let t3 = 0;
        for (let p = k0; p < k1; p++) {
          const va = a[xa + p]!;
          const vb = a[xb + p]!;
          const p0 = b[w0 + p]!;
          const p1 = b[w1 + p]!;
          const p2 = b[w2 + p]!;
          const p3 = b[w3 + p]!;
          s0 += va * p0;
          s1 += va * p1;
          s2 += va * p2;
          s3 += va * p3;
          t0 += vb * p0;
          t1 += vb * p1;
          t2 += vb * p2;
          t3 += vb * p3;
        }
        c[ca + j] = c[ca + j]! + s0;
        c[ca + j + 1] = c[ca + j + 1]! + s1;
        c[ca + j + 2] = c[ca + j + 2]! + s2;
        c[ca + j + 3] = c[ca + j + 3]! + s3;
        c[cb + j] = c[cb + j]! + t0;
        c[cb + j + 1] = c[cb + j + 1]! + t1;
        c[cb + j + 2] = c[cb + j + 2]! + t2;
        c[cb + j + 3] = c[cb + j + 3]! + t3;
      }
      for (; j < n; j++) {
        const w = bOffset + j * ldb;
        let s = 0;
        let t = 0;
        for (let p = k0; p < k1; p++) {
          s += a[xa + p]! * b[w + p]!;
          t += a[xb + p]! * b[w + p]!;
        }
        c[ca + j] = c[ca + j]! + s;
        c[cb + j] = c[cb + j]! + t;
      }
    }
    for (; i < m; i++) {
      const xa = aOffset + i * lda;
      const ca = cOffset + i * ldc;
      for (let j = 0; j < n; j++) {
        const w = bOffset + j * ldb;
        let s = 0;
        for (let p = k0; p < k1; p++) s += a[xa + p]! * b[w + p]!;
        c[ca + j] = c[ca + j]! + s;
      }
    }
  }
}

/** C[i, j] += sum_p A[p, i] B[j, p]. */
function transposedDotForm(call: GemmCall<Vec>): void {
  const { m, n, k, a, aOffset, lda, b, bOffset, ldb, c, cOffset, ldc } = call;
  for (let i = 0; i < m; i++) {
    const ci = cOffset + i * ldc;
    for (let j = 0; j < n; j++) {
      const bj = bOffset + j * ldb;
      let s = 0;
      for (let p = 0; p < k; p++) s += a[aOffset + p * lda + i]! * b[bj + p]!;
      c[ci + j] = c[ci + j]! + s;
    }
  }
}
