import { createRng, jsKernelSet, type KernelSet, type Matrix, matrix, type Rng, train } from '@downhill/core';
import { describe, expect, it } from 'vitest';
import { wasmSimdKernelSet } from '../kernels/wasm-simd-kernel-set.js';
import { halfMeanSquaredError } from '../losses/mean-squared-error.js';
import { l2Penalty } from '../losses/penalty.js';
import type { ActivationName } from './activation.js';
import { linearRegression } from './linear-regression.js';
import { logisticRegression } from './logistic-regression.js';
import { mlp } from './mlp.js';
import type { Model } from './model.js';
import { polynomialRegression } from './polynomial-regression.js';
import { softmaxRegression } from './softmax-regression.js';

// Float32 compute (a float64 master copy, float32 passes) against the float64 model on the same
// float32 data and parameters: the oracle is the float64 model, and the bound is float32
// rounding: the parameters are rounded once (relative 2^-24) and every product of length k adds
// at most about k 2^-24 of the sum of its terms' magnitudes, so errors stay within a small
// multiple of 2^-24 times the widest layer and the values' magnitude.

function data(rng: Rng, rows: number, inputs: number, classes: number) {
  const x = new Float32Array(rows * inputs);
  for (let i = 0; i < x.length; i++) x[i] = rng.uniform(-1, 1);
  const y = new Float32Array(rows);
  for (let r = 0; r < rows; r++) y[r] = Math.floor(rng.next() * classes);
  return { x: matrix(x, rows, inputs), y: matrix(y, rows, 1) };
}

const sets: [string, KernelSet<'float32'>][] = [['js-float32', jsKernelSet('float32')]];
const wasm = wasmSimdKernelSet();
if (wasm !== null) sets.push(['wasm-simd-float32', wasm]);

function maxAbs(v: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < v.length; i++) m = Math.max(m, Math.abs(v[i]!));
  return m;
}

describe.each(sets)('MLP float32 compute on %s agrees with float64 to float32 rounding', (_name, kernels) => {
  const activations: ActivationName[] = ['relu', 'leaky-relu', 'tanh', 'sigmoid', 'gelu'];
  for (const activation of activations) {
    it(`${activation}: loss, gradient and predictions, batches of 1 to 37 rows`, () => {
      const rng = createRng(activation.length);
      for (const [layers, rows] of [
        [[5, 7, 3], 1],
        [[13, 9, 4], 37],
        [[20, 16, 12, 5], 9],
        [[64, 33, 10], 32],
      ] as const) {
        const reference = mlp({ layers, activation });
        const model = mlp({ layers, activation, kernels });
        const batch = data(rng, rows, layers[0], layers[layers.length - 1]!);
        const params = reference.initialize(rng);
        for (let i = 0; i < params.length; i++) params[i]! += rng.uniform(-0.05, 0.05);
        const g64 = new Float64Array(params.length);
        const g32 = new Float64Array(params.length).fill(Number.NaN);
        const l64 = reference.loss(params, batch, g64);
        const l32 = model.loss(params, batch, g32);
        const widest = Math.max(...layers, rows);
        const tolerance = 8 * widest * 2 ** -24;
        expect(Math.abs(l32 - l64)).toBeLessThanOrEqual(tolerance * Math.max(1, Math.abs(l64)));
        const scale = maxAbs(g64);
        for (let i = 0; i < params.length; i++) {
          if (!(Math.abs(g32[i]! - g64[i]!) <= tolerance * scale)) {
            throw new Error(
              `${JSON.stringify(layers)} rows ${rows}: gradient[${i}] ${g32[i]} vs ${g64[i]} (scale ${scale})`,
            );
          }
        }
        const p64 = reference.predict(params, batch.x);
        const p32 = model.predict(params, batch.x);
        for (let i = 0; i < p64.length; i++)
          expect(Math.abs(p32[i]! - p64[i]!)).toBeLessThanOrEqual(tolerance);
        // Without a gradient buffer the loss is the same value.
        expect(model.loss(params, batch)).toBe(l32);
      }
    });
  }

  it('a linear output under half mean squared error, and float64 targets and inputs', () => {
    const rng = createRng(3);
    const layers = [6, 8, 2];
    const reference = mlp({ layers, output: 'linear', loss: halfMeanSquaredError });
    const model = mlp({ layers, output: 'linear', loss: halfMeanSquaredError, kernels });
    const x = matrix(
      Float64Array.from({ length: 11 * 6 }, () => rng.uniform(-1, 1)),
      11,
      6,
    );
    const y = matrix(
      Float64Array.from({ length: 11 * 2 }, () => rng.normal()),
      11,
      2,
    );
    const params = reference.initialize(rng);
    const g64 = new Float64Array(params.length);
    const g32 = new Float64Array(params.length);
    const l64 = reference.loss(params, { x, y }, g64);
    const l32 = model.loss(params, { x, y }, g32);
    expect(Math.abs(l32 - l64)).toBeLessThanOrEqual(1e-5 * Math.abs(l64));
    for (let i = 0; i < params.length; i++)
      expect(Math.abs(g32[i]! - g64[i]!)).toBeLessThanOrEqual(1e-5 * maxAbs(g64));
  });
});

