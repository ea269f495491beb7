import type { Batch, Matrix, Rng, Vector } from '@downhill/core';
import { zeros } from '../initializers/basic-initializers.js';
import { initializeLayout } from '../initializers/initialize-layout.js';
import { type ComputeOptions, chooseKernels } from '../kernels/choose-kernels.js';
import { logisticRows } from '../kernels/dense.js';
import { binaryCrossEntropyFromLogits, sigmoid } from '../losses/binary-cross-entropy.js';
import type { Penalty } from '../losses/penalty.js';
import { accuracy } from '../metrics/accuracy.js';
import { applyPenalties } from './apply-penalties.js';
import { denseLayerObjective } from './dense-layer-objective.js';
import {
  checkCall,
  checkPositiveInteger,
  checkTargets,
  type InitializeOptions,
  type Model,
  type ParameterBlock,
} from './model.js';

export interface LogisticRegressionOptions extends ComputeOptions {
  readonly inputs: number;
  readonly penalties?: readonly Penalty[];
}

/**
 * Binary logistic regression: p(y = 1 | x) = sigmoid(w . x + b), weights at [0, inputs), bias at
 * `inputs`. Loss: mean binary cross-entropy from logits, (1/n) sum_r softplus(z_r) - y_r z_r;
 * gradient (1/n) sum_r (sigmoid(z_r) - y_r) [x_r, 1]. Targets are one column of labels in {0, 1}
 * (or probabilities). Each row is read once per step: its dot product and its gradient update
 * run back to back while it is in L1 (see logisticRowsF64).
 */
export function logisticRegression(options: LogisticRegressionOptions): Model {
  const name = 'logistic-regression';
  const inputs = options.inputs;
  checkPositiveInteger(name, 'inputs', inputs);
  const penalties = options.penalties ?? [];
  const kernels = chooseKernels(name, options);
  // On a kernel set, logistic regression is one dense layer under binary cross-entropy from logits.
  const layer =
    kernels === undefined
      ? undefined
      : denseLayerObjective({
          name,
          inputs,
          outputs: 1,
          loss: binaryCrossEntropyFromLogits,
          penalties,
          kernels,
        });
  const dimension = inputs + 1;
  const layout: ParameterBlock[] = [
    { name: 'weights', kind: 'weight', offset: 0, rows: 1, cols: inputs },
    { name: 'bias', kind: 'bias', offset: inputs, rows: 1, cols: 1 },
  ];

  function loss(params: Vector, batch: Batch, grad?: Vector): number {
    const { x, y } = batch;
    checkCall(name, dimension, inputs, params, x, grad);
    checkTargets(name, x, y);
    if (y.cols !== 1) throw new RangeError(`${name}: batch y must have 1 column of labels, got ${y.cols}`);
    if (layer !== undefined) return layer.lossAndGradient(params, batch, grad);
    if (grad !== undefined) grad.fill(0);
    const rows = x.rows;
    const scale = rows === 0 ? 0 : 1 / rows;
    const sum = logisticRows(x.data, rows, inputs, y.data, params, grad, scale);
    return sum * scale + applyPenalties(penalties, layout, params, grad);
  }

  function predict(params: Vector, x: Matrix, out?: Float64Array): Float64Array {
    checkCall(name, dimension, inputs, params, x);
    const result = out ?? new Float64Array(x.rows);
    const data = x.data;
    for (let r = 0; r < x.rows; r++) {
      let z = params[inputs]!;
      for (let k = 0; k < inputs; k++) z += params[k]! * data[r * inputs + k]!;
      result[r] = sigmoid(z);
    }
    return result;
  }

  return {
    dimension,
    inputs,
    outputs: 1,
    layout,
    loss,
    predict,
    metrics: (params, batch) => ({
      loss: loss(params, batch),
      accuracy: accuracy(predict(params, batch.x), 1, batch.y),
    }),
    initialize: (rng: Rng, init?: InitializeOptions) => initializeLayout(layout, dimension, rng, zeros, init),
    describe: () => ({
      name,
      inputs,
      loss: 'bce-logits',
      penalties: penalties.map((q) => q.describe()),
      compute: kernels?.dtype ?? 'float64',
      ...(kernels !== undefined && { kernels: kernels.name }),
      parameters: dimension,
    }),
  };
}
