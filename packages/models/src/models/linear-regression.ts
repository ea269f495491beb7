import type { Batch, Matrix, Rng, Vector } from '@downhill/core';
import { zeros } from '../initializers/basic-initializers.js';
import { initializeLayout } from '../initializers/initialize-layout.js';
import { type ComputeOptions, chooseKernels } from '../kernels/choose-kernels.js';
import type { Loss } from '../losses/loss.js';
import { meanSquaredError } from '../losses/mean-squared-error.js';
import type { Penalty } from '../losses/penalty.js';
import { rootMeanSquaredError, rSquared } from '../metrics/regression-metrics.js';
import { denseLayerObjective } from './dense-layer-objective.js';
import { checkPositiveInteger, type InitializeOptions, type Model } from './model.js';

export interface LinearRegressionOptions extends ComputeOptions {
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
  const kernels = chooseKernels(name, options);
  const layer = denseLayerObjective({ name, inputs, outputs, loss, penalties, kernels });
  const { dimension, layout, lossAndGradient } = layer;

  const predict = (params: Vector, x: Matrix, out?: Float64Array): Float64Array =>
    layer.forward(params, x, out);

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
      compute: kernels?.dtype ?? 'float64',
      ...(kernels !== undefined && { kernels: kernels.name }),
      penalties: penalties.map((q) => q.describe()),
      parameters: dimension,
    }),
  };
}
