import { readFileSync } from 'node:fs';
import { createRng, gemmCall, jsKernelSet, type KernelSet, type Rng } from '@downhill/core';
import { describe, expect, it } from 'vitest';
// @ts-expect-error: a plain .mjs script without types
import { gemmWat } from '../../scripts/generate-gemm-wat.mjs';
import { wasmSimdKernelSet } from './wasm-simd-kernel-set.js';

// One oracle suite for every kernel set: each result is checked against float64 sums of the
// same stored operands (an independent triple loop), within the rounding of the set's type.

type AnySet = KernelSet<'float32'> | KernelSet<'float64'>;
type Arr = Float32Array | Float64Array;

const sets: [string, AnySet][] = [
  ['js-float64', jsKernelSet('float64')],
  ['js-float32', jsKernelSet('float32')],
];
const wasm = wasmSimdKernelSet();
if (wasm !== null) sets.push(['wasm-simd-float32', wasm]);

it('has the WebAssembly SIMD set on this runtime (Node >= 16.4)', () => {
  expect(wasm).not.toBeNull();
  expect(wasm!.name).toBe('wasm-simd-float32');
});

/** Unit roundoff of the set's element type. */
function unit(set: AnySet): number {
  return set.dtype === 'float32' ? 2 ** -24 : 2 ** -53;
}

function fill(rng: Rng, a: Arr): void {
  for (let i = 0; i < a.length; i++) a[i] = rng.uniform(-1, 1);
}

interface Shape {
  m: number;
  n: number;
  k: number;
  transA: boolean;
  transB: boolean;
  accumulate: boolean;
  pad: number;
  offset: number;
}

function runGemm(set: AnySet, rng: Rng, s: Shape, sameArena: boolean) {
  const aRows = s.transA ? s.k : s.m;
  const aCols = s.transA ? s.m : s.k;
  const bRows = s.transB ? s.n : s.k;
  const bCols = s.transB ? s.k : s.n;
  const lda = aCols + s.pad;
  const ldb = bCols + s.pad;
  const ldc = s.n + s.pad;
  const sizeA = s.offset + aRows * lda;
  const sizeB = s.offset + bRows * ldb;
  const sizeC = s.offset + s.m * ldc;
  const arena = set.arena(sizeA + sizeB + sizeC + 64);
  const a = arena.take(sizeA);
  const b = sameArena ? arena.take(sizeB) : set.arena(sizeB + 16).take(sizeB);
  const c = arena.take(sizeC);
  fill(rng, a);
  fill(rng, b);
  fill(rng, c);
  const before = Float64Array.from(c);
  const call = gemmCall<Arr>(a);
  Object.assign(call, {
    m: s.m,
    n: s.n,
    k: s.k,
    a,
    aOffset: s.offset,
    lda,
    transA: s.transA,
    b,
    bOffset: s.offset,
    ldb,
    transB: s.transB,
    c,
    cOffset: s.offset,
    ldc,
    accumulate: s.accumulate,
  });
  (set.gemm as (c: typeof call) => void)(call);
  const A = (i: number, p: number) => (s.transA ? a[s.offset + p * lda + i]! : a[s.offset + i * lda + p]!);
  const B = (p: number, j: number) => (s.transB ? b[s.offset + j * ldb + p]! : b[s.offset + p * ldb + j]!);
  for (let i = 0; i < s.m; i++) {
    for (let j = 0; j < s.n; j++) {
      let want = s.accumulate ? before[s.offset + i * ldc + j]! : 0;
      let magnitude = Math.abs(want);
      for (let p = 0; p < s.k; p++) {
        want += A(i, p) * B(p, j);
        magnitude += Math.abs(A(i, p) * B(p, j));
      }
      const got = c[s.offset + i * ldc + j]!;
      const bound = 2 * (s.k + 2) * unit(set) * magnitude + 1e-300;
      if (!(Math.abs(got - want) <= bound)) {
        throw new Error(
          `${set.name} ${JSON.stringify(s)}: C[${i},${j}] = ${got}, oracle ${want} (bound ${bound})`,
        );
      }
    }
    // Padding columns of C are left alone.
    for (let j = s.n; j < ldc && s.offset + i * ldc + j < c.length; j++) {
      expect(c[s.offset + i * ldc + j]).toBe(before[s.offset + i * ldc + j]);
    }
  }
}

