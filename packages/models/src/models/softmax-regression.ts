import type { Batch, Matrix, Rng, Vector } from '@downhill/core';
import { zeros } from '../initializers/basic-initializers.js';
import { initializeLayout } from '../initializers/initialize-layout.js';
import { denseForward, denseWeightGradient } from '../kernels/dense.js';
import { biasGradient } from '../kernels/dense-hidden.js';
import type { Penalty } from '../losses/penalty.js';
import { softmaxCrossEntropy } from '../losses/softmax-cross-entropy.js';
import { accuracy } from '../metrics/accuracy.js';
import { applyPenalties } from './apply-penalties.js';
import {
  checkCall,
  checkPositiveInteger,
  checkTargets,
  type InitializeOptions,
  type Model,
  type ParameterBlock,
} from './model.js';
import { Scratch } from './scratch.js';
import { softmaxRowsInPlace } from './softmax-rows.js';

export interface SoftmaxRegressionOptions {
  readonly inputs: number;
  /** Number of classes k >= 2. */
  readonly classes: number;
  readonly penalties?: readonly Penalty[];
}

/**
 * Multinomial logistic (softmax) regression: p(class j | x) = softmax(W x + b)_j with W
 * `classes x inputs` at offset 0 and b after it. Loss: mean softmax cross-entropy; with logits Z,
 * dL/dZ = (softmax(Z) - T) / n, dL/dW = (dL/dZ)^T X, dL/db = column sums of dL/dZ. Targets are
 * class indices (1 column) or one-hot rows.
 */
export function softmaxRegression(options: SoftmaxRegressionOptions): Model {
  const name = 'softmax-regression';
  const { inputs, classes } = options;
  checkPositiveInteger(name, 'inputs', inputs);
  if (!Number.isInteger(classes) || classes < 2) {
    throw new RangeError(`${name}: classes must be an integer >= 2, got ${classes}`);
  }
  const penalties = options.penalties ?? [];
  const wSize = classes * inputs;
  const dimension = wSize + classes;
  const layout: ParameterBlock[] = [
    { name: 'weights', kind: 'weight', offset: 0, rows: classes, cols: inputs },
    { name: 'bias', kind: 'bias', offset: wSize, rows: 1, cols: classes },
  ];
  const logits = new Scratch();
  const dLogits = new Scratch();

  function loss(params: Vector, batch: Batch, grad?: Vector): number {
    const { x, y } = batch;
    checkCall(name, dimension, inputs, params, x, grad);
    checkTargets(name, x, y);
    const z = logits.ensure(x.rows * classes);
    denseForward(x.data, x.rows, inputs, params, 0, wSize, classes, z);
    let value: number;
    if (grad === undefined) value = softmaxCrossEntropy.evaluate(z, classes, y);
    else {
      const dz = dLogits.ensure(x.rows * classes);
      value = softmaxCrossEntropy.evaluate(z, classes, y, dz);
      denseWeightGradient(dz, x.rows, classes, x.data, inputs, grad, 0);
      biasGradient(dz, x.rows, classes, grad, wSize);
    }
    return value + applyPenalties(penalties, layout, params, grad);
  }

  function predict(params: Vector, x: Matrix, out?: Float64Array): Float64Array {
    checkCall(name, dimension, inputs, params, x);
    const result = out ?? new Float64Array(x.rows * classes);
    denseForward(x.data, x.rows, inputs, params, 0, wSize, classes, result);
    softmaxRowsInPlace(result, x.rows, classes);
    return result;
  }

  return {
    dimension,
    inputs,
    outputs: classes,
    layout,
    loss,
    predict,
    metrics: (params, batch) => ({
      loss: loss(params, batch),
      accuracy: accuracy(predict(params, batch.x), classes, batch.y),
    }),
    initialize: (rng: Rng, init?: InitializeOptions) => initializeLayout(layout, dimension, rng, zeros, init),
    describe: () => ({
      name,
      inputs,
      classes,
      loss: 'softmax-cross-entropy',
      penalties: penalties.map((q) => q.describe()),
      parameters: dimension,
    }),
  };
}
