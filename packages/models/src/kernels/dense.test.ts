import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
// @ts-expect-error: a plain .mjs script without types
import { toFloat32Source } from '../../scripts/generate-f32-kernels.mjs';
import { denseForward, denseWeightGradient, logisticRows } from './dense.js';
import { biasGradient, denseInputGradient } from './dense-hidden.js';

function randomArray(n: number, seed: number): Float64Array {
  const out = new Float64Array(n);
  let s = seed;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1103515245) + 12345) | 0;
    out[i] = ((s >>> 8) / 2 ** 24) * 2 - 1;
  }
  return out;
}

// Independent oracle: the textbook triple loops.
function naiveForward(
  x: ArrayLike<number>,
  rows: number,
  n: number,
  w: Float64Array,
  wo: number,
  bo: number,
  m: number,
) {
  const out = new Float64Array(rows * m);
  for (let r = 0; r < rows; r++)
    for (let o = 0; o < m; o++) {
      let s = w[bo + o]!;
      for (let k = 0; k < n; k++) s += x[r * n + k]! * w[wo + o * n + k]!;
      out[r * m + o] = s;
    }
  return out;
}

describe('dense kernels', () => {
  // Odd sizes exercise every remainder path; 300 inputs cross the 256-wide k block.
  for (const [rows, inputs, outputs] of [
    [1, 1, 1],
    [5, 3, 7],
    [7, 300, 6],
    [4, 9, 2],
  ] as const) {
    for (const kind of ['f64', 'f32'] as const) {
      it(`${kind} ${rows}x${inputs} -> ${outputs}: forward, weight, input and bias gradients`, () => {
        const x64 = randomArray(rows * inputs, 1);
        const x = kind === 'f32' ? Float32Array.from(x64) : x64;
        const params = randomArray(5 + outputs * inputs + outputs, 2);
        const wo = 5;
        const bo = 5 + outputs * inputs;
        const out = new Float64Array(rows * outputs);
        denseForward(x, rows, inputs, params, wo, bo, outputs, out);
        const expected = naiveForward(x, rows, inputs, params, wo, bo, outputs);
        for (let i = 0; i < out.length; i++) expect(out[i]).toBeCloseTo(expected[i]!, 12);

        const dz = randomArray(rows * outputs, 3);
        const g = new Float64Array(params.length).fill(7);
        denseWeightGradient(dz, rows, outputs, x, inputs, g, wo);
        biasGradient(dz, rows, outputs, g, bo);
        for (let o = 0; o < outputs; o++) {
          let sb = 0;
          for (let r = 0; r < rows; r++) sb += dz[r * outputs + o]!;
          expect(g[bo + o]).toBeCloseTo(sb, 12);
          for (let k = 0; k < inputs; k++) {
            let s = 0;
            for (let r = 0; r < rows; r++) s += dz[r * outputs + o]! * x[r * inputs + k]!;
            expect(g[wo + o * inputs + k]).toBeCloseTo(s, 12);
          }
        }
        expect(g[0]).toBe(7);

        const dx = new Float64Array(rows * inputs).fill(3);
        denseInputGradient(dz, rows, outputs, params, wo, inputs, dx);
        for (let r = 0; r < rows; r++)
          for (let k = 0; k < inputs; k++) {
            let s = 0;
            for (let o = 0; o < outputs; o++) s += dz[r * outputs + o]! * params[wo + o * inputs + k]!;
            expect(dx[r * inputs + k]).toBeCloseTo(s, 12);
          }
      });
    }
  }

  it('logisticRows: sum of softplus(z) - y z and the scaled gradient (blocks of 8 plus a remainder)', () => {
    const rows = 19;
    const cols = 3;
    const x = randomArray(rows * cols, 4).map((v) => 8 * v);
    const params = randomArray(cols + 1, 5);
    const y = Float64Array.from({ length: rows }, (_, i) => ((i * 7) % 3 === 0 ? 1 : 0));
    const g = new Float64Array(cols + 1);
    const total = logisticRows(Float32Array.from(x), rows, cols, y, params, g, 0.5);
    const xf = Float32Array.from(x);
    let expected = 0;
    const eg = new Float64Array(cols + 1);
    for (let r = 0; r < rows; r++) {
      let z = params[cols]!;
      for (let k = 0; k < cols; k++) z += params[k]! * xf[r * cols + k]!;
      const s = 1 / (1 + Math.exp(-z));
      expected += -y[r]! * Math.log(s) - (1 - y[r]!) * Math.log(1 - s);
      for (let k = 0; k < cols; k++) eg[k]! += 0.5 * (s - y[r]!) * xf[r * cols + k]!;
      eg[cols]! += 0.5 * (s - y[r]!);
    }
    expect(total).toBeCloseTo(expected, 12);
    for (let i = 0; i <= cols; i++) expect(g[i]).toBeCloseTo(eg[i]!, 14);
  });

  it('dense-f32.ts is exactly what the generator makes from dense-f64.ts', () => {
    const f64 = readFileSync(new URL('./dense-f64.ts', import.meta.url), 'utf8');
    const f32 = readFileSync(new URL('./dense-f32.ts', import.meta.url), 'utf8');
    expect(f32).toBe(toFloat32Source(f64));
  });
});