describe.each(sets)('kernel set %s', (_name, set) => {
  it('computes C = op(A) op(B) (+ C) in every transpose form, for every block edge', () => {
    const rng = createRng(11);
    const sizes = [0, 1, 2, 3, 4, 5, 7, 8, 9, 12, 13, 17];
    let cases = 0;
    for (const transA of [false, true]) {
      for (const transB of [false, true]) {
        for (let t = 0; t < 60; t++) {
          const pick = () => sizes[Math.floor(rng.next() * sizes.length)]!;
          runGemm(
            set,
            rng,
            {
              m: pick(),
              n: pick(),
              k: pick(),
              transA,
              transB,
              accumulate: rng.next() < 0.5,
              pad: Math.floor(rng.next() * 3),
              offset: Math.floor(rng.next() * 5),
            },
            true,
          );
          cases++;
        }
      }
    }
    expect(cases).toBe(240);
  });

  it('runs the MLP-sized products (128 x 784 by 784 x 128, 128 x 10 ...) in every form', () => {
    const rng = createRng(12);
    for (const [m, n, k] of [
      [128, 128, 784],
      [128, 10, 128],
      [10, 128, 128],
    ] as const) {
      for (const transA of [false, true])
        for (const transB of [false, true])
          runGemm(set, rng, { m, n, k, transA, transB, accumulate: false, pad: 0, offset: 0 }, true);
    }
  });

  it('gives the same products when the operands are in different arenas', () => {
    const rng = createRng(13);
    for (const transB of [false, true])
      runGemm(
        set,
        rng,
        { m: 9, n: 13, k: 17, transA: false, transB, accumulate: true, pad: 1, offset: 2 },
        false,
      );
  });

  it('rejects operands that do not fit their arrays, naming the matrix', () => {
    const arena = set.arena(64);
    const x = arena.take(16);
    const call = gemmCall<Arr>(x);
    Object.assign(call, { m: 4, n: 4, k: 4, a: x, lda: 4, b: x, ldb: 4, c: x, ldc: 4 });
    (set.gemm as (c: typeof call) => void)(call); // fits
    Object.assign(call, { k: 5, lda: 5, ldb: 4 });
    expect(() => (set.gemm as (c: typeof call) => void)(call)).toThrow(
      /A \(4 x 5, ld 5, offset 0\) does not fit its array of 16/,
    );
    Object.assign(call, { k: 4, lda: 3 });
    expect(() => (set.gemm as (c: typeof call) => void)(call)).toThrow(
      /lda is 3, less than the 4 stored columns of A/,
    );
    const over = arena.available + 1;
    expect(() => arena.take(over)).toThrow(new RegExp(`${over} elements do not fit`));
  });

  it('adds a row vector, sums columns and applies ReLU forward and backward (element-wise oracle)', () => {
    const rng = createRng(14);
    for (const [rows, cols] of [
      [1, 1],
      [3, 5],
      [7, 8],
      [16, 13],
    ] as const) {
      const arena = set.arena(4 * rows * cols + 64);
      const c = arena.take(rows * cols + 3);
      const v = arena.take(cols + 2);
      fill(rng, c);
      fill(rng, v);
      const c0 = Float64Array.from(c);
      (set.addRowVector as (...a: unknown[]) => void)(c, 3, rows, cols, v, 2);
      for (let i = 0; i < 3; i++) expect(c[i]).toBe(c0[i]);
      for (let r = 0; r < rows; r++)
        for (let j = 0; j < cols; j++) {
          const want =
            set.dtype === 'float32'
              ? Math.fround(c0[3 + r * cols + j]! + v[2 + j]!)
              : c0[3 + r * cols + j]! + v[2 + j]!;
          expect(c[3 + r * cols + j]).toBe(want);
        }
      const out = arena.take(cols + 1);
      out[0] = 42;
      (set.columnSums as (...a: unknown[]) => void)(c, 3, rows, cols, out, 1);
      expect(out[0]).toBe(42);
      for (let j = 0; j < cols; j++) {
        let want = 0;
        let magnitude = 0;
        for (let r = 0; r < rows; r++) {
          want += c[3 + r * cols + j]!;
          magnitude += Math.abs(c[3 + r * cols + j]!);
        }
        expect(Math.abs(out[1 + j]! - want)).toBeLessThanOrEqual(2 * rows * unit(set) * magnitude);
      }
      const n = rows * cols;
      const z = arena.take(n);
      fill(rng, z);
      z[0] = Number.NaN;
      const a = arena.take(n);
      (set.relu as (...a: unknown[]) => void)(z, a, n);
      expect(a[0]).toBeNaN();
      for (let i = 1; i < n; i++) expect(a[i]).toBe(Math.max(z[i]!, 0));
      const d = arena.take(n);
      fill(rng, d);
      const d0 = Float64Array.from(d);
      (set.reluBackward as (...a: unknown[]) => void)(z, d, n);
      for (let i = 0; i < n; i++) expect(d[i]).toBe(z[i]! > 0 ? d0[i] : 0);
    }
  });
});

describe('wasmSimdKernelSet', () => {
  it('runs products in float32 arithmetic inside WebAssembly when the operands share an arena', () => {
    // 1 + 3 * 2^-25: float64 sums round once to 1 + 2^-23; float32 lanes summed pairwise give 1.
    const tiny = 2 ** -25;
    const run = (set: KernelSet<'float32'>, sameArena: boolean): number => {
      const arena = set.arena(64);
      const a = arena.take(4);
      const b = sameArena ? arena.take(4) : new Float32Array(4);
      const c = arena.take(1);
      a.set([1, 1, 1, 1]);
      b.set([1, tiny, tiny, tiny]);
      const call = gemmCall(a);
      Object.assign(call, { m: 1, n: 1, k: 4, a, lda: 4, b, ldb: 4, transB: true, c, ldc: 1 });
      set.gemm(call);
      return c[0]!;
    };
    expect(run(jsKernelSet('float32'), true)).toBe(1 + 2 ** -23);
    expect(run(wasm!, true)).toBe(1);
    // Operands in different memories: the JavaScript kernels run, with their rounding.
    expect(run(wasm!, false)).toBe(1 + 2 ** -23);
  });
});

it('gemm-f32-simd.wat is exactly what scripts/generate-gemm-wat.mjs writes', () => {
  expect(readFileSync(new URL('./gemm-f32-simd.wat', import.meta.url), 'utf8')).toBe(gemmWat());
});
