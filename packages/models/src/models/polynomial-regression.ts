import type { Batch, Matrix, Rng, Vector } from '@downhill/core';
import { matrix } from '@downhill/core';
import type { ComputeOptions } from '../kernels/choose-kernels.js';
import type { Loss } from '../losses/loss.js';
import type { Penalty } from '../losses/penalty.js';
import { linearRegression } from './linear-regression.js';
import { checkCall, checkPositiveInteger, type InitializeOptions, type Model } from './model.js';
import { Scratch } from './scratch.js';

export interface PolynomialRegressionOptions extends ComputeOptions {
  /** Highest power of each input. */
  readonly degree: number;
  /** Number of raw inputs (default 1). */
  readonly inputs?: number;
  readonly outputs?: number;
  readonly loss?: Loss;
  readonly penalties?: readonly Penalty[];
}

/**
 * Polynomial regression: linear regression on the expanded features
 * [x_1, x_1^2, ..., x_1^d, x_2, ..., x_2^d, ...] (powers of each input, no cross terms), so with one
 * input y = b + w_1 x + w_2 x^2 + ... + w_d x^d. The weight of x_j^p sits at column (j * d + p - 1)
 * of the weight block. High powers of inputs far from [-1, 1] make the problem badly conditioned:
 * scale the inputs first.
 */
export function polynomialRegression(options: PolynomialRegressionOptions): Model {
  const name = 'polynomial-regression';
  const degree = options.degree;
  const inputs = options.inputs ?? 1;
  checkPositiveInteger(name, 'degree', degree);
  checkPositiveInteger(name, 'inputs', inputs);
  const features = inputs * degree;
  const linear = linearRegression({
    inputs: features,
    ...(options.outputs !== undefined && { outputs: options.outputs }),
    ...(options.loss !== undefined && { loss: options.loss }),
    ...(options.penalties !== undefined && { penalties: options.penalties }),
    ...(options.compute !== undefined && { compute: options.compute }),
    ...(options.kernels !== undefined && { kernels: options.kernels }),
  });
  const expanded = new Scratch();
  // Reused views: the expanded inputs live in a growing scratch buffer (possibly longer than
  // rows * features; the kernels read only `rows` rows), so no call allocates once it has grown.
  const expandedX: { data: Float64Array; rows: number; cols: number } = {
    data: expanded.buffer,
    rows: 0,
    cols: features,
  };
  const expandedBatch: { x: Matrix; y: Matrix } = { x: expandedX, y: matrix(new Float64Array(0), 0, 0) };

  function expand(x: Matrix): Matrix {
    const data = expanded.ensure(x.rows * features);
    const src = x.data;
    for (let r = 0; r < x.rows; r++) {
      for (let j = 0; j < inputs; j++) {
        const v = src[r * inputs + j]!;
        let power = v;
        const base = r * features + j * degree;
        for (let p = 0; p < degree; p++) {
          data[base + p] = power;
          power *= v;
        }
      }
    }
    expandedX.data = data;
    expandedX.rows = x.rows;
    return expandedX;
  }

  function expandBatch(batch: Batch): Batch {
    expand(batch.x);
    expandedBatch.y = batch.y;
    return expandedBatch;
  }

  return {
    dimension: linear.dimension,
    inputs,
    outputs: linear.outputs,
    layout: linear.layout,
    loss(params: Vector, batch: Batch, grad?: Vector): number {
      checkCall(name, linear.dimension, inputs, params, batch.x, grad);
      return linear.loss(params, expandBatch(batch), grad);
    },
    predict(params: Vector, x: Matrix, out?: Float64Array): Float64Array {
      checkCall(name, linear.dimension, inputs, params, x);
      return linear.predict(params, expand(x), out);
    },
    metrics(params: Vector, batch: Batch): Record<string, number> {
      checkCall(name, linear.dimension, inputs, params, batch.x);
      return linear.metrics(params, expandBatch(batch));
    },
    initialize(rng: Rng, init?: InitializeOptions): Float64Array {
      return linear.initialize(rng, init);
    },
    describe: () => ({ ...linear.describe(), name, degree, inputs }),
  };
}
