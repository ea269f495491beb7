import { createRng, matrix } from '@downhill/core';
import { describe, expect, it } from 'vitest';
import { mlp } from '../models/mlp.js';
import { checkGradient } from '../objectives/check-gradient.js';
import { denseForwardF32, denseWeightGradientF32 } from './dense-f32.js';
import { denseForwardWasm, denseWeightGradientWasm } from './dense-wasm.js';
import { wasmKernelsAvailable } from './wasm-kernel-module.js';

// Independent oracle: the textbook loops in float64, with the sum of |terms| as the yardstick for
// rounding (sums that cancel).
function naiveForward(
  x: Float32Array,
  rows: number,
  n: number,
  p: Float64Array,
  wo: number,
  bo: number,
  m: number,
) {
  const out = new Float64Array(rows * m);
  const size = new Float64Array(rows * m);
  for (let r = 0; r < rows; r++)
    for (let o = 0; o < m; o++) {
      let s = p[bo + o]!;
      let a = Math.abs(s);
      for (let k = 0; k < n; k++) {
        s += x[r * n + k]! * p[wo + o * n + k]!;
        a += Math.abs(x[r * n + k]! * p[wo + o * n + k]!);
      }
      out[r * m + o] = s;
      size[r * m + o] = a;
    }
  return { out, size };
}

function naiveWeightGradient(dz: Float64Array, rows: number, m: number, x: Float32Array, n: number) {
  const g = new Float64Array(m * n);
  const size = new Float64Array(m * n);
  for (let o = 0; o < m; o++)
    for (let k = 0; k < n; k++)
      for (let r = 0; r < rows; r++) {
        g[o * n + k]! += dz[r * m + o]! * x[r * n + k]!;
        size[o * n + k]! += Math.abs(dz[r * m + o]! * x[r * n + k]!);
      }
  return { g, size };
}

function expectClose(got: Float64Array, want: Float64Array, size: Float64Array, offset = 0) {
  for (let i = 0; i < want.length; i++) {
    expect(Math.abs(got[offset + i]! - want[i]!)).toBeLessThanOrEqual(1e-14 * size[i]! + 1e-300);
  }
}

describe.runIf(wasmKernelsAvailable())('WebAssembly SIMD dense kernels', () => {
  // Odd sizes reach every remainder: odd rows, outputs not a multiple of 4 (forward) or 2 (weight
  // gradient), odd inputs, inputs across the 256-column chunks, ReLU-like zeros in dz.
  const shapes = [
    [8, 1, 1],
    [9, 3, 5],
    [13, 300, 7],
    [16, 784, 10],
    [33, 257, 2],
    [10, 64, 129],
  ] as const;
  for (const [rows, inputs, outputs] of shapes) {
    it(`${rows}x${inputs} -> ${outputs}: forward and weight gradient match the float64 oracle and the JS kernels`, () => {
      const rng = createRng(rows * 1000 + inputs);
      const x = Float32Array.from({ length: rows * inputs }, () => rng.uniform(-1, 1));
      const wo = 3;
      const bo = wo + outputs * inputs;
      const params = Float64Array.from({ length: bo + outputs + 2 }, () => rng.uniform(-1, 1));
      const out = new Float64Array(rows * outputs).fill(Number.NaN);
      expect(denseForwardWasm(x, rows, inputs, params, wo, bo, outputs, out)).toBe(true);
      const want = naiveForward(x, rows, inputs, params, wo, bo, outputs);
      expectClose(out, want.out, want.size);
      const js = new Float64Array(rows * outputs);
      denseForwardF32(x, rows, inputs, params, wo, bo, outputs, js);
      expectClose(out, js, want.size);

      // Half the factors zero, and some rows zero for every output (skipped rows).
      const dz = Float64Array.from({ length: rows * outputs }, (_, i) =>
        Math.floor(i / outputs) % 3 === 1 || rng.next() < 0.5 ? 0 : rng.uniform(-1, 1),
      );
      const gradient = new Float64Array(params.length).fill(7);
      expect(denseWeightGradientWasm(dz, rows, outputs, x, inputs, gradient, wo)).toBe(true);
      const wantG = naiveWeightGradient(dz, rows, outputs, x, inputs);
      expectClose(gradient, wantG.g, wantG.size, wo);
      // Only G's block is written.
      expect(gradient[wo - 1]).toBe(7);
      expect(gradient[bo]).toBe(7);
      const jsG = new Float64Array(params.length);
      denseWeightGradientF32(dz, rows, outputs, x, inputs, jsG, wo);
      expectClose(gradient, jsG.subarray(wo, bo), wantG.size, wo);
    });
  }

  it('an MLP on float32 batches of 12 rows (SIMD first layer) passes checkGradient to 1e-6', () => {
    for (const activation of ['relu', 'tanh'] as const) {
      const rng = createRng(activation.length);
      const model = mlp({ layers: [9, 6, 3], activation });
      const params = model.initialize(rng);
      for (let i = 0; i < params.length; i++) params[i]! += rng.uniform(-0.1, 0.1);
      const x = matrix(
        Float32Array.from({ length: 12 * 9 }, () => rng.uniform(-2, 2)),
        12,
        9,
      );
      const y = matrix(
        Float64Array.from({ length: 12 }, () => rng.int(3)),
        12,
        1,
      );
      const check = checkGradient(model, params, { x, y });
      expect(check.ok).toBe(true);
      expect(check.maxRelativeError).toBeLessThanOrEqual(1e-6);
    }
  });

  it('fewer than 8 rows is left to the JS kernel (false, nothing written)', () => {
    const out = new Float64Array(7).fill(3);
    expect(denseForwardWasm(new Float32Array(7), 7, 1, new Float64Array(2), 0, 1, 1, out)).toBe(false);
    expect(out.every((v) => v === 3)).toBe(true);
    const g = new Float64Array(1).fill(3);
    expect(denseWeightGradientWasm(new Float64Array(7), 7, 1, new Float32Array(7), 1, g, 0)).toBe(false);
    expect(g[0]).toBe(3);
  });
});
