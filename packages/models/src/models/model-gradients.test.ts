import { type Batch, createRng, matrix, type Rng } from '@downhill/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { allocateKernelFloat32Array } from '../kernels/kernel-memory.js';
import { binaryCrossEntropyFromLogits } from '../losses/binary-cross-entropy.js';
import { hingeLoss } from '../losses/hinge.js';
import { huberLoss } from '../losses/huber.js';
import type { Loss } from '../losses/loss.js';
import { meanAbsoluteError } from '../losses/mean-absolute-error.js';
import { halfMeanSquaredError, meanSquaredError } from '../losses/mean-squared-error.js';
import { l1Penalty, l2Penalty } from '../losses/penalty.js';
import { checkGradient } from '../objectives/check-gradient.js';
import { ACTIVATIONS } from './activation.js';
import { linearRegression } from './linear-regression.js';
import { logisticRegression } from './logistic-regression.js';
import { mlp } from './mlp.js';
import type { Model } from './model.js';
import { polynomialRegression } from './polynomial-regression.js';
import { softmaxRegression } from './softmax-regression.js';

// Property: for random shapes, data and parameters, every model's analytic gradient agrees with
// central finite differences to 1e-6 relative (checkGradient's default tolerance). The oracle is
// the finite difference of the model's own loss value, which is checked against hand-derived
// values in the loss tests.

const RUNS = 30;

function randomMatrix(rng: Rng, rows: number, cols: number, f32: boolean, low = -1, high = 1) {
  const data = f32 ? new Float32Array(rows * cols) : new Float64Array(rows * cols);
  for (let i = 0; i < data.length; i++) data[i] = rng.uniform(low, high);
  return matrix(data, rows, cols);
}

function labels(rng: Rng, rows: number, classes: number, oneHot: boolean) {
  const data = new Float64Array(rows * (oneHot ? classes : 1));
  for (let r = 0; r < rows; r++) {
    const c = rng.int(classes);
    if (oneHot) data[r * classes + c] = 1;
    else data[r] = c;
  }
  return matrix(data, rows, oneHot ? classes : 1);
}

function randomParams(model: Model, rng: Rng, scale = 1): Float64Array {
  const p = new Float64Array(model.dimension);
  for (let i = 0; i < p.length; i++) p[i] = rng.normal(0, scale);
  return p;
}

function expectGradientOk(model: Model, params: Float64Array, batch: Batch): void {
  const check = checkGradient(model, params, batch);
  if (!check.ok) {
    throw new Error(
      `${JSON.stringify(model.describe())}: worst relative error ${check.maxRelativeError} at ${check.worstIndex} (analytic ${check.analyticAtWorst}, numeric ${check.numericAtWorst})`,
    );
  }
  expect(check.maxRelativeError).toBeLessThanOrEqual(1e-6);
}

const shape = fc.record({
  seed: fc.integer(),
  rows: fc.integer({ min: 1, max: 9 }),
  inputs: fc.integer({ min: 1, max: 6 }),
  f32: fc.boolean(),
});

const regressionLosses: Loss[] = [meanSquaredError, halfMeanSquaredError, meanAbsoluteError, huberLoss(0.7)];

describe('every model gradient passes checkGradient (property)', () => {
  it('linear regression, one or many outputs, every element-wise loss, with penalties', () => {
    fc.assert(
      fc.property(
        shape,
        fc.integer({ min: 1, max: 3 }),
        fc.integer({ min: 0, max: 5 }),
        fc.boolean(),
        ({ seed, rows, inputs, f32 }, outputs, lossIndex, penalised) => {
          const rng = createRng(seed);
          const loss = [...regressionLosses, binaryCrossEntropyFromLogits, hingeLoss][lossIndex]!;
          const classify = loss === binaryCrossEntropyFromLogits || loss === hingeLoss;
          const model = linearRegression({
            inputs,
            outputs,
            loss,
            ...(penalised && { penalties: [l2Penalty(0.3), l1Penalty(0.1)] }),
          });
          const x = randomMatrix(rng, rows, inputs, f32);
          const y = classify
            ? labels(rng, rows * outputs, 2, false)
            : randomMatrix(rng, rows, outputs, false, -2, 2);
          expectGradientOk(model, randomParams(model, rng), { x, y: matrix(y.data, rows, outputs) });
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('polynomial regression of degree 1..4', () => {
    fc.assert(
      fc.property(shape, fc.integer({ min: 1, max: 4 }), ({ seed, rows, inputs, f32 }, degree) => {
        const rng = createRng(seed);
        const model = polynomialRegression({ degree, inputs: Math.min(inputs, 3), outputs: 1 });
        const x = randomMatrix(rng, rows, Math.min(inputs, 3), f32);
        const y = randomMatrix(rng, rows, 1, false);
        expectGradientOk(model, randomParams(model, rng), { x, y });
      }),
      { numRuns: RUNS },
    );
  });

  it('logistic regression (fused one-pass kernel; float32 data in kernel memory or not), with an L2 penalty', () => {
    fc.assert(
      fc.property(shape, fc.boolean(), fc.boolean(), ({ seed, rows, inputs, f32 }, penalised, inKernel) => {
        const rng = createRng(seed);
        const model = logisticRegression({ inputs, ...(penalised && { penalties: [l2Penalty(0.5)] }) });
        let x = randomMatrix(rng, rows, inputs, f32, -2, 2);
        if (f32 && inKernel) {
          // The WebAssembly kernel reads this in place (the other float32 batches are copied in).
          const data = allocateKernelFloat32Array(x.data.length);
          data.set(x.data);
          x = matrix(data, rows, inputs);
        }
        expectGradientOk(model, randomParams(model, rng), { x, y: labels(rng, rows, 2, false) });
      }),
      { numRuns: RUNS },
    );
  });

  it('softmax regression with index or one-hot targets', () => {
    fc.assert(
      fc.property(
        shape,
        fc.integer({ min: 2, max: 5 }),
        fc.boolean(),
        ({ seed, rows, inputs, f32 }, classes, oneHot) => {
          const rng = createRng(seed);
          const model = softmaxRegression({ inputs, classes });
          const x = randomMatrix(rng, rows, inputs, f32, -2, 2);
          expectGradientOk(model, randomParams(model, rng), { x, y: labels(rng, rows, classes, oneHot) });
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('MLP: any depth, every activation, softmax or linear output', () => {
    fc.assert(
      fc.property(
        shape,
        fc.array(fc.integer({ min: 1, max: 6 }), { minLength: 1, maxLength: 3 }),
        fc.constantFrom(...ACTIVATIONS),
        fc.constantFrom('softmax' as const, 'linear' as const),
        fc.integer({ min: 2, max: 4 }),
        ({ seed, rows, inputs, f32 }, hidden, activation, output, outputs) => {
          const rng = createRng(seed);
          const model = mlp({
            layers: [inputs, ...hidden, outputs],
            activation,
            leakySlope: 0.1,
            output,
            ...(output === 'linear' && { loss: halfMeanSquaredError }),
            penalties: [l2Penalty(0.01)],
          });
          const x = randomMatrix(rng, rows, inputs, f32, -2, 2);
          const y =
            output === 'softmax'
              ? labels(rng, rows, outputs, false)
              : randomMatrix(rng, rows, outputs, false);
          expectGradientOk(model, randomParams(model, rng, 0.8), { x, y });
        },
      ),
      { numRuns: RUNS * 2 },
    );
  });
});
