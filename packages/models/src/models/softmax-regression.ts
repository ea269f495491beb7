import type { Matrix, Rng, Vector } from '@downhill/core';
import { zeros } from '../initializers/basic-initializers.js';
import { initializeLayout } from '../initializers/initialize-layout.js';
import { type ComputeOptions, chooseKernels } from '../kernels/choose-kernels.js';
import type { Penalty } from '../losses/penalty.js';
import { softmaxCrossEntropy } from '../losses/softmax-cross-entropy.js';
import { accuracy } from '../metrics/accuracy.js';
import { denseLayerObjective } from './dense-layer-objective.js';
import { checkPositiveInteger, type InitializeOptions, type Model } from './model.js';
import { softmaxRowsInPlace } from './softmax-rows.js';

export interface SoftmaxRegressionOptions extends ComputeOptions {
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
  const kernels = chooseKernels(name, options);
  const layer = denseLayerObjective({
    name,
    inputs,
    outputs: classes,
    loss: softmaxCrossEntropy,
    penalties,
    kernels,
  });
  const { dimension, layout, lossAndGradient: loss } = layer;

  function predict(params: Vector, x: Matrix, out?: Float64Array): Float64Array {
    const result = layer.forward(params, x, out);
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
      compute: kernels?.dtype ?? 'float64',
      ...(kernels !== undefined && { kernels: kernels.name }),
      penalties: penalties.map((q) => q.describe()),
      parameters: dimension,
    }),
  };
}
