import type { Batch, Matrix, Rng, Vector } from '@downhill/core';
import { zeros } from '../initializers/basic-initializers.js';
import { initializeLayout } from '../initializers/initialize-layout.js';
import { denseForward, denseWeightGradient } from '../kernels/dense.js';
import { biasGradient } from '../kernels/dense-hidden.js';
import type { Loss } from '../losses/loss.js';
import { meanSquaredError } from '../losses/mean-squared-error.js';
import type { Penalty } from '../losses/penalty.js';
import { rootMeanSquaredError, rSquared } from '../metrics/regression-metrics.js';
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

export interface LinearRegressionOptions {
  readonly inputs: number;
  /** Number of outputs (default 1); targets have this many columns. */
  readonly outputs?: number;
  /** Default {@link meanSquaredError}; any element-wise loss (MAE, Huber, hinge ...) fits. */
  readonly loss?: Loss;
  /** Regularisation terms over the weights (not the bias). */
  readonly penalties?: readonly Penalty[];
}

/**
 * Linear regression y = W x + b with `outputs x inputs` weights W (row-major, at offset 0) and
 * `outputs` biases b after them. The loss pass computes predictions P = X W^T + b, the loss and
 * dL/dP, then dL/dW = (dL/dP)^T X and dL/db = column sums of dL/dP; the penalty gradients are
 * added to the weights.
 */
export function linearRegression(options: LinearRegressionOptions): Model {
  const name = 'linear-regression';
  const inputs = options.inputs;
  const outputs = options.outputs ?? 1;
  checkPositiveInteger(name, 'inputs', inputs);
  checkPositiveInteger(name, 'outputs', outputs);
  const loss = options.loss ?? meanSquaredError;
  const penalties = options.penalties ?? [];
  const wSize = outputs * inputs;
  const dimension = wSize + outputs;
  const layout: ParameterBlock[] = [
    { name: 'weights', kind: 'weight', offset: 0, rows: outputs, cols: inputs },
    { name: 'bias', kind: 'bias', offset: wSize, rows: 1, cols: outputs },
  ];
  const predictions = new Scratch();
  const dPredictions = new Scratch();

  function predictInto(params: Vector, x: Matrix, out: Float64Array): void {
    denseForward(x.data, x.rows, inputs, params, 0, wSize, outputs, out);
  }

  function lossAndGradient(params: Vector, batch: Batch, grad?: Vector): number {
    const { x, y } = batch;
    checkCall(name, dimension, inputs, params, x, grad);
    checkTargets(name, x, y);
    const p = predictions.ensure(x.rows * outputs);
    predictInto(params, x, p);
    let value: number;
    if (grad === undefined) value = loss.evaluate(p, outputs, y);
    else {
      const dp = dPredictions.ensure(x.rows * outputs);
      value = loss.evaluate(p, outputs, y, dp);
      denseWeightGradient(dp, x.rows, outputs, x.data, inputs, grad, 0);
      biasGradient(dp, x.rows, outputs, grad, wSize);
    }
    return value + applyPenalties(penalties, layout, params, grad);
  }

  function predict(params: Vector, x: Matrix, out?: Float64Array): Float64Array {
    checkCall(name, dimension, inputs, params, x);
    const result = out ?? new Float64Array(x.rows * outputs);
    predictInto(params, x, result);
    return result;
  }

  return {
    dimension,
    inputs,
    outputs,
    layout,
    loss: lossAndGradient,
    predict,
    metrics(params: Vector, batch: Batch): Record<string, number> {
      const p = predict(params, batch.x);
      return {
        loss: lossAndGradient(params, batch),
        rmse: rootMeanSquaredError(p, batch.y),
        r2: rSquared(p, batch.y),
      };
    },
    initialize(rng: Rng, init?: InitializeOptions): Float64Array {
      return initializeLayout(layout, dimension, rng, zeros, init);
    },
    describe: () => ({
      name,
      inputs,
      outputs,
      loss: loss.describe(),
      penalties: penalties.map((q) => q.describe()),
      parameters: dimension,
    }),
  };
}