describe('MLP kernel selection', () => {
  it("compute: 'float32' picks the WebAssembly SIMD set here, and says so in its description", () => {
    const model = mlp({ layers: [4, 3, 2], compute: 'float32' });
    expect(model.describe()).toMatchObject({ compute: 'float32', kernels: 'wasm-simd-float32' });
    expect(mlp({ layers: [4, 3, 2] }).describe()).toMatchObject({ compute: 'float64' });
    expect(mlp({ layers: [4, 3, 2] }).describe().kernels).toBeUndefined();
  });

  it('a float64 kernel set runs float64 compute through the seam, matching the dense kernels', () => {
    const rng = createRng(5);
    const layers = [9, 7, 4];
    const reference = mlp({ layers, activation: 'tanh' });
    const model = mlp({ layers, activation: 'tanh', kernels: jsKernelSet('float64') });
    const batch = data(rng, 10, 9, 4);
    const params = reference.initialize(rng);
    const g64 = new Float64Array(params.length);
    const gSeam = new Float64Array(params.length);
    expect(model.loss(params, batch, gSeam)).toBeCloseTo(reference.loss(params, batch, g64), 13);
    for (let i = 0; i < params.length; i++) expect(gSeam[i]).toBeCloseTo(g64[i]!, 13);
  });

  it('rejects a compute that its kernel set does not do, and unknown computes', () => {
    expect(() => mlp({ layers: [2, 2], compute: 'float64', kernels: jsKernelSet('float32') })).toThrow(
      /compute is 'float64' but kernels \(js-float32\) compute in 'float32'/,
    );
    expect(() => mlp({ layers: [2, 2], compute: 'float16' as 'float32' })).toThrow(
      /compute must be 'float64' or 'float32', got float16/,
    );
  });

  it("trains through train() in float32 to the float64 run's loss (Adam-free SGD, same batches)", () => {
    const rng = createRng(8);
    const batch = data(rng, 64, 8, 3);
    const finals: number[] = [];
    for (const compute of ['float64', 'float32'] as const) {
      const model = mlp({ layers: [8, 16, 3], compute });
      let loss = Number.NaN;
      train({
        objective: model,
        optimizer: {
          name: 'sgd',
          settable: [],
          init: () => ({}),
          update: (u) => {
            for (let i = 0; i < u.length; i++) u[i]! *= -0.5;
          },
          describe: () => ({ name: 'sgd' }),
        },
        params: (r) => model.initialize(r),
        loader: { batchesPerEpoch: 1, samples: 64, batchSize: 64, epoch: () => [batch] },
        epochs: 60,
        mode: 'sync',
      }).subscribe((e) => {
        if (e.type === 'end') loss = e.loss;
      });
      finals.push(loss);
    }
    expect(finals[1]).toBeLessThan(0.9);
    expect(Math.abs(finals[1]! - finals[0]!)).toBeLessThanOrEqual(1e-4 * finals[0]!);
  });
});

describe.each(sets)(
  'every other model: float32 compute on %s agrees with float64 to float32 rounding',
  (_name, kernels) => {
    const rng = createRng(21);
    const x = matrix(
      Float32Array.from({ length: 29 * 6 }, () => rng.uniform(-1, 1)),
      29,
      6,
    );
    const labels = matrix(
      Float32Array.from({ length: 29 }, () => (rng.next() < 0.4 ? 1 : 0)),
      29,
      1,
    );
    const classes = matrix(
      Float32Array.from({ length: 29 }, () => Math.floor(rng.next() * 4)),
      29,
      1,
    );
    const targets = matrix(
      Float32Array.from({ length: 29 * 2 }, () => rng.normal()),
      29,
      2,
    );
    const cases: [string, (o: { kernels?: KernelSet<'float32'> }) => Model, Matrix][] = [
      [
        'linear regression (2 outputs, L2 penalty)',
        (o) => linearRegression({ inputs: 6, outputs: 2, penalties: [l2Penalty(0.1)], ...o }),
        targets,
      ],
      ['softmax regression', (o) => softmaxRegression({ inputs: 6, classes: 4, ...o }), classes],
      ['logistic regression', (o) => logisticRegression({ inputs: 6, ...o }), labels],
      [
        'polynomial regression (degree 3)',
        (o) => polynomialRegression({ degree: 3, inputs: 2, outputs: 2, ...o }),
        targets,
      ],
    ];
    for (const [label, make, y] of cases) {
      it(label, () => {
        const reference = make({});
        const model = make({ kernels });
        expect(model.describe()).toMatchObject({ compute: 'float32', kernels: kernels.name });
        const batch = {
          x: label.startsWith('polynomial') ? matrix(x.data.subarray(0, 29 * 2), 29, 2) : x,
          y,
        };
        const params = reference.initialize(rng);
        for (let i = 0; i < params.length; i++) params[i] = rng.uniform(-0.5, 0.5);
        const g64 = new Float64Array(params.length);
        const g32 = new Float64Array(params.length);
        const l64 = reference.loss(params, batch, g64);
        const l32 = model.loss(params, batch, g32);
        const tolerance = 8 * 29 * 2 ** -24;
        expect(Math.abs(l32 - l64)).toBeLessThanOrEqual(tolerance * Math.max(1, Math.abs(l64)));
        const scale = maxAbs(g64);
        for (let i = 0; i < params.length; i++)
          expect(Math.abs(g32[i]! - g64[i]!)).toBeLessThanOrEqual(tolerance * scale);
        const p64 = reference.predict(params, batch.x);
        const p32 = model.predict(params, batch.x);
        for (let i = 0; i < p64.length; i++)
          expect(Math.abs(p32[i]! - p64[i]!)).toBeLessThanOrEqual(tolerance * Math.max(1, Math.abs(p64[i]!)));
      });
    }
  },
);
