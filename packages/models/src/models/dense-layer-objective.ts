import type { Batch, KernelDType, KernelSet, Matrix, Vector } from '@downhill/core';
import { denseForward, denseWeightGradient } from '../kernels/dense.js';
import { biasGradient } from '../kernels/dense-hidden.js';
import type { Loss } from '../losses/loss.js';
import type { Penalty } from '../losses/penalty.js';
import { applyPenalties } from './apply-penalties.js';
import { kernelMlpPass } from './kernel-mlp-pass.js';
import { checkCall, checkTargets, type ParameterBlock } from './model.js';
import { Scratch } from './scratch.js';

export interface DenseLayerObjectiveOptions {
  /** The model's name, for error messages. */
  readonly name: string;
  readonly inputs: number;
  readonly outputs: number;
  readonly loss: Loss;
  readonly penalties: readonly Penalty[];
  /** Run on this kernel set instead of the float64 dense kernels (see ComputeOptions). */
  readonly kernels?: KernelSet | undefined;
}

/** One dense layer Z = X W^T + b under a loss: what linear and softmax regression share. */
export interface DenseLayerObjective {
  readonly dimension: number;
  readonly layout: ParameterBlock[];
  /** Mean loss (plus penalties) and, when `grad` is given, its gradient in the same pass. */
  lossAndGradient(params: Vector, batch: Batch, grad?: Vector): number;
  /** The layer's outputs Z (before any output function), into `out` or a new array; checks the call first. */
  forward(params: Vector, x: Matrix, out?: Float64Array): Float64Array;
}

/**
 * W (`outputs x inputs`, row-major) sits at offset 0 and b after it. The loss pass computes Z,
 * the loss and dL/dZ, then dL/dW = (dL/dZ)^T X and dL/db = column sums of dL/dZ; the penalty
 * gradients are added to the weights. Scratch buffers grow only when a bigger batch arrives.
 */
export function denseLayerObjective(options: DenseLayerObjectiveOptions): DenseLayerObjective {
  const { name, inputs, outputs, loss, penalties } = options;
  const wSize = outputs * inputs;
  const dimension = wSize + outputs;
  const layout: ParameterBlock[] = [
    { name: 'weights', kind: 'weight', offset: 0, rows: outputs, cols: inputs },
    { name: 'bias', kind: 'bias', offset: wSize, rows: 1, cols: outputs },
  ];
  const z = new Scratch();
  const dz = new Scratch();
  // On a kernel set, one layer is an MLP without hidden layers.
  const pass =
    options.kernels === undefined
      ? undefined
      : kernelMlpPass({
          sizes: [inputs, outputs],
          wOffsets: [0],
          bOffsets: [wSize],
          activation: 'relu',
          slope: 0,
          loss,
          kernels: options.kernels as KernelSet<KernelDType>,
        });
  return {
    dimension,
    layout,
    lossAndGradient(params, batch, grad) {
      const { x, y } = batch;
      checkCall(name, dimension, inputs, params, x, grad);
      checkTargets(name, x, y);
      if (pass !== undefined)
        return pass.lossAndGradient(params, x, y, grad) + applyPenalties(penalties, layout, params, grad);
      const out = z.ensure(x.rows * outputs);
      denseForward(x.data, x.rows, inputs, params, 0, wSize, outputs, out);
      let value: number;
      if (grad === undefined) value = loss.evaluate(out, outputs, y);
      else {
        const dOut = dz.ensure(x.rows * outputs);
        value = loss.evaluate(out, outputs, y, dOut);
        denseWeightGradient(dOut, x.rows, outputs, x.data, inputs, grad, 0);
        biasGradient(dOut, x.rows, outputs, grad, wSize);
      }
      return value + applyPenalties(penalties, layout, params, grad);
    },
    forward(params, x, out) {
      checkCall(name, dimension, inputs, params, x);
      const result = out ?? new Float64Array(x.rows * outputs);
      if (pass !== undefined) result.set(pass.forward(params, x).subarray(0, x.rows * outputs));
      else denseForward(x.data, x.rows, inputs, params, 0, wSize, outputs, result);
      return result;
    },
  };
}
